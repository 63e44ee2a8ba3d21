// SPEC §6.5 without a terminal: a rehearsal's plan built from its events, the comparison functions,
// and a live run held to that plan stopping for drift before the next changing step.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareInputs, compareText, compareValue, type HeldTo } from '../../src/engine/drift';
import { buildStatement } from '../../src/record/build';
import { planDigest, type Plan } from '../../src/core/plan';
import type { Runbook } from '../../src/core/model';
import { check, eventsOf, execute, input, run, runbook, scriptedPrompter } from '../fixtures/engine/builders';

const PIN = { entries: 0, lastEntrySha256: '0'.repeat(64) };

/** A world the steps read (a file) and change (another file): the test moves it between the runs. */
function world(dir: string, options: { driftIgnore?: boolean } = {}): Runbook {
  return runbook(
    [
      check(`cat '${join(dir, 'tag')}'`, {
        id: 'read-tag',
        capture: 'TAG_NOW',
        ...(options.driftIgnore ? { driftIgnore: true as const } : {}),
      }),
      input('PICK', { id: 'pick', choices: ['a', 'b'] }),
      run(`echo "$CHANNEL $PICK" > '${join(dir, 'moved')}'`, { id: 'move' }),
    ],
    { inputs: { CHANNEL: { prompt: 'Channel', choices: ['prod', 'dev'] } } },
    dir,
  );
}

async function rehearse(book: Runbook, sets: Record<string, string>): Promise<HeldTo> {
  const { events, outcome } = await execute({ runbook: book, mode: 'rehearsal', yes: true, sets });
  expect(outcome).toBe('completed');
  const predicate = buildStatement(events, PIN)!.predicate;
  expect(predicate.planDigest).toBe(planDigest(predicate.plan!));
  return { plan: predicate.plan!, digest: predicate.planDigest!, by: 'tester@localhost', at: predicate.end };
}

describe('the plan a rehearsal records', () => {
  it('holds the inputs and choices, each step’s text and the values its checks captured', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handrail-drift-'));
    writeFileSync(join(dir, 'tag'), 'sha256:aaa\n');
    const held = await rehearse(world(dir), { CHANNEL: 'prod', PICK: 'a' });
    expect(held.plan.inputs).toEqual({ CHANNEL: 'prod', PICK: 'a' });
    const byId = Object.fromEntries(held.plan.steps.map((s) => [s.id, s]));
    expect(byId['read-tag']!.captured).toEqual({ TAG_NOW: 'sha256:aaa' });
    // The run step was shown, not run: its text is what the live run will be held to.
    expect(byId.move!.text).toContain('# CHANNEL=prod\n# PICK=a\necho "$CHANNEL $PICK"');
    expect(existsSync(join(dir, 'moved'))).toBe(false);
  });
});

describe('comparing with the plan', () => {
  const plan: Plan = {
    inputs: { CHANNEL: 'prod', PICK: 'a' },
    steps: [
      { id: 'read', kind: 'check', title: 'Read', text: 'cat tag', captured: { TAG: 'x' } },
      { id: 'stamp', kind: 'check', title: 'Stamp', text: 'date', captured: { WHEN: '2026-01-01' }, driftIgnore: true },
      { id: 'move', kind: 'run', title: 'Move', text: '# WHEN=2026-01-01\necho moved', captured: {} },
      { id: 'late', kind: 'run', title: 'Late', text: '', captured: {}, skipped: 'condition' },
    ],
  };
  it('finds a different input, and only that one', () => {
    expect(compareInputs(plan, { CHANNEL: 'prod' })).toEqual([]);
    expect(compareInputs(plan, { CHANNEL: 'dev' })).toEqual([{ field: 'input', name: 'CHANNEL', rehearsed: 'prod', now: 'dev' }]);
  });
  it('finds a captured value that moved, but not one marked drift=ignore or one the rehearsal never had', () => {
    expect(compareValue(plan, check('x', { id: 'read' }), 'TAG', 'x')).toBeUndefined();
    expect(compareValue(plan, check('x', { id: 'read' }), 'TAG', 'y')).toEqual({
      stepId: 'read',
      field: 'capture',
      name: 'TAG',
      rehearsed: 'x',
      now: 'y',
    });
    expect(compareValue(plan, check('x', { id: 'stamp', driftIgnore: true }), 'WHEN', '2027-02-02')).toBeUndefined();
    expect(compareValue(plan, check('x', { id: 'unknown' }), 'OTHER', 'y')).toBeUndefined();
  });
  it('finds a changing step whose text differs or that the rehearsal never reached; an ignored value is read as its name', () => {
    const ignored = new Map([['WHEN', { rehearsed: '2026-01-01', now: '2027-02-02' }]]);
    expect(compareText(plan, run('x', { id: 'move' }), '# WHEN=2027-02-02\necho moved', ignored)).toBeUndefined();
    expect(compareText(plan, run('x', { id: 'move' }), '# WHEN=2027-02-02\necho moved', new Map())?.field).toBe('text');
    expect(compareText(plan, run('x', { id: 'late' }), 'echo late', ignored)).toEqual({ stepId: 'late', field: 'text', now: 'echo late' });
  });
});

