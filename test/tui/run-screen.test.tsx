import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { ConfirmStep } from '../../src/core/model';
import { KEY, frameText, settle, typeAndWait, waitForFrame, waitForText } from '../helpers/ink';
import { begin, mount, type Harness } from './fixture';
import { verifyCommand } from '../../src/view/verify-hint';

afterEach(() => cleanup());

function emitOrg(h: Harness): void {
  h.emit({ type: 'input-given', at: new Date().toISOString(), name: 'ORG', value: 'craton-co', source: 'default' });
}

describe('run screen', () => {
  it('shows the step list, the prose with variables filled and secrets masked, the command, and live output', async () => {
    const h = mount();
    await begin(h, () => emitOrg(h));
    h.stepStarted('registry', 'curl -fsS https://ghcr.io/v2/');
    const frame = await waitForText(h.ui, '$ curl -fsS https://ghcr.io/v2/');
    expect(frame).toContain('step 1 of 4');
    expect(frame).toContain('The registry for craton-co must answer; the token is ••••.');
    expect(frame).not.toContain('{{ORG}}');
    expect(frame).toContain('docker info');
    expect(frame).toMatch(/the guide\s+<https:\/\/example\.com\/guide>/);
    expect(frame).toMatch(/host\s+│ role/);
    expect(frame).toMatch(/● +1\. Check the registry/);
    expect(frame).toMatch(/○ +4\. Push/);
    h.emit({ type: 'output', stepId: 'registry', stream: 'stdout', text: 'first line\nsecond ' });
    h.emit({ type: 'output', stepId: 'registry', stream: 'stdout', text: 'half\n' });
    const out = await waitForText(h.ui, 'second half');
    expect(out).toContain('first line');
    h.stepFinished('registry', 'passed', { exitCode: 0 });
    await waitForFrame(h.ui, (f) => /✓ +1\. Check the registry +passed 1\.2s/.test(f), { what: 'the finished row' });
  });

  it('offers r / s / q on a failure: r retries, s asks a reason and refuses an empty one', async () => {
    const h = mount();
    await begin(h, () => emitOrg(h));
    const step = h.runbook.steps[0];
    h.stepStarted('registry', 'curl');
    h.stepFinished('registry', 'failed', { exitCode: 7, reason: 'exit 7' });
    const first = h.prompter.failure({ step, reason: 'exit 7', exitCode: 7 });
    await waitForText(h.ui, 'r retry · s skip · q abort');
    expect(frameText(h.ui)).toContain('Failed: exit 7');
    await settle();
    h.ui.stdin.write('r');
    await expect(first).resolves.toEqual({ action: 'retry' });

    const second = h.prompter.failure({ step, reason: 'exit 7', exitCode: 7 });
    await waitForText(h.ui, 'r retry');
    await settle();
    await typeAndWait(h.ui, 's', 'Why skip this step?');
    await typeAndWait(h.ui, KEY.enter, 'Give a reason');
    await typeAndWait(h.ui, 'registry is down, known', 'registry is down, known');
    h.ui.stdin.write(KEY.enter);
    await expect(second).resolves.toEqual({ action: 'skip', reason: 'registry is down, known' });
  });

  it('answers an input step with choices by ↓ and Enter', async () => {
    const h = mount();
    await begin(h, () => emitOrg(h));
    const step = h.runbook.steps[1];
    if (step.kind !== 'input') throw new Error('fixture changed');
    h.stepStarted(step.id, step.input.prompt);
    const answer = h.prompter.input({ name: 'TARGET', spec: step.input, stepId: step.id });
    await waitForText(h.ui, '❯ staging');
    await settle();
    await typeAndWait(h.ui, KEY.down, '❯ production');
    h.ui.stdin.write(KEY.enter);
    await expect(answer).resolves.toBe('production');
  });

  it('walks a task list: Enter is refused until every item is ticked with Space', async () => {
    const h = mount();
    await begin(h, () => emitOrg(h));
    const step = h.runbook.steps[2] as ConfirmStep;
    h.stepStarted(step.id, '');
    const decision = h.prompter.tasks({ step, items: step.items.map((i) => ({ text: i.text, checked: i.checked })) });
    const frame = await waitForText(h.ui, 'Paused the deploy pipeline');
    expect(frame).toMatch(/\[x\] Announced in the channel/);
    await settle();
    const nagged = await typeAndWait(h.ui, KEY.enter, 'Tick every item first: 2 left');
    // The refusal does not push an item off the list: every item is still there, none scrolled away.
    expect(nagged).toMatch(/\[x\] Announced in the channel/);
    expect(nagged).toContain('Paused the deploy pipeline');
    expect(nagged).not.toMatch(/above \(↑\/↓\)/);
    await typeAndWait(h.ui, KEY.space, '1 left');
    await typeAndWait(h.ui, [KEY.down, KEY.space], 'All ticked: Enter confirms');
    h.ui.stdin.write(KEY.enter);
    await expect(decision).resolves.toEqual({ action: 'proceed' });
  });

  it('q then y while a command runs asks the run to abort', async () => {
    const h = mount();
    await begin(h, () => emitOrg(h));
    h.stepStarted('push', 'for i in …');
    await waitForText(h.ui, 'running');
    await settle();
    await typeAndWait(h.ui, 'q', 'Abort the run?');
    expect(h.aborts).toBe(0);
    await typeAndWait(h.ui, 'y', 'Aborting…');
    expect(h.aborts).toBe(1);
  });

  it("l shows the step's full output from its log file, Esc goes back", async () => {
    const h = mount();
    await begin(h, () => emitOrg(h));
    const dir = mkdtempSync(join(tmpdir(), 'handrail-tui-'));
    const log = join(dir, 'push.log');
    writeFileSync(log, Array.from({ length: 500 }, (_, i) => `log line ${i + 1}`).join('\n') + '\n');
    h.stepStarted('push', 'seq');
    h.stepFinished('push', 'passed', { output: { sha256: 'x', bytes: 1, tail: 'log line 500', logPath: log } });
    await waitForText(h.ui, 'passed');
    await settle();
    const viewer = await typeAndWait(h.ui, 'l', '-500 of 500');
    expect(viewer).toContain('log line 500');
    await typeAndWait(h.ui, 'g', 'log line 1\n');
    h.ui.stdin.write(KEY.escape);
    const back = await waitForFrame(h.ui, (f) => !f.includes('Output of Push'), { what: 'the viewer to close' });
    expect(back).toContain('? help · l output · q abort');
  });

  it('? shows the keys and any key closes the help', async () => {
    const h = mount();
    await begin(h, () => emitOrg(h));
    h.stepStarted('push', 'seq');
    await waitForText(h.ui, 'running');
    await settle();
    await typeAndWait(h.ui, '?', 'tick the highlighted task item');
    await typeAndWait(h.ui, 'x', '$ seq');
  });

  it("ends with each step's status, the record path and how to verify it; a key exits", async () => {
    const h = mount();
    await begin(h, () => emitOrg(h));
    h.stepStarted('registry', 'curl');
    h.stepFinished('registry', 'passed');
    h.emit({
      type: 'step-finished',
      at: new Date().toISOString(),
      stepId: 'choose',
      index: 1,
      status: 'skipped',
      reason: 'condition',
      startedAt: new Date().toISOString(),
      durationMs: 0,
    });
    h.emit({ type: 'run-ended', at: new Date().toISOString(), outcome: 'failed', reason: 'step push failed' });
    h.emit({ type: 'record-written', at: new Date().toISOString(), path: '/records/tui-fixture.json' });
    const frame = await waitForText(h.ui, 'Verify it with:');
    // The command (whatever launcher this process has, so any checkout path) is cut only at the
    // screen's edge, never at a space or with an indent: its rows joined are the command itself.
    const rows = frame.split('\n');
    const from = rows.findIndex((row) => row.trimEnd() === 'Verify it with:') + 1;
    const to = rows.findIndex((row) => row.startsWith('Press any key'));
    const commandRows = rows
      .slice(from, to)
      .map((row) => row.trimEnd())
      .filter((row) => row !== '');
    expect(commandRows.join('')).toBe(`  ${verifyCommand('/records/tui-fixture.json')}`);
    for (const row of commandRows.slice(0, -1)) expect(row).toHaveLength(100);
    expect(frame).toContain('Record: /records/tui-fixture.json');
    expect(frame).toContain('Run failed (live)');
    expect(frame).toMatch(/✓ Check the registry\s+passed 1\.2s/);
    expect(frame).toMatch(/↷ Where to roll back\s+skipped \(condition\) 0ms/);
    expect(frame).toContain('Press any key to exit');
    await settle();
    h.ui.stdin.write('x');
    await waitForFrame(h.ui, () => h.exits === 1, { what: 'exit' });
  });
});

