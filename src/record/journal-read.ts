// Reading a run journal back: every entry checked against the hash chain, a torn last line (kill -9
// mid-write) told apart from a changed or broken entry, and everything before the damage kept with
// one sentence on what was found. Also the quick looks at a journal's first and last lines that
// finding an unfinished run uses instead of verifying every journal in the folder.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import type { RunEvent } from '../core/events';
import { GENESIS, sha256Hex, type JournalClosed, type JournalEntry, type JournalHeader } from './journal-format';

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
  if (
    'event' in entry &&
    (typeof entry.event !== 'object' || entry.event === null || typeof (entry.event as { type?: unknown }).type !== 'string')
  )
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
  const lines = bytes
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const claimsFinished: string[] = [];
  for (const line of lines) {
    const entry = parseEntry(line);
    const event = entry && 'event' in entry ? entry.event : undefined;
    if (
      event?.type === 'step-finished' &&
      typeof event.stepId === 'string' &&
      event.status !== 'failed' &&
      !claimsFinished.includes(event.stepId)
    )
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
      result.warnings.push(
        `The journal ${path} is damaged at entry ${result.nextSeq} (its last line is not a journal entry); the ${result.entries.length} entries before it are kept.`,
      );
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
