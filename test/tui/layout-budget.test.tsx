// The row budget (SPEC §3.1, STYLE.md) drawn by the real App over the real engine, at several
// terminal sizes: every frame fits, no {{NAME}} is left, the current step is in view, and the whole
// command is on the screen where the operator decides — live and in a rehearsal walk-through.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import stringWidth from 'string-width';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/runbook/parse';
import type { Runbook } from '../../src/core/model';
import { budget, runScreenLayout } from '../../src/tui/layout';
import { wrapText } from '../../src/core/wrap';
import { execute } from '../fixtures/engine/builders';
import { RETAG_COMMAND, SCREEN_WALK } from '../fixtures/screen-walk';
import { KEY, frameText, settle, waitForFrame, waitForText } from '../helpers/ink';
import { mount, type Harness } from './fixture';

afterEach(() => cleanup());

const squash = (text: string) => text.replace(/\s+/g, '');

function walkRunbook(): Runbook {
  const dir = mkdtempSync(join(tmpdir(), 'handrail-layout-'));
  const path = join(dir, 'walk.md');
  writeFileSync(path, SCREEN_WALK);
  const { runbook, problems } = parseRunbook(SCREEN_WALK, path);
  if (!runbook) throw new Error(JSON.stringify(problems));
  return runbook;
}

/** What SPEC §3.1 asks of every screen. */
function expectFits(frame: string, columns: number, rows: number): void {
  const lines = frame.split('\n');
  expect(lines.length, frame).toBeLessThanOrEqual(rows);
  for (const line of lines) expect(stringWidth(line), `${line}\n---\n${frame}`).toBeLessThanOrEqual(columns);
  expect(frame).not.toContain('{{');
}

function expectCurrentInView(frame: string): void {
  expect(frame, frame).toMatch(/^›. +\d+\. /m);
}

async function step(h: Harness, text: string | RegExp, size: { columns: number; rows: number }, keys: string[]): Promise<string> {
  const frame = await waitForFrame(h.ui, (f) => (typeof text === 'string' ? f.includes(text) : text.test(f)), {
    what: String(text),
    timeoutMs: 15_000,
  });
  expectFits(frame, size.columns, size.rows);
  for (const key of keys) {
    await settle();
    h.ui.stdin.write(key);
  }
  return frame;
}

const SIZES = [
  { columns: 80, rows: 24 },
  { columns: 100, rows: 30 },
  { columns: 120, rows: 40 },
];

