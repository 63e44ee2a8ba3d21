// Which unfinished journal a new run of a runbook is offered to resume, and what it is told of it:
// journals written with the real journal writer into a temporary state folder.
import { describe, expect, it } from 'vitest';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RunEvent } from '../../src/core/events';
import { findResumable } from '../../src/record';
import { JournalWriter } from '../../src/record/journal';
import { JOURNAL_FORMAT } from '../../src/record/journal-format';
import { deployRunbook, runStarted } from './record-fixtures';

const runbook = deployRunbook;

const T = (s: number) => new Date(Date.UTC(2025, 0, 2, 3, 0, s)).toISOString();

const started = (runId: string): RunEvent =>
  runStarted({
    at: T(0),
    runId,
    steps: [
      { id: 'a', index: 0, kind: 'run', title: 'A', section: 'S' },
      { id: 'b', index: 1, kind: 'run', title: 'B', section: 'S' },
    ],
  });
const stepStarted = (stepId: string, s: number): RunEvent => ({
  type: 'step-started',
  at: T(s),
  stepId,
  index: 0,
  attempt: 1,
  display: 'x',
  rehearsal: false,
});
const stepFinished = (stepId: string, s: number): RunEvent => ({
  type: 'step-finished',
  at: T(s),
  stepId,
  index: 0,
  status: 'passed',
  startedAt: T(s),
  durationMs: 1,
});

function stateDir() {
  const dir = mkdtempSync(join(tmpdir(), 'handrail-resume-'));
  mkdirSync(join(dir, 'journals'), { recursive: true });
  return dir;
}

function journal(dir: string, name: string, events: RunEvent[], header: { id?: string; createdAt?: string } = {}): string {
  const path = join(dir, 'journals', name);
  const writer = JournalWriter.create(path, {
    format: JOURNAL_FORMAT,
    runbookId: header.id ?? 'deploy',
    runbookPath: resolve(runbook.path),
    runbookSha256: runbook.sha256,
    createdAt: header.createdAt ?? T(0),
  });
  for (const event of events) writer.append({ event });
  writer.close();
  return path;
}

describe('finding the run to resume', () => {
  it('offers the newest unfinished run, whatever order the folder lists them in, with no warnings for a sound journal', async () => {
    for (const order of [
      [1, 3, 2],
      [3, 2, 1],
      [2, 1, 3],
    ]) {
      const dir = stateDir();
      // Names sort against their age: deploy-1 is the newest.
      for (const n of order) journal(dir, `deploy-${n}.jsonl`, [started(`run-${n}`)], { createdAt: T(10 - n) });
      const state = (await findResumable(runbook, { stateDir: dir }))!;
      expect(state.journalPath).toBe(join(dir, 'journals', 'deploy-1.jsonl'));
      expect(state.runId).toBe('run-1');
      expect(state.warnings).toBeUndefined();
    }
  });

  it("keeps the first run's id and inputs, and the steps as the latest resume listed them", async () => {
    const dir = stateDir();
    const resumed = {
      ...(started('ignored') as Extract<RunEvent, { type: 'run-started' }>),
      steps: [{ id: 'c', index: 0, kind: 'run' as const, title: 'C', section: 'S' }],
    };
    journal(dir, 'deploy-1.jsonl', [
      started('first'),
      { type: 'input-given', at: T(1), name: 'ORG', value: 'craton', source: 'set' },
      { type: 'capture', at: T(2), stepId: 'a', name: 'DIGEST', value: 'sha256:1' },
      resumed,
    ]);
    const state = (await findResumable(runbook, { stateDir: dir }))!;
    expect(state.runId).toBe('first');
    expect(state.inputs).toEqual({ ORG: 'craton' });
    expect(state.variables).toEqual({ ORG: 'craton', DIGEST: 'sha256:1' });
    expect(state.steps?.map((s) => s.id)).toEqual(['c']);
  });

  it('offers a run whose header was changed, as damaged', async () => {
    const dir = stateDir();
    const path = journal(dir, 'deploy-1.jsonl', [started('r')]);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace(T(0), T(7)));
    const state = (await findResumable(runbook, { stateDir: dir }))!;
    expect(state.journalPath).toBe(path);
    expect(state.damage?.problem).toBe('entry 1 does not chain to entry 0: one of the two was changed');
  });

  it('passes over a journal with no run in it, one of another runbook, and files that are not journals', async () => {
    const dir = stateDir();
    journal(dir, 'deploy-1.jsonl', []);
    journal(dir, 'deploy-eu-2.jsonl', [started('other')], { id: 'deploy-eu' });
    const real = journal(dir, 'deploy-3.jsonl', [started('real')], { createdAt: T(1) });
    // A copy kept aside (say, of a damaged journal), newer by its header: not a journal to resume.
    const elsewhere = stateDir();
    copyFileSync(journal(elsewhere, 'deploy-4.jsonl', [started('copy')], { createdAt: T(9) }), `${real}.damaged-2025`);
    const state = (await findResumable(runbook, { stateDir: dir }))!;
    expect(state.runId).toBe('real');
    expect(await findResumable({ ...runbook, meta: { ...runbook.meta, id: 'deploy-eu' } }, { stateDir: dir })).toMatchObject({
      runId: 'other',
    });
  });

  it('offers a journal damaged before its run started, rather than starting every step afresh', async () => {
    const dir = stateDir();
    const path = journal(dir, 'deploy-1.jsonl', []);
    appendFileSync(path, '{"seq": 1, "prev": "bad", "event": {"type": "run-started"}}\n');
    const state = (await findResumable(runbook, { stateDir: dir }))!;
    expect(state.journalPath).toBe(path);
    expect(state.runId).toBe('');
    expect(state.damage).toBeDefined();
    expect(state.warnings?.length).toBeGreaterThan(0);
  });

  it('does not take a step started again after it finished as finished', async () => {
    const dir = stateDir();
    journal(dir, 'deploy-1.jsonl', [
      started('r'),
      stepStarted('a', 1),
      stepFinished('a', 2),
      stepStarted('b', 3),
      stepFinished('b', 4),
      stepStarted('a', 5),
    ]);
    const state = (await findResumable(runbook, { stateDir: dir }))!;
    expect([...state.finished]).toEqual([['b', 'passed']]);
    expect(state.interruptedStepId).toBe('a');
  });

  it('has no interrupted step when the last started step finished', async () => {
    const dir = stateDir();
    journal(dir, 'deploy-1.jsonl', [started('r'), stepStarted('a', 1), stepFinished('a', 2)]);
    const state = (await findResumable(runbook, { stateDir: dir }))!;
    expect(state.interruptedStepId).toBeUndefined();
    expect([...state.finished]).toEqual([['a', 'passed']]);
  });

  it('takes a step the operator chose to skip as done, unless it was running when the run died', async () => {
    const dir = stateDir();
    const skip = (stepId: string, s: number): RunEvent => ({
      type: 'decision',
      at: T(s),
      stepId,
      decision: 'skip',
      reason: 'by hand',
      auto: false,
    });
    const retry = (stepId: string, s: number): RunEvent => ({ type: 'decision', at: T(s), stepId, decision: 'retry', auto: false });
    journal(dir, 'deploy-1.jsonl', [started('r'), retry('a', 1), skip('a', 2), retry('c', 3), stepStarted('b', 3), skip('b', 4)]);
    const state = (await findResumable(runbook, { stateDir: dir }))!;
    expect([...state.finished]).toEqual([['a', 'skipped']]);
    expect(state.interruptedStepId).toBe('b');
  });
});
