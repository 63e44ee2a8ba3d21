// The recorder on a real event bus, real files and a real signing key (in memory: the keychain and
// the key file are covered by record-keys.test.ts).
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EventBus } from '../../src/core/bus';
import type { EventOf, RunEvent, StepStatus } from '../../src/core/events';
import type { Runbook } from '../../src/core/model';
import { startRecorder, findResumable, discardResumable } from '../../src/record';
import { keyId } from '../../src/record/dsse';
import { readJournal } from '../../src/record/journal-read';
import type { SigningKey } from '../../src/record/keys';
import { verifyRecord } from '../../src/record/verify';

const pair = generateKeyPairSync('ed25519');
const key: SigningKey = { ...pair, keyid: keyId(pair.publicKey), source: 'file' };
const signingKey = async () => key;
const trusted = [{ key: pair.publicKey, label: 'test' }];

function runbook(sha = 'a'.repeat(64)): Runbook {
  return {
    path: 'runbooks/deploy.md',
    dir: resolve('runbooks'),
    source: '',
    sha256: sha,
    meta: { id: 'deploy', title: 'Deploy', version: '1.2.0' },
    steps: [],
  };
}

const STEPS = [
  { id: 'check', index: 0, kind: 'check' as const, title: 'Check', section: 'Check' },
  { id: 'push', index: 1, kind: 'run' as const, title: 'Push', section: 'Push' },
  { id: 'tick', index: 2, kind: 'confirm' as const, title: 'Tick', section: 'Tick' },
];

let clock = 0;
const at = () => new Date(Date.UTC(2025, 0, 2, 3, 0, clock++)).toISOString();

function started(resumed?: { journalPath: string; fromIndex: number }): RunEvent {
  return {
    type: 'run-started',
    at: at(),
    runId: 'run-1',
    runbook: { path: 'runbooks/deploy.md', id: 'deploy', title: 'Deploy', version: '1.2.0', sha256: 'a'.repeat(64) },
    mode: 'live',
    steps: STEPS,
    operator: { user: 'ops', host: 'box' },
    tool: { name: 'handrail', version: '0.1.0' },
    ...(resumed ? { resumed } : {}),
  };
}

function stepStarted(stepId: string, index: number): EventOf<'step-started'> {
  return { type: 'step-started', at: at(), stepId, index, attempt: 1, display: 'x', rehearsal: false };
}

function stepFinished(
  stepId: string,
  index: number,
  status: StepStatus,
  startedAt: string,
  extra: Partial<RunEvent> = {},
): EventOf<'step-finished'> {
  return { type: 'step-finished', at: at(), stepId, index, status, startedAt, durationMs: 1000, ...extra } as EventOf<'step-finished'>;
}

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'handrail-recorder-'));
  return { root, stateDir: join(root, 'state'), recordDir: join(root, 'records') };
}

function decode(path: string) {
  const envelope = JSON.parse(readFileSync(path, 'utf8'));
  return JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
}

