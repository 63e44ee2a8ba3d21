import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { PreflightSummary } from '../../src/core/prompter';
import { KEY, settle, typeAndWait, waitForText } from '../helpers/ink';
import { mount } from './fixture';

afterEach(() => cleanup());

const summary: PreflightSummary = {
  tools: [
    { name: 'sh', found: true, ok: true },
    { name: 'gh', range: '>=2.40', found: true, version: '2.30.0', ok: false, message: 'gh 2.30.0 is older than >=2.40' },
  ],
  inputs: [{ name: 'ORG', value: 'craton-co', secret: false }],
  secrets: [
    { name: 'GH_PAT', source: 'keychain', where: 'ghcr-\u001b[8mpat' },
    { name: 'NPM_TOKEN', source: 'missing' },
    { name: 'UPLOAD', source: 'env', where: 'GHCR_PAT' },
  ],
  scopes: [{ secret: 'GH_PAT', required: ['write:packages'], missing: [] }],
  signingKey: { keyid: 'ab'.repeat(32), source: 'keychain' },
};

describe('preflight screen', () => {
  it('shows the title, the LIVE badge and the tools as the engine reports them', async () => {
    const h = mount();
    h.start();
    h.emit({ type: 'preflight', at: new Date().toISOString(), tools: summary.tools, ok: false });
    const frame = await waitForText(h.ui, 'gh 2.30.0 is older');
    expect(frame).toContain('Rollback drill v1.2.0');
    expect(frame).toContain('LIVE');
    expect(frame).toMatch(/✓ sh/);
    expect(frame).toMatch(/✗ gh 2\.30\.0 \(needs >=2\.40\)/);
  });

  it("shows the team's lines — records waiting in the outbox, the last rehearsal — under Team", async () => {
    const h = mount();
    h.start();
    const at = new Date().toISOString();
    h.emit({ type: 'preflight', at, tools: [], ok: true });
    h.emit({
      type: 'notice',
      at,
      message: "2 records wait to be published to the team's repository; `handrail records publish` sends them.",
    });
    h.emit({
      type: 'notice',
      at,
      message: 'Rehearsed by @bob at 2026-11-29T16:40:51Z (these same bytes; craton-co/ops-records:records/x.json).',
    });
    const frame = await waitForText(h.ui, 'Rehearsed by @bob');
    expect(frame).toContain('Team');
    expect(frame).toContain('2 records wait to be published');
  });

  it('asks a front-matter input in place, refuses a value that breaks the pattern, and accepts the default on Enter', async () => {
    const h = mount();
    h.start();
    const runbook = h.runbook;
    const answer = h.prompter.input({ name: 'ORG', spec: runbook.meta.inputs!.ORG });
    await waitForText(h.ui, 'GitHub organisation (ORG)');
    await settle();
    await typeAndWait(h.ui, 'Bad_Org', 'Bad_Org');
    const refused = await typeAndWait(h.ui, KEY.enter, 'ORG must match');
    expect(refused).toContain('^[a-z-]+$');
    // Clear what was typed, then take the default.
    for (let i = 0; i < 'Bad_Org'.length; i++) h.ui.stdin.write(KEY.backspace);
    await waitForText(h.ui, 'craton-co');
    h.ui.stdin.write(KEY.enter);
    await expect(answer).resolves.toBe('craton-co');
  });

  it('shows an error the engine sends back with a re-asked input', async () => {
    const h = mount();
    h.start();
    void h.prompter.input({ name: 'ORG', spec: h.runbook.meta.inputs!.ORG, error: 'ORG is taken; pick another.' });
    await waitForText(h.ui, 'ORG is taken; pick another.');
  });

  it('lists secrets, scopes and the signing key, and starts on Enter', async () => {
    const h = mount();
    h.start();
    const begun = h.prompter.begin({ summary });
    const frame = await waitForText(h.ui, 'Press Enter to start');
    // Which account or variable: a runbook may name any, and the operator reads here which one it took.
    expect(frame).toContain('✓ GH_PAT found in the keychain (account ghcr-␛[8mpat)');
    expect(frame).toContain('✓ UPLOAD from environment variable GHCR_PAT');
    expect(frame).toMatch(/✗ NPM_TOKEN missing/);
    expect(frame).toMatch(/✓ GH_PAT: write:packages/);
    expect(frame).toContain('abababababababab…');
    await settle();
    h.ui.stdin.write(KEY.enter);
    await expect(begun).resolves.toBe('start');
  });

  it('says whom the record will be signed as, or how to set that up, in one line (SPEC §6.1)', async () => {
    const signedAs = 'records are signed as @alice with SSH key SHA256:dpbROkcj2I/rySt8dEctHlHwytICEyf8MkuA3AMsq5M (ssh-agent)';
    const h = mount();
    h.start();
    void h.prompter.begin({ summary: { ...summary, identity: { text: signedAs, signed: true } } });
    const frame = await waitForText(h.ui, 'Press Enter to start');
    // Ink wraps the line at the fixture's width; joined again it is the one line.
    expect(frame.replace(/\s*\n\s*/g, ' ')).toContain(`✓ ${signedAs}`);
    cleanup();

    const setup = 'records are not signed as you: sign with your SSH key as git does';
    const unset = mount();
    unset.start();
    void unset.prompter.begin({ summary: { ...summary, identity: { text: setup, signed: false } } });
    expect((await waitForText(unset.ui, 'Press Enter to start')).replace(/\s*\n\s*/g, ' ')).toContain(`– ${setup}`);
  });

  it('q asks before aborting; n keeps the run, y aborts it', async () => {
    const h = mount();
    h.start();
    const begun = h.prompter.begin({ summary });
    await waitForText(h.ui, 'Press Enter to start');
    await settle();
    await typeAndWait(h.ui, 'q', 'Abort the run?');
    await typeAndWait(h.ui, 'n', 'Press Enter to start');
    await typeAndWait(h.ui, 'q', 'Abort the run?');
    h.ui.stdin.write('y');
    await expect(begun).resolves.toBe('abort');
  });

  it('Esc while typing an input aborts after confirmation, and the engine sees the abort', async () => {
    const h = mount();
    h.start();
    const answer = h.prompter.input({ name: 'ORG', spec: h.runbook.meta.inputs!.ORG });
    await waitForText(h.ui, 'GitHub organisation');
    await settle();
    await typeAndWait(h.ui, KEY.escape, 'Abort the run?');
    h.ui.stdin.write('y');
    await expect(answer).rejects.toThrow('aborted by the operator');
  });
});

describe('preflight at 80×24 with more checks than rows', () => {
  it('keeps the start prompt and the last warning in view, and never draws one check over another', async () => {
    const h = mount({ columns: 80, rows: 24 });
    h.start();
    const many: PreflightSummary = {
      ...summary,
      tools: Array.from({ length: 12 }, (_, i) => ({ name: `tool-${i}`, found: true, ok: true })),
    };
    h.emit({
      type: 'warning',
      at: new Date().toISOString(),
      message: 'The OS keychain is not available (no D-Bus session is running); give the token in GHCR_PAT instead.',
    });
    void h.prompter.begin({ summary: many });
    const frame = await waitForText(h.ui, 'Press Enter to start');
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(frame.replace(/\s+/g, ' ')).toContain('give the token in GHCR_PAT instead');
    // Lines drawn over each other read like "✓ tool-1ools"; every tool line is whole or absent.
    for (const line of lines.filter((l) => l.includes('tool-'))) expect(line).toMatch(/^✓ tool-\d+$/);
  });
});
