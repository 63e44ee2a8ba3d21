// The run journal's format, shared by its writer (journal.ts) and its reader (journal-read.ts): one
// JSON line per entry, each naming its sequence number and the sha256 of the line before it.
import { createHash } from 'node:crypto';
import type { RunEvent } from '../core/events';

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

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