describe('a live run held to the plan', () => {
  async function setup(options: { driftIgnore?: boolean } = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'handrail-drift-'));
    writeFileSync(join(dir, 'tag'), 'sha256:aaa\n');
    const book = world(dir, options);
    const heldTo = await rehearse(book, { CHANNEL: 'prod', PICK: 'a' });
    return { dir, book, heldTo };
  }

  it('runs without a question when nothing changed', async () => {
    const { dir, book, heldTo } = await setup();
    const { events, outcome } = await execute({ runbook: book, yes: true, sets: { CHANNEL: 'prod', PICK: 'a' }, heldTo });
    expect(outcome).toBe('completed');
    expect(eventsOf(events, 'drift')).toEqual([]);
    expect(readFileSync(join(dir, 'moved'), 'utf8')).toBe('prod a\n');
  });

  it('under --yes, a different input ends the run before step 1, and --accept-drift records who went on', async () => {
    const { dir, book, heldTo } = await setup();
    const stopped = await execute({ runbook: book, yes: true, sets: { CHANNEL: 'dev', PICK: 'a' }, heldTo });
    expect(stopped.exitCode).toBe(1);
    expect(eventsOf(stopped.events, 'step-started')).toEqual([]);
    expect(eventsOf(stopped.events, 'drift')).toMatchObject([{ field: 'input', name: 'CHANNEL', rehearsed: 'prod', now: 'dev' }]);
    expect(eventsOf(stopped.events, 'run-ended')[0]!.reason).toContain('before step 1');

    const accepted = await execute({ runbook: book, yes: true, sets: { CHANNEL: 'dev', PICK: 'a' }, heldTo, acceptDrift: true });
    expect(accepted.outcome).toBe('completed');
    const drifts = buildStatement(accepted.events, PIN)!.predicate.drifts;
    expect(drifts).toContainEqual({
      field: 'input',
      name: 'CHANNEL',
      rehearsed: 'prod',
      now: 'dev',
      decision: 'accepted',
      by: 'tester@localhost',
      auto: true,
    });
    expect(readFileSync(join(dir, 'moved'), 'utf8')).toBe('dev a\n');
  });

  it('stops before the changing step when a captured value moved; the operator’s "continue" is recorded with the values', async () => {
    const { dir, book, heldTo } = await setup();
    writeFileSync(join(dir, 'tag'), 'sha256:bbb\n');
    const prompter = scriptedPrompter({ input: ['a'], drift: ['continue'] });
    const { events, outcome } = await execute({ runbook: book, prompter, sets: { CHANNEL: 'prod' }, heldTo });
    expect(outcome).toBe('completed');
    const asked = prompter.asked.find((a) => a.kind === 'drift')!.request as { before: { step: { id: string } } };
    expect(asked.before.step.id).toBe('move');
    // Asked before the step started: nothing had run yet.
    const order = events
      .map((e) => (e.type === 'drift-decision' ? 'decision' : e.type === 'step-started' ? `start:${e.stepId}` : ''))
      .filter(Boolean);
    expect(order).toEqual(['start:read-tag', 'start:pick', 'decision', 'start:move']);
    expect(buildStatement(events, PIN)!.predicate.drifts).toEqual([
      {
        stepId: 'read-tag',
        field: 'capture',
        name: 'TAG_NOW',
        rehearsed: 'sha256:aaa',
        now: 'sha256:bbb',
        decision: 'accepted',
        by: 'tester@localhost',
        auto: false,
        beforeStepId: 'move',
      },
    ]);
  });

  it('an operator’s abort stops the run before the changing step runs', async () => {
    const { dir, book, heldTo } = await setup();
    writeFileSync(join(dir, 'tag'), 'sha256:bbb\n');
    const { events, exitCode } = await execute({
      runbook: book,
      prompter: scriptedPrompter({ input: ['a'], drift: ['abort'] }),
      sets: { CHANNEL: 'prod' },
      heldTo,
    });
    expect(exitCode).toBe(1);
    expect(existsSync(join(dir, 'moved'))).toBe(false);
    expect(buildStatement(events, PIN)!.predicate.drifts?.[0]).toMatchObject({ decision: 'aborted', by: 'tester@localhost' });
  });

  it('a different choice mid-run is drift too, and a drift=ignore capture is not', async () => {
    const { dir, book, heldTo } = await setup({ driftIgnore: true });
    writeFileSync(join(dir, 'tag'), 'sha256:bbb\n');
    const same = await execute({ runbook: book, yes: true, sets: { CHANNEL: 'prod', PICK: 'a' }, heldTo });
    expect(same.outcome).toBe('completed');
    expect(eventsOf(same.events, 'drift')).toEqual([]);
    const other = await execute({ runbook: book, yes: true, sets: { CHANNEL: 'prod', PICK: 'b' }, heldTo });
    expect(other.exitCode).toBe(1);
    // The move's text differs only by PICK, which is reported once, as the input it is.
    expect(eventsOf(other.events, 'drift').map((d) => [d.field, d.name ?? d.stepId])).toEqual([['input', 'PICK']]);
    expect(eventsOf(other.events, 'run-ended')[0]!.reason).toContain('before "Step');
  });

  it('a value only the live run could see (a dry-run=skip check found it) is not drift, nor is the command that uses it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handrail-drift-'));
    const book = runbook(
      [
        check('echo 4242', { id: 'find', capture: 'FOUND_ID', dryRun: 'skip' }),
        run(`echo "$FOUND_ID" > '${join(dir, 'used')}'`, { id: 'use' }),
      ],
      {},
      dir,
    );
    const heldTo = await rehearse(book, {});
    expect(heldTo.plan.steps.find((s) => s.id === 'use')!.text).not.toContain('FOUND_ID=');
    const live = await execute({ runbook: book, yes: true, heldTo });
    expect(live.outcome).toBe('completed');
    expect(eventsOf(live.events, 'drift')).toEqual([]);
    expect(readFileSync(join(dir, 'used'), 'utf8')).toBe('4242\n');
  });

  it('drift from an approved plan cannot be accepted, by the operator or by --accept-drift', async () => {
    const { dir, book, heldTo } = await setup();
    writeFileSync(join(dir, 'tag'), 'sha256:bbb\n');
    const approved = { ...heldTo, approved: true };
    const prompter = scriptedPrompter({ input: ['a'] });
    const asked = await execute({ runbook: book, prompter, sets: { CHANNEL: 'prod' }, heldTo: approved });
    expect(asked.exitCode).toBe(1);
    expect(prompter.asked.some((a) => a.kind === 'drift')).toBe(false);
    const auto = await execute({ runbook: book, yes: true, sets: { CHANNEL: 'prod', PICK: 'a' }, heldTo: approved, acceptDrift: true });
    expect(auto.exitCode).toBe(1);
    expect(eventsOf(auto.events, 'run-ended')[0]!.reason).toContain('have the new plan approved');
    expect(existsSync(join(dir, 'moved'))).toBe(false);
  });
});