describe('the recorder', () => {
  it('has every event on disk before the next subscriber (and so the engine) goes on', () => {
    const { stateDir, recordDir } = setup();
    const bus = new EventBus();
    const recorder = startRecorder(bus, { runbook: runbook(), stateDir, recordDir, signingKey });
    const seenOnDisk: string[][] = [];
    bus.subscribe(() => seenOnDisk.push(readJournal(recorder.journalPath).events.map((e) => e.type)));
    bus.emit(started());
    bus.emit(stepStarted('check', 0));
    bus.emit({ type: 'output', stepId: 'check', stream: 'stdout', text: 'lots of output\n' });
    expect(seenOnDisk).toEqual([['run-started'], ['run-started', 'step-started'], ['run-started', 'step-started']]);
    expect(statSync(recorder.journalPath).mode & 0o777).toBe(0o600);
  });

  it('writes no journal and no record for a run that never started', async () => {
    const { stateDir, recordDir } = setup();
    const bus = new EventBus();
    const recorder = startRecorder(bus, { runbook: runbook(), stateDir, recordDir, signingKey });
    expect(await recorder.finish()).toBe('');
    expect(() => readdirSync(join(stateDir, 'journals'))).toThrow();
  });

  it('writes a signed record of a completed run, named for the runbook, time and outcome', async () => {
    const { stateDir, recordDir } = setup();
    const bus = new EventBus();
    const seen: RunEvent[] = [];
    bus.subscribe((e) => seen.push(e));
    const recorder = startRecorder(bus, { runbook: runbook(), stateDir, recordDir, signingKey });
    bus.emit(started());
    bus.emit({ type: 'input-given', at: at(), name: 'ORG', value: 'craton-co', source: 'set' });
    bus.emit({ type: 'secret-resolved', at: at(), name: 'GH_PAT', source: 'env' });
    bus.emit({ type: 'github-login', at: at(), login: 'octo' });
    const s0 = stepStarted('check', 0);
    bus.emit(s0);
    bus.emit(stepFinished('check', 0, 'passed', s0.at, { exitCode: 0, output: { sha256: 'c'.repeat(64), bytes: 3, tail: 'ok\n' } }));
    bus.emit({ type: 'decision', at: at(), stepId: 'push', decision: 'skip', reason: 'done by hand', auto: false });
    bus.emit(stepFinished('push', 1, 'skipped', at(), { reason: 'done by hand' }));
    bus.emit({ type: 'run-ended', at: '2025-01-02T03:00:59.000Z', outcome: 'completed' });
    const path = await recorder.finish();

    expect(path).toBe(join(recordDir, 'deploy-20250102T030059Z-completed.json'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(recordDir).mode & 0o777).toBe(0o700);
    expect(seen.at(-1)).toMatchObject({ type: 'record-written', path });

    const outcome = verifyRecord(readFileSync(path, 'utf8'), trusted);
    expect(outcome.ok).toBe(true);
    const statement = decode(path);
    expect(statement.subject).toEqual([{ name: 'runbooks/deploy.md', digest: { sha256: 'a'.repeat(64) } }]);
    const p = statement.predicate;
    expect(p).toMatchObject({
      runbook: { id: 'deploy', title: 'Deploy', version: '1.2.0' },
      mode: 'live',
      outcome: 'completed',
      operator: { user: 'ops', host: 'box', githubLogin: 'octo' },
      tool: { name: 'handrail', version: '0.1.0' },
      inputs: { ORG: 'craton-co' },
      secrets: [{ name: 'GH_PAT', source: 'env' }],
    });
    expect(p.steps.map((s: { id: string; status: string }) => [s.id, s.status])).toEqual([
      ['check', 'passed'],
      ['push', 'skipped'],
      ['tick', 'not-run'],
    ]);
    expect(p.steps[0]).toMatchObject({ exitCode: 0, output: { sha256: 'c'.repeat(64), tail: 'ok\n' } });
    expect(p.steps[1].skipReason).toBe('done by hand');

    // The record pins the journal as it stood at run-ended.
    const journal = readJournal(recorder.journalPath);
    const endIndex = journal.entries.findIndex((e) => 'event' in e && e.event.type === 'run-ended');
    expect(p.journal.entries).toBe(endIndex + 1);
    const lines = readFileSync(recorder.journalPath, 'utf8').split('\n');
    const { createHash } = await import('node:crypto');
    expect(p.journal.lastEntrySha256).toBe(createHash('sha256').update(lines[endIndex]).digest('hex'));
  });

  it('records an aborted run, with a reason, when the engine stops without run-ended', async () => {
    const { stateDir, recordDir } = setup();
    const bus = new EventBus();
    const recorder = startRecorder(bus, { runbook: runbook(), stateDir, recordDir, signingKey });
    bus.emit(started());
    bus.emit(stepStarted('check', 0));
    const path = await recorder.finish();
    expect(path).toMatch(/-aborted\.json$/);
    expect(decode(path).predicate).toMatchObject({ outcome: 'aborted', outcomeReason: 'the run stopped without ending' });
  });

  it('never writes a secret value: secrets appear by name and source only', async () => {
    const { stateDir, recordDir } = setup();
    const bus = new EventBus();
    const recorder = startRecorder(bus, { runbook: runbook(), stateDir, recordDir, signingKey });
    bus.emit(started());
    bus.emit({ type: 'secret-resolved', at: at(), name: 'GH_PAT', source: 'keychain' });
    bus.emit({ type: 'run-ended', at: at(), outcome: 'failed', reason: 'check failed' });
    const path = await recorder.finish();
    expect(decode(path).predicate.secrets).toEqual([{ name: 'GH_PAT', source: 'keychain' }]);
    expect(decode(path).predicate.outcomeReason).toBe('check failed');
  });
});

describe('resume', () => {
  function crashedRun() {
    const dirs = setup();
    const bus = new EventBus();
    const recorder = startRecorder(bus, { runbook: runbook(), stateDir: dirs.stateDir, recordDir: dirs.recordDir, signingKey });
    bus.emit(started());
    bus.emit({ type: 'input-given', at: at(), name: 'ORG', value: 'craton-co', source: 'prompt' });
    const s0 = stepStarted('check', 0);
    bus.emit(s0);
    const f0 = stepFinished('check', 0, 'passed', s0.at, { exitCode: 0 });
    bus.emit(f0);
    bus.emit({ type: 'capture', at: at(), stepId: 'check', name: 'DIGEST', value: 'sha256:1' });
    bus.emit(stepStarted('push', 1));
    // …and the process dies here: no finish(), no run-ended.
    return { ...dirs, journalPath: recorder.journalPath, f0 };
  }

  it('finds the unfinished run of the same runbook with finished steps, the interrupted one and variables', async () => {
    const { stateDir, journalPath } = crashedRun();
    const state = await findResumable(runbook(), { stateDir });
    expect(state).toBeDefined();
    expect(state!.journalPath).toBe(journalPath);
    expect(state!.runId).toBe('run-1');
    expect([...state!.finished]).toEqual([['check', 'passed']]);
    expect(state!.interruptedStepId).toBe('push');
    expect(state!.variables).toEqual({ ORG: 'craton-co', DIGEST: 'sha256:1' });
    expect(state!.runbookChanged).toBe(false);
  });

  it('says when the runbook changed, and ignores other runbooks and other paths', async () => {
    const { stateDir } = crashedRun();
    expect((await findResumable(runbook('f'.repeat(64)), { stateDir }))?.runbookChanged).toBe(true);
    const other = { ...runbook(), meta: { id: 'other', title: 'O', version: '1.0.0' } };
    expect(await findResumable(other, { stateDir })).toBeUndefined();
    expect(await findResumable({ ...runbook(), path: 'elsewhere/deploy.md' }, { stateDir })).toBeUndefined();
  });

  it('does not offer a run that ended, or one the operator restarted', async () => {
    const { stateDir } = crashedRun();
    const state = await findResumable(runbook(), { stateDir });
    discardResumable(state!);
    expect(await findResumable(runbook(), { stateDir })).toBeUndefined();
    expect(readJournal(state!.journalPath).warnings).toEqual([]);
  });

  it('offers a failed step that was awaiting a decision again instead of stepping past it', async () => {
    const dirs = setup();
    const bus = new EventBus();
    startRecorder(bus, { runbook: runbook(), stateDir: dirs.stateDir, signingKey });
    bus.emit(started());
    const s0 = stepStarted('check', 0);
    bus.emit(s0);
    bus.emit(stepFinished('check', 0, 'failed', s0.at, { exitCode: 3 }));
    const state = await findResumable(runbook(), { stateDir: dirs.stateDir });
    expect(state!.finished.has('check')).toBe(false);
  });

  it('survives a torn last line: keeps what was written and says so', async () => {
    const { stateDir, journalPath } = crashedRun();
    writeFileSync(journalPath, readFileSync(journalPath, 'utf8') + '{"seq":9,"prev":"0');
    const state = await findResumable(runbook(), { stateDir });
    expect(state!.interruptedStepId).toBe('push');
    expect(state!.warnings?.[0]).toMatch(/cut off mid-write/);
  });

  it('continues the same journal, and the final record holds every step with its original times', async () => {
    const { stateDir, recordDir, journalPath, f0 } = crashedRun();
    const state = (await findResumable(runbook(), { stateDir }))!;
    const bus = new EventBus();
    const recorder = startRecorder(bus, { runbook: runbook(), stateDir, recordDir, resume: state, signingKey });
    expect(recorder.journalPath).toBe(journalPath);
    bus.emit(started({ journalPath, fromIndex: 1 }));
    bus.emit({ type: 'decision', at: at(), stepId: 'push', decision: 'rerun-interrupted', auto: true });
    const s1 = stepStarted('push', 1);
    bus.emit(s1);
    bus.emit(stepFinished('push', 1, 'passed', s1.at, { exitCode: 0 }));
    const s2 = stepStarted('tick', 2);
    bus.emit(s2);
    bus.emit(stepFinished('tick', 2, 'auto-confirmed', s2.at));
    bus.emit({ type: 'run-ended', at: at(), outcome: 'completed' });
    const path = await recorder.finish();

    expect(verifyRecord(readFileSync(path, 'utf8'), trusted).ok).toBe(true);
    const p = decode(path).predicate;
    expect(p.outcome).toBe('completed');
    expect(p.steps.map((s: { status: string }) => s.status)).toEqual(['passed', 'passed', 'auto-confirmed']);
    expect(p.steps[0]).toMatchObject({ start: f0.startedAt, end: f0.at });
    expect(p.steps[1].attempts).toBe(2);
    expect(p.resumes).toHaveLength(1);
    expect(p.inputs).toEqual({ ORG: 'craton-co' });
    const journal = readJournal(journalPath);
    expect(journal.warnings).toEqual([]);
    expect(journal.events.filter((e) => e.type === 'run-started')).toHaveLength(2);
    expect(await findResumable(runbook(), { stateDir })).toBeUndefined();
  });
});
