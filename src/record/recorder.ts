// Binds the journal and the record to the event bus: every event but output is journaled inside
// emit() (so it is on disk before the engine's next step), and finish() signs the record.
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { ensurePrivateDir, stateDir as defaultStateDir } from '../core/paths';
import { errorReason, HandrailError } from '../core/errors';
import type { EventBus } from '../core/bus';
import type { RunEvent } from '../core/events';
import type { ResumeState } from '../core/ports';
import type { Runbook } from '../core/model';
import { JournalWriter } from './journal';
import { GENESIS, JOURNAL_FORMAT } from './journal-format';
import { lockJournal, unlockJournal } from './lock';
import { RunningStepNote } from './running-step';
import { journalsDir } from './resume';
import { buildStatement } from './build';
import { loadSigningKey, type SigningKey } from './keys';
import { compactUtc, payloadBytes, writeRecord } from './write';
import { IN_TOTO_PAYLOAD_TYPE, pae, type Signature } from './dsse';
import type { Statement } from './predicate';
import type { SshIdentity } from './ssh-identity';

export interface RunRecorder {
  journalPath: string;
  /**
   * Call after the engine returns: signs and writes the record, emits `record-written`, returns its
   * path. Returns '' (and writes nothing) when no run started, e.g. usage errors before step 1.
   */
  finish(): Promise<string>;
}

export interface RecorderOptions {
  runbook: Runbook;
  recordDir?: string;
  resume?: ResumeState;
  stateDir?: string;
  /** Tests pass a key; the CLI uses the local signing key (made on first use). */
  signingKey?: () => Promise<SigningKey | undefined>;
  /** The operator's SSH signing identity (SPEC §6.1), found before step 1; the record carries its signature too. */
  sshIdentity?: () => Promise<SshIdentity>;
  /**
   * The journal could not be written (a full disk, a folder gone): journaling stops, every event is
   * still kept for the record, and this is called once, so the run can end rather than go on unjournaled.
   */
  onJournalFault?: (sentence: string) => void;
}

/** The SSH signature over the same PAE bytes as the Ed25519 one: `{ keyid: SHA256:…, sig: base64(armored) }`. */
async function sshSignature(statement: Statement, identity: Extract<SshIdentity, { status: 'ready' }>): Promise<Signature> {
  const armored = await identity.signer.sign(pae(IN_TOTO_PAYLOAD_TYPE, payloadBytes(statement)));
  return { keyid: identity.signer.key.fingerprint, sig: Buffer.from(armored, 'utf8').toString('base64') };
}

/**
 * A record is never lost (SPEC §6): when it cannot be written where it should go (a full disk, a
 * folder gone), it is written to the state directory's records folder, and the operator is told where.
 */
function writeRecordSomewhere(
  dir: string,
  fallback: string,
  statement: Statement,
  key: SigningKey,
  signatures: Signature[],
  warn: (message: string) => void,
): string {
  try {
    return writeRecord(dir, statement, key, signatures);
  } catch (error) {
    if (resolve(dir) === resolve(fallback) || !(error instanceof HandrailError)) throw error;
    let path: string;
    try {
      ensurePrivateDir(fallback);
      path = writeRecord(fallback, statement, key, signatures);
    } catch (second) {
      throw new HandrailError(`${error.what}, nor to the state directory: ${second instanceof Error ? second.message : String(second)}`);
    }
    // What went wrong stays; what to do about it is now done.
    warn(error.withFix(`the record was written to ${path} instead`).message);
    return path;
  }
}

