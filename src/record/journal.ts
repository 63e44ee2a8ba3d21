// The run journal: one JSON line per event that matters, each chained to the one before by sha256,
// appended through one open file descriptor. Reading it back survives a torn last line (kill -9
// mid-write) and a damaged entry: everything before the damage is kept, and a warning says so.
import { closeSync, constants, fdatasync, fdatasyncSync, fstatSync, ftruncateSync, copyFileSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { CREATE_NEW, ensurePrivateDir } from '../core/paths';
import { HandrailError } from '../core/errors';
import type { RunEvent, RunEventType } from '../core/events';

export const JOURNAL_FORMAT = 'handrail-journal/v1';
/** `prev` of the first entry: there is no entry before it. */
export const GENESIS = '0'.repeat(64);

export interface JournalHeader {
  format: typeof JOURNAL_FORMAT;
  runbookId: string;
  /** Absolute path: with the id, it is what makes a later run "the same runbook" for resume. */
  runbookPath: string;
  runbookSha256: string;
  createdAt: string;
}

/** Written when the operator starts over instead of resuming: the journal stays as evidence, closed. */
export interface JournalClosed {
  at: string;
  reason: string;
}

export type JournalBody = { header: JournalHeader } | { event: RunEvent } | { closed: JournalClosed };
export type JournalEntry = { seq: number; prev: string } & JournalBody;

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

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface JournalRead {
  entries: JournalEntry[];
  header?: JournalHeader;
  /** Every journaled event, in order. */
  events: RunEvent[];
  closed?: JournalClosed;
  /** sha256 of the last good entry's line bytes (GENESIS for an empty journal). */
  lastHash: string;
  nextSeq: number;
  /** Byte length of the undamaged prefix. */
  goodBytes: number;
  /** Set when bytes after goodBytes were ignored. */
  damaged: boolean;
  /** One sentence per problem, for the operator. */
  warnings: string[];
  /**
   * Damage other than a last line cut off mid-write (which kill -9 can leave and which costs
   * nothing): a changed or broken entry. Nothing from it on is trusted, and resume does not go on
   * from such a journal without an operator's say.
   */
  damage?: JournalDamage;
}

export interface JournalDamage {
  /** The first untrusted entry (its line is entry + 1) and its byte offset. */
  entry: number;
  byte: number;
  /** One sentence: what is wrong there. */
  problem: string;
  /** Lines from there to the end of the file, which are not trusted. */
  untrustedLines: number;
  /** Steps that those untrusted lines say finished: they may well have, but it cannot be proved. */
  claimsFinished: string[];
}

function describeEntryProblem(line: string, seq: number, prev: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return 'it is not valid JSON';
  }
  if (typeof parsed !== 'object' || parsed === null) return 'it is not a journal entry';
  const entry = parsed as Partial<JournalEntry> & Record<string, unknown>;
  if (entry.seq !== seq) return `its sequence number is ${String(entry.seq)}, expected ${seq}`;
  if (entry.prev !== prev) return 'its hash of the previous entry does not match (the journal was changed)';
  const kinds = ['header', 'event', 'closed'].filter((k) => k in entry);
  if (kinds.length !== 1) return 'it is not a journal entry';
  if (seq === 0 && !('header' in entry)) return 'the first entry is not a journal header';
  if ('event' in entry && (typeof entry.event !== 'object' || entry.event === null || typeof (entry.event as { type?: unknown }).type !== 'string'))
    return 'its event has no type';
  return undefined;
}

/**
 * Whether a last line without its newline is what a write cut short leaves: the start of an entry,
 * whose JSON breaks off at its very end. A byte changed in it breaks the JSON earlier.
 */
function cutOffMidWrite(text: string): boolean {
  try {
    JSON.parse(text);
    return false;
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    const at = /at position (\d+)/.exec(message);
    return at ? Number(at[1]) >= text.length : /end of JSON input/.test(message);
  }
}

/** What the untrusted end of a journal claims, read without trusting it. */
function untrustedTail(bytes: Buffer): Pick<JournalDamage, 'untrustedLines' | 'claimsFinished'> {
  const lines = bytes.toString('utf8').split('\n').filter((l) => l.trim() !== '');
  const claimsFinished: string[] = [];
  for (const line of lines) {
    const entry = parseEntry(line);
    const event = entry && 'event' in entry ? entry.event : undefined;
    if (event?.type === 'step-finished' && typeof event.stepId === 'string' && event.status !== 'failed' && !claimsFinished.includes(event.stepId))
      claimsFinished.push(event.stepId);
  }
  return { untrustedLines: lines.length, claimsFinished };
}

