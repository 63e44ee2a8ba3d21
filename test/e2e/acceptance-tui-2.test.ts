// Acceptance walk of SPEC §3 (the TUI), second pass: keys whose effect reaches the record or the log.
// Needs `npm run build` first (npm test does it).
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli';
import { hasTmux } from '../helpers/tmux';
import { AFTER, expectTerminalRestored, predicate, records, setupRunbook, tmuxPerTest } from '../helpers/tui-acceptance';

const openTmux = tmuxPerTest();
const setup = (name: string, body: string, extra: Record<string, string> = {}) => setupRunbook('handrail-acc-tui2-', name, body, extra);

const FAILING = `---
id: failing
title: Failing walk
version: 3.1.4
---

# Failing walk

## Flood then fail

\`\`\`sh run id=flood
seq 1 5000; exit 3
\`\`\`

## After

\`\`\`sh run id=after
echo after-done
\`\`\`
`;

describe.skipIf(!hasTmux)('SPEC §3 keys in a terminal (second pass)', () => {
  it('a failed step: l shows all 5000 lines from its log and scrolls; s asks a reason that reaches the record', async () => {
    const { dir, state, env } = setup('failing.md', FAILING);
    const t = openTmux(`node ${BIN} run failing.md${AFTER}`, { cwd: dir, env, columns: 80, rows: 24 });
    await t.waitFor('Press Enter to start');
    t.send('Enter');
    const failed = await t.waitFor('r retry · s skip · q abort');
    expect(failed).toMatch(/✗ +1\. Flood then fail/);
    expect(failed).not.toContain('running');
    t.send('l');
    // The log's last line is seq's 5000, and its first is 1: far beyond the 200 lines kept in memory.
    const viewer = await t.waitFor(/lines \d+-5000 of 5000/);
    expect(viewer).toMatch(/^4999\n5000$/m);
    t.send('g');
    const top = await t.waitFor(/lines 1-\d+ of 5000/);
    expect(top).toMatch(/^1\n2\n3$/m);
    t.send('PageDown');
    // A page further down: the first line shown is no longer line 1.
    await t.waitFor((s) => Number(/lines (\d+)-\d+ of 5000/.exec(s)?.[1] ?? 1) > 1);
    t.send('G');
    await t.waitFor(/lines \d+-5000 of 5000/);
    t.send('Escape');
    await t.waitFor('r retry · s skip · q abort');
    t.send('s');
    await t.waitFor('Why skip this step?');
    t.type('known flaky, ticket OPS-12');
    await t.waitFor('known flaky, ticket OPS-12');
    t.send('Enter');
    await t.waitFor('Press any key to exit');
    t.send('x');
    const end = await t.waitFor('EXIT=');
    expect(end).toContain('EXIT=0');
    expectTerminalRestored(t, end);
    const [record] = records(state);
    const steps = predicate(record).steps as { id: string; status: string; reason?: string }[];
    const flood = steps.find((s) => s.id === 'flood');
    expect(flood?.status).toBe('skipped');
    expect(JSON.stringify(flood)).toContain('known flaky, ticket OPS-12');
    expect(steps.find((s) => s.id === 'after')?.status).toBe('passed');
  });

  it('Ctrl+C at a failed step leaves at once (no "press any key"), with the record written and the terminal restored', async () => {
    const { dir, state, env } = setup('failing.md', FAILING);
    const t = openTmux(`node ${BIN} run failing.md${AFTER}`, { cwd: dir, env });
    await t.waitFor('Press Enter to start');
    t.send('Enter');
    await t.waitFor('r retry · s skip · q abort');
    t.send('C-c');
    const end = await t.waitFor('EXIT=');
    expect(end).toContain('EXIT=1');
    expect(end).toContain('Record:');
    expect(end).not.toMatch(/\bat \S+ \(|node_modules/);
    expectTerminalRestored(t, end);
    const [record] = records(state);
    // A step failed before the operator left: the run failed, and the reason says both.
    const p = predicate(record);
    expect(p).toMatchObject({ outcome: 'failed', outcomeReason: 'step flood failed and the operator aborted: exit status 3' });
    expect((p.steps as { id: string; status: string }[]).map((s) => `${s.id}:${s.status}`)).toEqual(['flood:failed', 'after:not-run']);
  });
});
