// The run journal's writer: entries appended through one open file descriptor, each chained to the one
// before by sha256, and fdatasync'd before the engine goes on where resume depends on them. Reading
// it back is journal-read.ts; the format both share is journal-format.ts.
import { closeSync, constants, fdatasync, fdatasyncSync, ftruncateSync, copyFileSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { CREATE_NEW, ensurePrivateDir } from '../core/paths';
import { HandrailError } from '../core/errors';
import type { RunEventType } from '../core/events';
import { GENESIS, sha256Hex, type JournalBody, type JournalHeader } from './journal-format';
import { readJournal, type JournalRead } from './journal-read';

/**
 * Events after which the journal is fdatasync'd before the engine goes on. These are the ones resume
 * depends on: a step that started must be known as interrupted, an answer or capture must not be
 * asked for twice, and a step that finished must never run again. The rest (preflight, secret
 * sources, warnings) reach the disk with the next synced entry; losing them in a power cut costs
 * nothing.
 */
const SYNCED: ReadonlySet<RunEventType> = new Set<RunEventType>([
  'run-started',
  'input-given',
  'step-started',
  'capture',
  'decision',
  'run-ended',
]);

/**
 * Synced without making the engine wait: nothing can start after a finished step without first
 * appending (and synchronously syncing) a `step-started`, `decision`, `input-given` or `run-ended`,
 * and that sync carries the finished step to the disk with it. When the engine waits instead (for
 * the operator, say), a background sync covers the wait. One wait on the disk per step, not two.
 */
const SYNCED_IN_BACKGROUND: ReadonlySet<RunEventType> = new Set<RunEventType>(['step-finished']);

export type SyncPolicy = 'now' | 'background' | 'none';

export function syncPolicy(body: JournalBody): SyncPolicy {
  if (!('event' in body)) return 'now';
  if (SYNCED.has(body.event.type)) return 'now';
  return SYNCED_IN_BACKGROUND.has(body.event.type) ? 'background' : 'none';
}

function journalError(path: string, error: unknown): HandrailError {
  const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
  return new HandrailError(
    `Could not write the run journal ${path} (${code}); free disk space or fix the state directory's permissions, then run again with --resume.`,
  );
}

/** Appends chained entries to one journal file through one open descriptor. */
export class JournalWriter {
  private backgroundSyncs = 0;
  /** Written but not yet synced, and no sync under way that covers it. */
  private unsynced = false;
  private backgroundError: Error | undefined;
  private closeAfterSync: number | undefined;

  private constructor(
    readonly path: string,
    private fd: number | undefined,
    private seq: number,
    private last: string,
  ) {}

  /** Starts a new journal (0600, in a 0700 directory) with its header entry. */
  static create(path: string, header: JournalHeader): JournalWriter {
    let fd: number;
    try {
      ensurePrivateDir(dirname(path));
      fd = openSync(path, CREATE_NEW, 0o600);
    } catch (error) {
      throw journalError(path, error);
    }
    const writer = new JournalWriter(path, fd, 0, GENESIS);
    writer.append({ header });
    return writer;
  }

  /**
   * Reopens an existing journal to continue its chain. A damaged tail cannot be chained onto, so it
   * is copied aside (`<journal>.damaged-<time>`) for inspection and cut from the journal.
   */
  static reopen(path: string): { writer: JournalWriter; read: JournalRead } {
    const read = readJournal(path);
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDWR | constants.O_NOFOLLOW);
      if (read.damaged) {
        const aside = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        copyFileSync(path, aside, constants.COPYFILE_EXCL);
        ftruncateSync(fd, read.goodBytes);
        fdatasyncSync(fd);
        read.warnings.push(`The damaged journal was copied to ${aside} before resuming.`);
      }
      closeSync(fd);
      fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW);
    } catch (error) {
      throw journalError(path, error);
    }
    return { writer: new JournalWriter(path, fd, read.nextSeq, read.lastHash), read };
  }

  /** sha256 of the last entry written. */
  get lastHash(): string {
    return this.last;
  }

  get entries(): number {
    return this.seq;
  }

  /** Writes one entry as one line in one write(2); syncs it when resume depends on it. */
  append(body: JournalBody): string {
    if (this.fd === undefined) throw new HandrailError(`The run journal ${this.path} is already closed.`);
    const json = JSON.stringify({ seq: this.seq, prev: this.last, ...body });
    const line = Buffer.from(`${json}\n`, 'utf8');
    const policy = syncPolicy(body);
    try {
      if (this.backgroundError) throw this.backgroundError;
      writeSync(this.fd, line);
      if (policy === 'now') fdatasyncSync(this.fd);
    } catch (error) {
      throw journalError(this.path, error);
    }
    if (policy === 'now') this.unsynced = false;
    else if (policy === 'background') this.syncWhenIdle();
    this.seq += 1;
    this.last = sha256Hex(line.subarray(0, line.length - 1));
    return this.last;
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    // A background sync still holds the descriptor; closing it under the sync could sync (or fail on)
    // whatever file reuses the number.
    if (this.backgroundSyncs > 0) this.closeAfterSync = fd;
    else closeSync(fd);
  }

  /**
   * After the current turn of the event loop: when the engine went straight on to its next step, that
   * step's synchronous sync has already covered this entry and nothing is left to do. Starting the
   * background sync at once instead would make that synchronous sync wait for two disk flushes.
   */
  private syncWhenIdle(): void {
    this.unsynced = true;
    setImmediate(() => {
      if (!this.unsynced || this.fd === undefined) return;
      this.unsynced = false;
      this.backgroundSyncs += 1;
      fdatasync(this.fd, (error) => {
        // The kernel reports a write-back failure once per open file: kept, so the next append says it.
        if (error) this.backgroundError ??= error;
        this.backgroundSyncs -= 1;
        if (this.backgroundSyncs === 0 && this.closeAfterSync !== undefined) {
          closeSync(this.closeAfterSync);
          this.closeAfterSync = undefined;
        }
      });
    });
  }
}