/** Reads a journal, verifying the hash chain; never throws for damaged content. */
export function readJournal(path: string): JournalRead {
  const result: JournalRead = { entries: [], events: [], lastHash: GENESIS, nextSeq: 0, goodBytes: 0, damaged: false, warnings: [] };
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    result.warnings.push(`Could not read the journal ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
    result.damaged = true;
    return result;
  }
  let start = 0;
  // Where the last kept entry began, and the hash before it: a broken link to an entry makes that
  // entry as suspect as the one that names it, since either may be the one that was changed.
  let lastStart = 0;
  let hashBefore = GENESIS;
  const damagedFrom = (from: number, problem: string) => {
    result.damage = { entry: result.nextSeq, byte: from, problem, ...untrustedTail(bytes.subarray(from)) };
  };
  while (start < bytes.length) {
    const end = bytes.indexOf(0x0a, start);
    if (end < 0 && !cutOffMidWrite(bytes.subarray(start).toString('utf8'))) {
      result.damaged = true;
      damagedFrom(start, 'its last line is not a journal entry and was not cut off mid-write');
      result.warnings.push(`The journal ${path} is damaged at entry ${result.nextSeq} (its last line is not a journal entry); the ${result.entries.length} entries before it are kept.`);
      break;
    }
    if (end < 0) {
      result.damaged = true;
      result.warnings.push(
        `The last entry of the journal ${path} was cut off mid-write (the run was killed); it is ignored and the ${result.entries.length} entries before it are kept.`,
      );
      break;
    }
    const lineBytes = bytes.subarray(start, end);
    const line = lineBytes.toString('utf8');
    const problem = describeEntryProblem(line, result.nextSeq, result.lastHash);
    if (problem) {
      result.damaged = true;
      if (problem.startsWith('its hash of the previous entry') && result.entries.length > 0) {
        const suspect = result.entries.pop()!;
        if ('event' in suspect) result.events.pop();
        if ('header' in suspect) delete result.header;
        if ('closed' in suspect) delete result.closed;
        result.nextSeq -= 1;
        result.lastHash = hashBefore;
        result.goodBytes = lastStart;
        damagedFrom(lastStart, `entry ${result.nextSeq + 1} does not chain to entry ${result.nextSeq}: one of the two was changed`);
      } else {
        damagedFrom(start, problem);
      }
      result.warnings.push(
        `The journal ${path} is damaged at entry ${result.nextSeq} (${result.damage!.problem}); the ${result.entries.length} entries before it are kept.`,
      );
      break;
    }
    const entry = JSON.parse(line) as JournalEntry;
    result.entries.push(entry);
    if ('header' in entry) result.header ??= entry.header;
    if ('event' in entry) result.events.push(entry.event);
    if ('closed' in entry) result.closed = entry.closed;
    hashBefore = result.lastHash;
    lastStart = start;
    result.lastHash = sha256Hex(lineBytes);
    result.nextSeq += 1;
    start = end + 1;
    result.goodBytes = start;
  }
  return result;
}

/** How much of each end of a journal the quick looks below read: far more than one entry. */
const PEEK_BYTES = 64 * 1024;
/** Entries that can follow run-ended: the record's warnings and record-written. */
const LAST_ENTRIES = 8;

function peek(path: string, from: 'start' | 'end'): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, PEEK_BYTES);
    const buffer = Buffer.allocUnsafe(length);
    const read = readSync(fd, buffer, 0, length, from === 'start' ? 0 : size - length);
    return buffer.toString('utf8', 0, read);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function parseEntry(line: string): Partial<JournalEntry> | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Partial<JournalEntry>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The header from the journal's first line alone: enough to tell whose journal it is without reading
 * (and verifying) every entry of every journal in the folder.
 */
export function peekJournalHeader(path: string): JournalHeader | undefined {
  const text = peek(path, 'start');
  const end = text?.indexOf('\n') ?? -1;
  if (!text || end < 0) return undefined;
  const entry = parseEntry(text.slice(0, end));
  return entry && 'header' in entry ? entry.header : undefined;
}

/**
 * Whether the journal's last entries say its run ended (or was closed by a restart). A finished
 * run's journal ends with run-ended and then at most a warning and record-written, so its tail
 * answers without reading the whole chain.
 */
export function peekJournalEnded(path: string): boolean {
  const text = peek(path, 'end');
  if (!text) return false;
  // Newest first, and only the last few: run-ended is followed by a handful of entries at most. The
  // first line of the window may be cut; it simply does not parse.
  const lines = text.split('\n');
  for (let i = lines.length - 1, seen = 0; i >= 0 && seen < LAST_ENTRIES; i--) {
    const entry = parseEntry(lines[i]);
    if (!entry) continue;
    seen += 1;
    if ('closed' in entry) return true;
    if ('event' in entry && entry.event?.type === 'run-ended') return true;
  }
  return false;
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
