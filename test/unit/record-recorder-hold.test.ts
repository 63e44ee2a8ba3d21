// The recorder's side of what an operator notices around a run: the run is held (locked) while it
// records and let go after, a resumed run held elsewhere is refused, and what went wrong with keys,
// the SSH signature or the records folder is said in the record and on the bus.
import { describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../../src/core/bus';
import type { RunEvent } from '../../src/core/events';
import { processStartTime } from '../../src/core/processes';
import { startRecorder } from '../../src/record';
import type { SigningKey } from '../../src/record/keys';
import { deployRunbook, runStarted, testSigningKey } from './record-fixtures';
import type { SshIdentity } from '../../src/record/ssh-identity';

const key = testSigningKey();
const runbook = deployRunbook;
const started = runStarted({ steps: [{ id: 'check', index: 0, kind: 'check', title: 'Check', section: 'S' }] });
const ended: RunEvent = { type: 'run-ended', at: '2025-01-02T03:00:09.000Z', outcome: 'completed' };

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'handrail-recorder-hold-'));
  return { root, stateDir: join(root, 'state'), recordDir: join(root, 'records') };
}

const predicate = (path: string) =>
  JSON.parse(Buffer.from(JSON.parse(readFileSync(path, 'utf8')).payload, 'base64').toString('utf8')).predicate;
const mine = `${process.pid}\n${processStartTime(process.pid)}\n`;

describe('the recorder holding its run', () => {
  it('holds the journal from the first event until the record is written', async () => {
    const { stateDir, recordDir } = setup();
    const bus = new EventBus();
    const recorder = startRecorder(bus, { runbook, stateDir, recordDir, signingKey: async () => key });
    const lock = `${recorder.journalPath}.lock`;
    expect(existsSync(lock)).toBe(false);
    bus.emit(started);
    expect(readFileSync(lock, 'utf8')).toBe(mine);
    bus.emit(ended);
    await recorder.finish();
    expect(existsSync(lock)).toBe(false);
  });

  it('lets go of a run that never started, and journals nothing after', async () => {
    const { stateDir, recordDir } = setup();
    const bus = new EventBus();
    const recorder = startRecorder(bus, { runbook, stateDir, recordDir, signingKey: async () => key });
    bus.emit({ type: 'notice', at: '2025-01-02T03:00:00.000Z', message: 'the outbox holds 1 record' });
    expect(existsSync(`${recorder.journalPath}.lock`)).toBe(true);
    const size = readFileSync(recorder.journalPath).length;
    expect(await recorder.finish()).toBe('');
    expect(existsSync(`${recorder.journalPath}.lock`)).toBe(false);
    bus.emit(started);
    expect(readFileSync(recorder.journalPath).length).toBe(size);
  });

  it('refuses to resume a run another live handrail holds, and holds a resumed run at once', async () => {
    const { stateDir, recordDir } = setup();
    const bus = new EventBus();
    const first = startRecorder(bus, { runbook, stateDir, recordDir, signingKey: async () => key });
    bus.emit(started);
    const journalPath = first.journalPath;
    // The first process died (kill -9) and another handrail, still alive, took the run over.
    writeFileSync(`${journalPath}.lock`, `${process.ppid}\n${processStartTime(process.ppid)}\n`);
    expect(() => startRecorder(new EventBus(), { runbook, stateDir, recordDir, resume: { journalPath } as never })).toThrow(
      `This run is held: it is being run right now by handrail process ${process.ppid}`,
    );
    // That one died too: resuming takes the run before any event.
    writeFileSync(`${journalPath}.lock`, '');
    startRecorder(new EventBus(), { runbook, stateDir, recordDir, resume: { journalPath } as never });
    expect(readFileSync(`${journalPath}.lock`, 'utf8')).toBe(mine);
  });

  it("keeps what reading a damaged journal warned of in the resumed run's record", async () => {
    const { stateDir, recordDir } = setup();
    const bus0 = new EventBus();
    const crashed = startRecorder(bus0, { runbook, stateDir, recordDir, signingKey: async () => key });
    bus0.emit(started);
    appendFileSync(crashed.journalPath, '{"seq": 7, "garbage": true}\n');
    const bus = new EventBus();
    const recorder = startRecorder(bus, {
      runbook,
      stateDir,
      recordDir,
      signingKey: async () => key,
      resume: { journalPath: crashed.journalPath } as never,
    });
    bus.emit(ended);
    const warnings: string[] = predicate(await recorder.finish()).warnings;
    expect(warnings.some((w) => w.startsWith('The damaged journal was copied to '))).toBe(true);
  });
});

describe('what the record says went wrong with signing and saving', () => {
  async function run(options: { signingKey?: () => Promise<SigningKey>; sshIdentity?: () => Promise<SshIdentity>; recordDir?: string }) {
    const dirs = setup();
    const bus = new EventBus();
    const seen: RunEvent[] = [];
    bus.subscribe((e) => seen.push(e));
    const recorder = startRecorder(bus, {
      runbook,
      stateDir: dirs.stateDir,
      recordDir: options.recordDir ?? dirs.recordDir,
      signingKey: options.signingKey ?? (async () => key),
      sshIdentity: options.sshIdentity,
    });
    bus.emit(started);
    bus.emit(ended);
    const path = await recorder.finish();
    const warned = seen.filter((e): e is Extract<RunEvent, { type: 'warning' }> => e.type === 'warning').map((e) => e.message);
    return { path, p: predicate(path), warned, ...dirs };
  }

  it("passes on the signing key's warning", async () => {
    const { p, warned } = await run({ signingKey: async () => ({ ...key, warning: 'the key file is readable by others' }) });
    expect(warned).toEqual(['the key file is readable by others']);
    expect(p.warnings).toEqual(['the key file is readable by others']);
  });

  it('says why the SSH signature is missing: a problem found, a lookup that threw, a signer that failed', async () => {
    expect(
      (await run({ sshIdentity: async () => ({ status: 'problem', message: 'no ssh-agent is running' }) })).p.operator.sshSignatureMissing,
    ).toBe('no ssh-agent is running');
    expect((await run({ sshIdentity: async () => ({ status: 'none', setup: 'how' }) })).p.operator).not.toHaveProperty(
      'sshSignatureMissing',
    );
    expect((await run({ sshIdentity: () => Promise.reject(new Error('git config broke')) })).p.operator.sshSignatureMissing).toBe(
      'Error: git config broke',
    );
    const failing: SshIdentity = {
      status: 'ready',
      signer: {
        key: { line: 'ssh-ed25519 AAAA', fingerprint: 'SHA256:fp' } as never,
        via: 'ssh-agent',
        sign: () => Promise.reject(new Error('agent 1.2 went away.')),
      },
    };
    const { p, warned } = await run({ sshIdentity: async () => failing });
    expect(warned).toContain('the record is not signed with your SSH key SHA256:fp: agent 1.2 went away.');
    expect(p.operator.sshSignatureMissing).toBe('signing with SSH key SHA256:fp failed at the end: agent 1.2 went away');
  });

  it('writes the record to the state folder, saying so, when the records folder cannot take it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'handrail-recorder-hold-'));
    writeFileSync(join(root, 'not-a-dir'), '');
    const { path, warned, stateDir } = await run({ recordDir: join(root, 'not-a-dir') });
    expect(path.startsWith(join(stateDir, 'records'))).toBe(true);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(/^Could not write .*not-a-dir.*; the record was written to .* instead\.$/);
  });
});
