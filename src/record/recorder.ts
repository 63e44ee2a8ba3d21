// Binds the journal and the record to the event bus: every event but output is journaled inside
// emit() (so it is on disk before the engine's next step), and finish() signs the record.
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { stateDir as defaultStateDir } from '../paths';
import { HandrailError } from '../errors';
import type { EventBus } from '../engine/bus';
import type { RunEvent } from '../engine/events';
import type { ResumeState } from '../engine/ports';
import type { Runbook } from '../runbook/model';
import { JOURNAL_FORMAT, JournalWriter } from './journal';
import { lockJournal, unlockJournal } from './lock';
import { forgetRunningStep, noteRunningStep } from './running-step';
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
}

/** The SSH signature over the same PAE bytes as the Ed25519 one: `{ keyid: SHA256:…, sig: base64(armored) }`. */
async function sshSignature(statement: Statement, identity: Extract<SshIdentity, { status: 'ready' }>): Promise<Signature> {
  const armored = await identity.signer.sign(pae(IN_TOTO_PAYLOAD_TYPE, payloadBytes(statement)));
  return { keyid: identity.signer.key.fingerprint, sig: Buffer.from(armored, 'utf8').toString('base64') };
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

  let locked = options.resume !== undefined;
  const journal = (event: RunEvent): void => {
    // Output is summarised by step-finished (digest and tail); journaling every chunk would make the
    // journal as large as the output and the fsyncs as many as the lines.
    if (event.type === 'output') return;
    if (event.type === 'step-process') return noteRunningStep(journalPath, event);
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
    for (const message of readWarnings) if (!events.some((e) => e.type === 'warning' && e.message === message))
      events.push({ type: 'warning', at: new Date().toISOString(), message });
    const identity = await options.sshIdentity?.().catch((error: unknown): SshIdentity => ({ status: 'problem', message: String(error) }));
    const build = (operator: Partial<Statement['predicate']['operator']>): Statement => {
      const statement = buildStatement(events, { entries: writer!.entries, lastEntrySha256: writer!.lastHash })!;
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
        const reason = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
        bus.emit({ type: 'warning', at: new Date().toISOString(), message: `the record is not signed with your SSH key ${sshKey.fingerprint}: ${reason}.` });
        statement = build({ sshSignatureMissing: `signing with SSH key ${sshKey.fingerprint} failed at the end: ${reason}` });
      }
    } else {
      statement = build(identity?.status === 'problem' ? { sshSignatureMissing: identity.message } : {});
    }
    const path = writeRecord(options.recordDir ?? join(state, 'records'), statement, key, signatures);
    bus.emit({ type: 'record-written', at: new Date().toISOString(), path });
    unsubscribe();
    writer?.close();
    forgetRunningStep(journalPath);
    unlockJournal(journalPath);
    return path;
  };

  return {
    journalPath,
    finish: () => (finished ??= finish()),
  };
}
