// Collects one step attempt's output: masks it, appends it to a private log file, hashes it as it
// streams, and keeps only a bounded tail in memory, so a step printing 100 MB costs no more than one
// printing 1 KB. The log file is made at the first byte: a step that prints nothing has none, and
// costs no file to create and close (most checks and many run steps are silent).
//
// Output arrives as bytes and stays bytes, never decoded: a character split across two reads is
// held back until its rest arrives, so every piece handed on is whole characters. With no secret
// registered there is nothing to mask, so the bytes go to the hash, the log and the screen exactly as
// the command printed them; with secrets, the masked bytes are what is hashed, logged and shown.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Masker, StreamMasker } from '../core/masker';
import { CREATE_NEW, ensurePrivateDir } from '../core/paths';
import type { OutputSummary } from '../core/events';

const TAIL_BYTES = 8 * 1024;
const TAIL_LINES = 40;
/** Raw stdout kept for `capture=` / `expect=`; more than this is a step error, not a memory leak. */
export const STDOUT_KEEP_LIMIT = 1024 * 1024;

export type StreamName = 'stdout' | 'stderr';

export interface OutputCollectorOptions {
  masker: Masker;
  /** Where the full masked output goes; no file when undefined. */
  logPath?: string;
  /** Keep raw stdout (bounded) for capture/expect. */
  keepStdout?: boolean;
  /** Called with masked output, in whole UTF-8 characters, as soon as it is safe to show. */
  onOutput?: (stream: StreamName, bytes: Buffer) => void;
  /** The log could not be made or written (a full disk): logging stops, and this is called once. */
  onLogFault?: (sentence: string) => void;
}

interface StreamState {
  /** The start of a character split across reads, held back until its rest arrives. */
  partial: Buffer | undefined;
  masker: StreamMasker;
}

/** Log folders already made in this process: a run of many steps makes its folder once. */
const madeDirs = new Set<string>();

export class OutputCollector {
  private readonly hash: Hash = createHash('sha256');
  private readonly streams: Record<StreamName, StreamState>;
  private fd: number | undefined;
  /** The log was made, or its making was tried and reported (it is not tried again). */
  private logTried = false;
  private bytes = 0;
  // The last reads, as many as it takes to cover the tail.
  private tailPieces: Buffer[] = [];
  private tailLength = 0;
  private stdoutPieces: Buffer[] = [];
  private stdoutLength = 0;
  /** stdout went past STDOUT_KEEP_LIMIT; what is kept is incomplete. */
  stdoutOverflow = false;

  constructor(private readonly options: OutputCollectorOptions) {
    const state = (): StreamState => ({ partial: undefined, masker: options.masker.stream() });
    this.streams = { stdout: state(), stderr: state() };
  }

  /** A command's bytes as read, or text made by handrail itself (a GitHub response). */
  push(stream: StreamName, chunk: Buffer | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (stream === 'stdout' && this.options.keepStdout && !this.stdoutOverflow) {
      if (this.stdoutLength + bytes.length > STDOUT_KEEP_LIMIT) this.stdoutOverflow = true;
      else {
        // A copy: a read chunk may be a view of a larger buffer that would stay alive with it.
        this.stdoutPieces.push(Buffer.from(bytes));
        this.stdoutLength += bytes.length;
      }
    }
    const state = this.streams[stream];
    if (this.options.masker.size === 0) {
      this.record(bytes);
      this.show(stream, wholeCharacters(state, bytes));
    } else {
      this.emitMasked(stream, state.masker.push(wholeCharacters(state, bytes)));
    }
  }

