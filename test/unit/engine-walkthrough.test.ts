// SPEC §3.1: a rehearsal in the TUI is a walk-through; --yes never stops; the step log holds what
// was shown. And "run it again" on an interrupted confirm step is the operator's one yes.
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Prompter } from '../../src/core/prompter';
import { eventsOf, execute, proceed, run, runbook, scriptedPrompter, statuses } from '../fixtures/engine/builders';

describe('a rehearsal as a walk-through', () => {
  it('asks the front end to move on at each step it does not execute, with the whole command, and logs it', async () => {
    const rb = runbook([
      run('touch should-not-exist && echo "a long command END-OF-COMMAND"', { id: 'retag' }),
      run('echo two', { id: 'two' }),
    ]);
    const shown: string[] = [];
    const prompter: Prompter = { ...scriptedPrompter(), rehearse: async ({ display }) => (shown.push(display), 'next') };
    const logDir = mkdtempSync(join(tmpdir(), 'handrail-walk-'));
    const r = await execute({ runbook: rb, prompter, mode: 'rehearsal', logDir });
    expect(r.outcome).toBe('completed');
    expect(shown).toHaveLength(2);
    expect(shown[0]).toContain('END-OF-COMMAND');
    expect(statuses(r.events)).toEqual({ retag: 'rehearsed', two: 'rehearsed' });
    const finished = eventsOf(r.events, 'step-finished').find((e) => e.stepId === 'retag')!;
    expect(readFileSync(finished.output!.logPath!, 'utf8')).toContain('touch should-not-exist && echo "a long command END-OF-COMMAND"');
  });

  it('q at a rehearsal stop ends the run aborted; the step shown counts as rehearsed', async () => {
    const rb = runbook([run('echo one', { id: 'one' }), run('echo two', { id: 'two' })]);
    const prompter: Prompter = { ...scriptedPrompter(), rehearse: async () => 'abort' };
    const r = await execute({ runbook: rb, prompter, mode: 'rehearsal' });
    expect(r.outcome).toBe('aborted');
    expect(statuses(r.events)).toEqual({ one: 'rehearsed' });
  });

  it('--yes never stops, and the log still holds what would have run', async () => {
    const rb = runbook([run('echo would-run', { id: 'one' })]);
    let asked = 0;
    const prompter: Prompter = { ...scriptedPrompter(), rehearse: async () => (asked++, 'next') };
    const logDir = mkdtempSync(join(tmpdir(), 'handrail-walk-'));
    const r = await execute({ runbook: rb, prompter, mode: 'rehearsal', yes: true, logDir });
    expect(asked).toBe(0);
    const finished = eventsOf(r.events, 'step-finished')[0];
    expect(readFileSync(finished.output!.logPath!, 'utf8')).toContain('echo would-run');
  });
});

describe('an interrupted confirm step', () => {
  it('"run it again" is the yes: confirm is not asked a second time', async () => {
    const rb = runbook([run('true', { id: 'first' }), run('true', { id: 'second', confirm: true })]);
    const prompter = scriptedPrompter({ interrupted: [proceed] });
    const r = await execute({
      runbook: rb,
      prompter,
      resume: {
        journalPath: '/dev/null',
        runId: 'earlier-run',
        finished: new Map([['first', 'passed']]),
        interruptedStepId: 'second',
        variables: {},
        runbookChanged: false,
      },
    });
    expect(r.exitCode).toBe(0);
    expect(prompter.asked.map((a) => a.kind)).toEqual(['begin', 'interrupted']);
    expect(statuses(r.events)).toEqual({ second: 'passed' });
  });
});
