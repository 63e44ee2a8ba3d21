// Acceptance review of SPEC §3 on the drawn screen (ink-testing-library): what an operator reads.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEY, settle, typeAndWait, waitForText } from '../helpers/ink';
import { begin, mount } from './fixture';

afterEach(() => cleanup());

describe('SPEC §3 on screen', () => {
  it('a failed attempt waiting for r / s / q reads as failed, not as still running', async () => {
    const h = mount();
    await begin(h);
    const step = h.runbook.steps[0];
    // The engine asks about a failed attempt before it reports the step finished (retry may follow).
    h.stepStarted('registry', 'curl -fsS https://ghcr.io/v2/');
    await waitForText(h.ui, 'running');
    void h.prompter.failure({ step, reason: 'exit status 7', exitCode: 7 });
    const frame = await waitForText(h.ui, 'r retry · s skip · q abort');
    expect(frame).not.toMatch(/running/);
    expect(frame).toMatch(/✗ +1\. Check the registry +failed/);
    expect(frame).toContain('Failed: exit status 7');
    // "exit status 7 (exit 7)" says the same thing twice.
    expect(frame).not.toContain('(exit 7)\nr retry');
    expect(frame.match(/exit 7|exit status 7/g)?.length).toBe(2);
  });

  it('l on a failed step waiting for a decision shows its whole log, not only the lines kept in memory', async () => {
    const h = mount({ rows: 24 });
    await begin(h);
    const step = h.runbook.steps[0];
    const logPath = join(mkdtempSync(join(tmpdir(), 'handrail-acc-screen-')), 'registry.log');
    writeFileSync(logPath, Array.from({ length: 5000 }, (_, i) => `log line ${i + 1}`).join('\n') + '\n');
    h.stepStarted('registry', 'seq 1 5000; exit 3');
    for (let i = 4800; i < 5000; i++) h.emit({ type: 'output', stepId: 'registry', stream: 'stdout', text: `log line ${i + 1}\n` });
    void h.prompter.failure({ step, reason: 'exit status 3', exitCode: 3, logPath });
    await waitForText(h.ui, 'r retry · s skip · q abort');
    await settle();
    const viewer = await typeAndWait(h.ui, 'l', 'of 5000');
    expect(viewer).toContain('log line 5000');
    expect(viewer).toContain(logPath);
    await typeAndWait(h.ui, 'g', 'log line 1\n');
    await typeAndWait(h.ui, KEY.escape, 'r retry · s skip · q abort');
  });
});