describe('fast output', () => {
  it('a flood of output keeps a bounded tail and the last line reaches the screen', async () => {
    const h = mount();
    await begin(h, () => emitOrg(h));
    h.stepStarted('push', 'yes');
    const chunk = Array.from({ length: 1000 }, (_, i) => `flood ${i}`).join('\n') + '\n';
    for (let i = 0; i < 500; i++) h.emit({ type: 'output', stepId: 'push', stream: 'stdout', text: chunk });
    h.emit({ type: 'output', stepId: 'push', stream: 'stdout', text: 'THE LAST LINE\n' });
    const frame = await waitForText(h.ui, 'THE LAST LINE');
    expect(frame).toContain('500001 lines');
    // Far fewer frames than chunks: output is published at a fixed rate, not per chunk.
    expect(h.ui.frames.length).toBeLessThan(100);
  });

  it('fits an 80×24 terminal however long the prose and output are, wrapping long lines to the width', async () => {
    const h = mount({ columns: 80, rows: 24 });
    await begin(h, () => emitOrg(h));
    h.stepStarted('registry', 'curl');
    h.emit({ type: 'output', stepId: 'registry', stream: 'stdout', text: `${'x'.repeat(300)}\n`.repeat(100) });
    const frame = await waitForFrame(h.ui, (f) => f.includes('x'.repeat(80)), { what: 'a wrapped line' });
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
  });
  it('shows the end of a line still being written, where a progress bar is, and still its end once it ends', async () => {
    const h = mount({ columns: 80, rows: 24 });
    await begin(h, () => emitOrg(h));
    h.stepStarted('registry', 'curl');
    for (let i = 0; i < 1000; i++) h.emit({ type: 'output', stepId: 'registry', stream: 'stdout', text: 'progress ' });
    h.emit({ type: 'output', stepId: 'registry', stream: 'stdout', text: 'END' });
    const frame = await waitForFrame(h.ui, (f) => /…[progres ]+ END\s*$/m.test(f), { what: 'the end of the unfinished line' });
    expect(frame).not.toMatch(/^\s*progress progress/m);
    h.emit({ type: 'output', stepId: 'registry', stream: 'stdout', text: '\nnext line\n' });
    const after = await waitForText(h.ui, 'next line');
    expect(after).toMatch(/…[progres ]+ END\s*$/m);
  });
});