describe('the row budget', () => {
  it('serves the prompt and the command before the list, the output and the prose', () => {
    const tight = runScreenLayout({ rows: 24, steps: 40, heading: 2, prompt: 4, command: 9, status: 1, output: 50, prose: 30 });
    expect(tight.prompt).toBe(4);
    expect(tight.command).toBe(9);
    expect(tight.list).toBeGreaterThanOrEqual(2);
    expect(Object.values(tight).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(24 - 3);
    // Too small for everything: the command keeps 3 rows (it scrolls), the prompt all of its own.
    const tiny = runScreenLayout({ rows: 12, steps: 40, heading: 2, prompt: 4, command: 20, status: 1, output: 50, prose: 30 });
    expect(tiny.prompt).toBe(4);
    expect(tiny.command).toBeGreaterThanOrEqual(3);
    expect(Object.values(tiny).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(12 - 3);
  });

  it('never hands out more rows than there are', () => {
    for (let rows = 0; rows < 30; rows++) {
      const given = budget(rows, [
        { name: 'a', upTo: 5 },
        { name: 'b', upTo: 3 },
        { name: 'a', upTo: 10 },
        { name: 'c', upTo: 40 },
      ]);
      expect(given.a + given.b + given.c).toBe(Math.min(rows, 53));
    }
  });

  it('wraps at spaces, breaks a word longer than the row, and drops nothing but the space it broke at', () => {
    const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
    const rows = wrapText(`docker inspect ghcr.io/craton-co/containai@${digest} --format json`, 30);
    for (const row of rows) expect(stringWidth(row)).toBeLessThanOrEqual(30);
    expect(squash(rows.join(''))).toBe(squash(`docker inspect ghcr.io/craton-co/containai@${digest} --format json`));
    expect(wrapText('名前'.repeat(20), 10).every((row) => stringWidth(row) <= 10)).toBe(true);
  });
});

describe.each(SIZES)('a walk at $columns×$rows', (size) => {
  it(
    'live: every screen fits and is filled in, the current step shows, the whole command is there at confirm',
    { timeout: 180_000 },
    async () => {
      const h = mount({ runbook: walkRunbook(), ...size });
      const run = execute({
        runbook: h.runbook,
        bus: h.bus,
        prompter: h.prompter,
        logDir: mkdtempSync(join(tmpdir(), 'handrail-layout-logs-')),
      });
      await step(h, '(OWNER)', size, [KEY.enter]);
      await step(h, '(IMAGE)', size, [KEY.enter]);
      await step(h, 'Press Enter to start', size, [KEY.enter]);
      const good = await step(h, '(GOOD)', size, []);
      expectCurrentInView(good);
      // The digest printed by the step above is readable whole, to copy into this input.
      expect(squash(good)).toContain(`@sha256:${'0123456789abcdef'.repeat(4)}`);
      expect(good).toContain('END-OF-LONG-LINE');
      await settle();
      h.ui.stdin.write(KEY.enter);
      await step(h, '(NOTE)', size, [KEY.enter]);
      const confirm = await step(h, 'This step is marked confirm', size, []);
      expectCurrentInView(confirm);
      expect(squash(confirm)).toContain(squash(RETAG_COMMAND));
      expect(confirm).toContain('Re-tag containai-with-a-rather-long-name');
      await settle();
      h.ui.stdin.write(KEY.enter);
      const tasks = await step(h, 'Space tick', size, []);
      expectCurrentInView(tasks);
      expect(squash(tasks)).toContain(squash('which is sha256:'));
      expect(tasks).toContain('END-OF-ITEM-1');
      for (const key of [KEY.space, KEY.down, KEY.space, KEY.down, KEY.space]) {
        await settle();
        h.ui.stdin.write(key);
      }
      await step(h, 'All ticked', size, [KEY.enter]);
      const last = await step(h, /Last step of containai[\s\S]*This step is marked confirm/, size, []);
      expectCurrentInView(last);
      await settle();
      h.ui.stdin.write(KEY.enter);
      const end = await step(h, 'Press any key to exit', size, []);
      expect(end).toContain('Run completed (live)');
      const result = await run;
      expect(result.outcome).toBe('completed');
      expectFits(frameText(h.ui), size.columns, size.rows);
    },
  );

  it('rehearsal: stops at each step it does not execute, shows it whole, Enter moves on', { timeout: 180_000 }, async () => {
    const h = mount({ runbook: walkRunbook(), ...size, mode: 'rehearsal' });
    const run = execute({
      runbook: h.runbook,
      bus: h.bus,
      prompter: h.prompter,
      mode: 'rehearsal',
      logDir: mkdtempSync(join(tmpdir(), 'handrail-layout-logs-')),
    });
    await step(h, '(OWNER)', size, [KEY.enter]);
    await step(h, '(IMAGE)', size, [KEY.enter]);
    await step(h, 'Press Enter to start', size, [KEY.enter]);
    await step(h, '(GOOD)', size, [KEY.enter]);
    await step(h, '(NOTE)', size, [KEY.enter]);
    const retag = await step(h, /Re-tag containai[\s\S]*Rehearsal: shown in full[\s\S]*Enter next step/, size, []);
    expectCurrentInView(retag);
    expect(retag).toContain('Rehearsal: shown in full, not executed.');
    expect(squash(retag)).toContain(squash(RETAG_COMMAND));
    await settle();
    h.ui.stdin.write(KEY.enter);
    await step(h, 'Space tick', size, [KEY.space, KEY.down, KEY.space, KEY.down, KEY.space]);
    await step(h, 'All ticked', size, [KEY.enter]);
    for (const word of ['five', 'six', 'seven', 'eight', 'nine', 'ten']) {
      const frame = await step(h, new RegExp(`echo ${word}[\\s\\S]*Enter next step`), size, []);
      expectCurrentInView(frame);
      await settle();
      h.ui.stdin.write(KEY.enter);
    }
    await step(h, /echo last[\s\S]*Enter next step/, size, [KEY.enter]);
    const end = await waitForText(h.ui, 'Press any key to exit');
    expectFits(end, size.columns, size.rows);
    expect(end).toContain('Run completed (rehearsal)');
    expect((await run).outcome).toBe('completed');
  });
});
