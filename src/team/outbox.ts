// Records that could not be published wait here, under the state directory, until
// `handrail records publish` sends them. Each entry holds the record's bytes, so a record that
// was moved or deleted locally is still sent as it was signed.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir, writePrivateFileAtomic } from '../core/paths';
import type { TokenSource } from './auth';

export interface OutboxEntry {
  format: 1;
  repo: string;
  /** Path of the record in the repository. */
  path: string;
  apiUrl: string;
  message: string;
  /** Which of the run's secrets authenticated it (names only): tried first when sending. */
  token?: TokenSource;
  /** Where the record was written locally, for the operator. */
  localPath: string;
  /** The record file's bytes, base64. */
  record: string;
  queuedAt: string;
  lastError: string;
  /** This machine's record key over the destination and the record's digest (see outbox-check.ts). */
  seal?: string;
}

export function outboxDir(state = stateDir()): string {
  return join(state, 'outbox');
}

function entryFile(entry: Pick<OutboxEntry, 'repo' | 'path'>, state?: string): string {
  const readable = `${entry.repo.replace('/', '__')}__${entry.path.replaceAll('/', '__')}`;
  // A file name longer than file systems take (ENAMETOOLONG) would lose the record: a digest instead.
  const name = readable.length <= 200 ? readable : `${createHash('sha256').update(`${entry.repo}/${entry.path}`).digest('hex')}.json`;
  return join(outboxDir(state), name);
}

export function enqueue(entry: OutboxEntry, state?: string): string {
  const file = entryFile(entry, state);
  writePrivateFileAtomic(file, `${JSON.stringify(entry, null, 2)}\n`);
  return file;
}

export function listOutbox(state?: string): { file: string; entry: OutboxEntry }[] {
  let names: string[];
  try {
    names = readdirSync(outboxDir(state)).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const out: { file: string; entry: OutboxEntry }[] = [];
  for (const name of names.sort()) {
    const file = join(outboxDir(state), name);
    try {
      const entry = JSON.parse(readFileSync(file, 'utf8')) as OutboxEntry;
      if (entry.format === 1 && typeof entry.record === 'string') out.push({ file, entry });
    } catch {
      // A half-written entry (the process died mid-write) has a .tmp name and is never listed.
    }
  }
  return out;
}

export function removeEntry(file: string): void {
  rmSync(file, { force: true });
}

/** "1 record waits" / "3 records wait" to be published, or undefined when the outbox is empty. */
export function outboxNotice(state?: string): string | undefined {
  const n = listOutbox(state).length;
  if (n === 0) return undefined;
  return `${n} ${n === 1 ? 'record waits' : 'records wait'} to be published to the team's repository; \`handrail records publish\` sends ${n === 1 ? 'it' : 'them'}.`;
}
