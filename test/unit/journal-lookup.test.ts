// Starting a run looks for an unfinished journal of the same runbook among every journal ever
// written; it reads only the ends of the others. And a finished step's journal entry is synced in the
// background, with the next step's start carrying it to disk. Real files, real journals.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { EventBus } from '../../src/core/bus';
import type { EventOf, RunEvent } from '../../src/core/events';
import type { Runbook } from '../../src/core/model';
import { startRecorder } from '../../src/record/recorder';
import { findResumable } from '../../src/record/resume';
import { JournalWriter, syncPolicy } from '../../src/record/journal';
import { JOURNAL_FORMAT } from '../../src/record/journal-format';
import { readJournal } from '../../src/record/journal-read';
import { keyId } from '../../src/record/dsse';
import type { SigningKey } from '../../src/record/keys';

const pair = generateKeyPairSync('ed25519');
const key: SigningKey = { ...pair, keyid: keyId(pair.publicKey), source: 'file' };

function runbook(id: string): Runbook {
  return {
    path: `runbooks/${id}.md`,
    dir: resolve('runbooks'),
    source: '',
    sha256: 'a'.repeat(64),
    meta: { id, title: id, version: '1.0.0' },
    steps: [],
  };
}

let clock = 0;
const at = () => new Date(Date.UTC(2025, 0, 2, 3, 0, clock++)).toISOString();

function started(id: string, runId: string): RunEvent {
  return {
    type: 'run-started',
    at: at(),
    runId,
    runbook: { path: `runbooks/${id}.md`, id, title: id, version: '1.0.0', sha256: 'a'.repeat(64) },
    mode: 'live',
    steps: [{ id: 's0', index: 0, kind: 'run', title: 'S0', section: 'S' }],
    operator: { user: 'ops', host: 'box' },
    tool: { name: 'handrail', version: '0.1.0' },
  };
}

const stepStarted = (stepId: string): EventOf<'step-started'> => ({
  type: 'step-started',
  at: at(),
  stepId,
  index: 0,
  attempt: 1,
  display: 'x',
  rehearsal: false,
});
const stepFinished = (stepId: string, tail = ''): EventOf<'step-finished'> => ({
  type: 'step-finished',
  at: at(),
  stepId,
  index: 0,
  status: 'passed',
  startedAt: at(),
  durationMs: 1,
  output: { sha256: 'c'.repeat(64), bytes: tail.length, tail },
});

/** A run of `steps` steps; `end` decides whether it finished (and wrote its record) or died. */
async function journalRun(stateDir: string, id: string, runId: string, options: { steps: number; end: boolean; tail?: string }) {
  const bus = new EventBus();
  const recorder = startRecorder(bus, {
    runbook: runbook(id),
    stateDir,
    recordDir: join(stateDir, '..', 'records'),
    signingKey: async () => ({ ...key, warning: 'the key is in a file' }),
  });
  bus.emit(started(id, runId));
  for (let i = 0; i < options.steps; i++) {
    bus.emit(stepStarted(`s${i}`));
    bus.emit(stepFinished(`s${i}`, options.tail));
  }
  if (options.end) {
    bus.emit({ type: 'run-ended', at: at(), outcome: 'completed' });
    await recorder.finish();
  } else {
    bus.emit(stepStarted('dying'));
  }
  return recorder.journalPath;
}

const stateOf = () => join(mkdtempSync(join(tmpdir(), 'handrail-lookup-')), 'state');

