// Signs a Statement into a DSSE envelope and writes it atomically as `<id>-<UTC time>-<outcome>.json`.
import { join } from 'node:path';
import { HandrailError } from '../core/errors';
import { writePrivateFileNew } from '../core/paths';
import { IN_TOTO_PAYLOAD_TYPE, signEnvelope, type Envelope, type Signature } from './dsse';
import type { SigningKey } from './keys';
import type { Statement } from './predicate';

/** The payload bytes every signature of the record is made over (inside the PAE). */
export function payloadBytes(statement: Statement): Buffer {
  return Buffer.from(JSON.stringify(statement), 'utf8');
}

/** The Ed25519 signature first (the docs' recipes read signatures[0]), then any SSH signature. */
export function signStatement(statement: Statement, key: SigningKey, more: readonly Signature[] = []): Envelope {
  const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, payloadBytes(statement), key.privateKey, key.keyid);
  return { ...envelope, signatures: [...envelope.signatures, ...more] };
}

/** `20250102T030405Z`: sorts by time as text, and is a valid file name everywhere. */
export function compactUtc(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}

export function recordFileName(statement: Statement, attempt = 0): string {
  const { runbook, end, outcome } = statement.predicate;
  return `${runbook.id}-${compactUtc(end)}-${outcome}${attempt > 0 ? `-${attempt + 1}` : ''}.json`;
}

export function writeRecord(dir: string, statement: Statement, key: SigningKey, more: readonly Signature[] = []): string {
  const text = `${JSON.stringify(signStatement(statement, key, more), null, 2)}\n`;
  // Never over another file: a name already taken (by a record, or a link someone planted) moves on.
  for (let attempt = 0; ; attempt++) {
    const path = join(dir, recordFileName(statement, attempt));
    try {
      writePrivateFileNew(path, text);
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 1000) continue;
      // Checked writable before step 1, so this is a disk that filled or a folder changed mid-run.
      const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
      throw new HandrailError(`Could not write ${path} (${code})`, {
        fix: 'free space or fix that folder — every event of the run is kept in its journal in the state folder',
      });
    }
  }
}