  /** Flushes held-back text and closes the log; returns the summary for `step-finished`. */
  finish(): OutputSummary {
    for (const stream of ['stdout', 'stderr'] as const) {
      const state = this.streams[stream];
      // An incomplete character at the very end: its bytes are already recorded on the plain path.
      const rest = state.partial ?? Buffer.alloc(0);
      state.partial = undefined;
      if (this.options.masker.size === 0) this.show(stream, rest);
      else this.emitMasked(stream, Buffer.concat([state.masker.push(rest), state.masker.flush()]));
    }
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    return {
      sha256: this.hash.digest('hex'),
      bytes: this.bytes,
      tail: lastLines(tailText(Buffer.concat(this.tailPieces).subarray(-TAIL_BYTES)), TAIL_LINES),
      ...(this.options.logPath && this.logTried ? { logPath: this.options.logPath } : {}),
    };
  }

  /** Raw (unmasked) stdout, for capture= and expect=; never shown. */
  get stdout(): string {
    return Buffer.concat(this.stdoutPieces).toString('utf8');
  }

  private emitMasked(stream: StreamName, bytes: Buffer): void {
    this.record(bytes);
    this.show(stream, bytes);
  }

  private record(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.bytes += bytes.length;
    this.hash.update(bytes);
    if (!this.logTried && this.options.logPath) {
      this.logTried = true;
      try {
        this.fd = openLog(this.options.logPath);
      } catch (error) {
        return this.logFault(error);
      }
    }
    if (this.fd === undefined) return;
    try {
      writeSync(this.fd, bytes);
    } catch (error) {
      this.logFault(error);
    }
  }

  private logFault(error: unknown): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const full = code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full' : 'it cannot be written';
    this.options.onLogFault?.(
      `the step's log ${this.options.logPath} could not be written (${code}: ${full}); free space under the state folder, then run the runbook again`,
    );
  }

  private show(stream: StreamName, bytes: Buffer): void {
    if (bytes.length === 0) return;
    // Pieces are kept as they came, never copied: older ones are let go once the newer ones alone
    // cover the tail, so a few reads at most are held whatever the size of the output.
    this.tailPieces.push(bytes);
    this.tailLength += bytes.length;
    while (this.tailLength - this.tailPieces[0].length >= TAIL_BYTES) this.tailLength -= this.tailPieces.shift()!.length;
    this.options.onOutput?.(stream, bytes);
  }
}

/** `bytes` after a character held back from the read before, up to the last whole character. */
function wholeCharacters(state: StreamState, read: Buffer): Buffer {
  const bytes = state.partial ? Buffer.concat([state.partial, read]) : read;
  const end = wholeLength(bytes);
  state.partial = end < bytes.length ? Buffer.from(bytes.subarray(end)) : undefined;
  return end < bytes.length ? bytes.subarray(0, end) : bytes;
}

/**
 * How many leading bytes of `bytes` end on a character boundary: a lead byte among the last three
 * whose sequence runs past the end starts a character that is not all there yet.
 */
export function wholeLength(bytes: Uint8Array): number {
  for (let i = bytes.length - 1; i >= 0 && i >= bytes.length - 3; i--) {
    const byte = bytes[i];
    if (byte < 0x80) return bytes.length;
    if (byte >= 0xc0) {
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return i + length > bytes.length ? i : bytes.length;
    }
  }
  return bytes.length;
}

/** The kept tail as text: it may begin inside a character, whose stray continuation bytes are left out. */
function tailText(bytes: Buffer): string {
  let start = 0;
  while (start < 3 && start < bytes.length && (bytes[start] & 0xc0) === 0x80) start++;
  return bytes.toString('utf8', start);
}

/** A new log file only, never through a link: the engine picks a name nobody has taken. */
const NEW_LOG = CREATE_NEW | constants.O_APPEND;

function openLog(path: string): number {
  const dir = dirname(path);
  if (madeDirs.has(dir)) {
    try {
      return openSync(path, NEW_LOG, 0o600);
    } catch (error) {
      // Removed since it was made (a cleaned state folder): make it again below.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  ensurePrivateDir(dir);
  madeDirs.add(dir);
  return openSync(path, NEW_LOG, 0o600);
}

function lastLines(text: string, count: number): string {
  const lines = text.split('\n');
  return lines.slice(-count - (text.endsWith('\n') ? 1 : 0)).join('\n');
}