describe('finding the run to resume', () => {
  it('skips finished runs (their record written after run-ended) and finds the one unfinished run among them', async () => {
    const stateDir = stateOf();
    const unfinished = await journalRun(stateDir, 'deploy', 'crashed', { steps: 2, end: false });
    for (let i = 0; i < 5; i++) await journalRun(stateDir, 'deploy', `done-${i}`, { steps: 3, end: true });
    const state = await findResumable(runbook('deploy'), { stateDir });
    expect(state?.journalPath).toBe(unfinished);
    expect(state?.runId).toBe('crashed');
    expect(state?.interruptedStepId).toBe('dying');
  });

  it('offers nothing when every earlier run finished, however long its journal', async () => {
    const stateDir = stateOf();
    // Step tails make the journal far longer than the part of its end that is read.
    const path = await journalRun(stateDir, 'deploy', 'long', { steps: 40, end: true, tail: 'line of output\n'.repeat(200) });
    expect(readFileSync(path).length).toBeGreaterThan(128 * 1024);
    expect(await findResumable(runbook('deploy'), { stateDir })).toBeUndefined();
  });

  it('finds an unfinished run whose journal is longer than the part of its end that is read', async () => {
    const stateDir = stateOf();
    await journalRun(stateDir, 'deploy', 'long-crash', { steps: 40, end: false, tail: 'line of output\n'.repeat(200) });
    const state = await findResumable(runbook('deploy'), { stateDir });
    expect(state?.runId).toBe('long-crash');
    expect(state?.finished.size).toBe(40);
  });

  it("never offers another runbook's run, even one whose id starts with this runbook's id", async () => {
    const stateDir = stateOf();
    await journalRun(stateDir, 'deploy-db', 'other', { steps: 1, end: false });
    expect(await findResumable(runbook('deploy'), { stateDir })).toBeUndefined();
    expect((await findResumable(runbook('deploy-db'), { stateDir }))?.runId).toBe('other');
  });

  it('still offers an unfinished run whose last line was torn by kill -9', async () => {
    const stateDir = stateOf();
    const path = await journalRun(stateDir, 'deploy', 'torn', { steps: 1, end: false });
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"seq":99,"prev":"0`);
    const state = await findResumable(runbook('deploy'), { stateDir });
    expect(state?.runId).toBe('torn');
    expect(state?.warnings?.[0]).toMatch(/cut off mid-write/);
  });
});

describe('syncing the journal', () => {
  it('makes the engine wait for the disk at each step start and decision, never twice for one step', () => {
    const event = (e: RunEvent) => syncPolicy({ event: e });
    expect(event(stepStarted('a'))).toBe('now');
    expect(event({ type: 'decision', at: at(), stepId: 'a', decision: 'skip', reason: 'r', auto: false })).toBe('now');
    expect(event({ type: 'run-ended', at: at(), outcome: 'completed' })).toBe('now');
    expect(event(stepFinished('a'))).toBe('background');
    expect(event({ type: 'warning', at: at(), message: 'm' })).toBe('none');
  });

  it('keeps every entry, chained, when the journal is closed while a finished step is still being synced', async () => {
    const path = join(stateOf(), 'journals', 'x.jsonl');
    const writer = JournalWriter.create(path, {
      format: JOURNAL_FORMAT,
      runbookId: 'x',
      runbookPath: '/x.md',
      runbookSha256: 'a'.repeat(64),
      createdAt: at(),
    });
    writer.append({ event: stepStarted('a') });
    writer.append({ event: stepFinished('a') });
    writer.close();
    // The background sync runs on a later turn of the event loop, after the close.
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 0));
    const read = readJournal(path);
    expect(read.damaged).toBe(false);
    expect(read.events.map((e) => e.type)).toEqual(['step-started', 'step-finished']);
    expect(read.lastHash).toBe(writer.lastHash);
  });

  it('writes entries appended after a finished step into the same valid chain', async () => {
    const path = join(stateOf(), 'journals', 'y.jsonl');
    const writer = JournalWriter.create(path, {
      format: JOURNAL_FORMAT,
      runbookId: 'y',
      runbookPath: '/y.md',
      runbookSha256: 'a'.repeat(64),
      createdAt: at(),
    });
    writer.append({ event: stepStarted('a') });
    writer.append({ event: stepFinished('a') });
    // The engine waiting for the operator: the background sync gets its turn.
    await new Promise((r) => setImmediate(r));
    writer.append({ event: stepStarted('b') });
    writer.append({ event: stepFinished('b') });
    writer.close();
    const read = readJournal(path);
    expect(read.damaged).toBe(false);
    expect(read.events.map((e) => (e.type === 'step-started' || e.type === 'step-finished' ? `${e.type}:${e.stepId}` : e.type))).toEqual([
      'step-started:a',
      'step-finished:a',
      'step-started:b',
      'step-finished:b',
    ]);
  });
});