export function startRecorder(bus: EventBus, options: RecorderOptions): RunRecorder {
  const state = options.stateDir ?? defaultStateDir();
  const events: RunEvent[] = [];
  const readWarnings: string[] = [];
  let writer: JournalWriter | undefined;
  let journalPath: string;
  if (options.resume) {
    const reopened = JournalWriter.reopen(options.resume.journalPath);
    writer = reopened.writer;
    journalPath = writer.path;
    events.push(...reopened.read.events);
    readWarnings.push(...reopened.read.warnings);
    lockJournal(journalPath);
  } else {
    const stamp = compactUtc(new Date().toISOString());
    journalPath = join(journalsDir(state), `${options.runbook.meta.id}-${stamp}-${randomBytes(4).toString('hex')}.jsonl`);
  }
  const stepNote = new RunningStepNote(journalPath);

  let locked = options.resume !== undefined;
  let journalFault: string | undefined;
  const journal = (event: RunEvent): void => {
    // Output is summarised by step-finished (digest and tail); journaling every chunk would make the
    // journal as large as the output and the fsyncs as many as the lines.
    if (event.type === 'output') return;
    if (event.type === 'step-process') return stepNote.note(event);
    if (journalFault === undefined) {
      try {
        // Created on the first event, so a run refused before it starts leaves no journal behind.
        writer ??= JournalWriter.create(journalPath, {
          format: JOURNAL_FORMAT,
          runbookId: options.runbook.meta.id,
          runbookPath: resolve(options.runbook.path),
          runbookSha256: options.runbook.sha256,
          createdAt: new Date().toISOString(),
        });
        if (!locked) {
          lockJournal(journalPath);
          locked = true;
        }
        writer.append({ event });
      } catch (error) {
        // Thrown from inside the engine's emit, this would end the run with no record. The events
        // stay in memory, so the record still holds them all; the record pins what reached the disk.
        journalFault = errorReason(error);
        options.onJournalFault?.(journalFault);
      }
    }
    events.push(event);
  };
  const unsubscribe = bus.subscribe(journal);

  let finished: Promise<string> | undefined;
  const finish = async (): Promise<string> => {
    if (!events.some((e) => e.type === 'run-started')) {
      unsubscribe();
      writer?.close();
      unlockJournal(journalPath);
      return '';
    }
    const key = await (options.signingKey ?? (() => loadSigningKey({ create: true })))();
    if (!key) throw new HandrailError('No record-signing key could be loaded or made; the record was not written.');
    if (key.warning) bus.emit({ type: 'warning', at: new Date().toISOString(), message: key.warning });
    for (const message of readWarnings)
      if (!events.some((e) => e.type === 'warning' && e.message === message))
        events.push({ type: 'warning', at: new Date().toISOString(), message });
    if (journalFault !== undefined)
      events.push({
        type: 'warning',
        at: new Date().toISOString(),
        message: `the journal stopped after entry ${writer?.entries ?? 0}: ${journalFault}; this record holds every event of the run.`,
      });
    const identity = await options.sshIdentity?.().catch((error: unknown): SshIdentity => ({ status: 'problem', message: String(error) }));
    const build = (operator: Partial<Statement['predicate']['operator']>): Statement => {
      const statement = buildStatement(events, { entries: writer?.entries ?? 0, lastEntrySha256: writer?.lastHash ?? GENESIS })!;
      Object.assign(statement.predicate.operator, operator);
      return statement;
    };
    let statement: Statement;
    const signatures: Signature[] = [];
    if (identity?.status === 'ready') {
      const sshKey = identity.signer.key;
      statement = build({ sshSigningKey: { publicKey: sshKey.line, fingerprint: sshKey.fingerprint } });
      try {
        signatures.push(await sshSignature(statement, identity));
      } catch (error) {
        // The agent went away, a hardware key was unplugged…: the record is still written, signed by
        // the local key, and says why the SSH signature is missing.
        const reason = errorReason(error);
        bus.emit({
          type: 'warning',
          at: new Date().toISOString(),
          message: `the record is not signed with your SSH key ${sshKey.fingerprint}: ${reason}.`,
        });
        statement = build({ sshSignatureMissing: `signing with SSH key ${sshKey.fingerprint} failed at the end: ${reason}` });
      }
    } else {
      statement = build(identity?.status === 'problem' ? { sshSignatureMissing: identity.message } : {});
    }
    let path: string;
    try {
      path = writeRecordSomewhere(
        options.recordDir ?? join(state, 'records'),
        join(state, 'records'),
        statement,
        key,
        signatures,
        (message) => bus.emit({ type: 'warning', at: new Date().toISOString(), message }),
      );
      bus.emit({ type: 'record-written', at: new Date().toISOString(), path });
    } finally {
      // Whatever happened, the run is over: the journal is closed and the run no longer held.
      unsubscribe();
      writer?.close();
      stepNote.forget();
      unlockJournal(journalPath);
    }
    return path;
  };

  return {
    journalPath,
    finish: () => (finished ??= finish()),
  };
}
