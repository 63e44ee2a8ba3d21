// Collects one step attempt's output: masks it, appends it to a private log file, hashes it as it
// streams, and keeps only a bounded tail in memory, so a step printing 100 MB costs no more than one
// printing 1 KB.
//
// Output arrives as bytes. With no secret registered there is nothing to mask, so the bytes go to the
// hash and the log exactly as the command printed them, and are decoded once, for the screen. With
// secrets, text is decoded, masked, and the masked text is what is hashed and logged.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Masker, StreamMasker } from '../secrets/masker';
import { CREATE_NEW, ensurePrivateDir } from '../paths';
import type { OutputSummary } from './events';

const TAIL_CHARS = 8 * 1024;
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
  /** Called with masked text as soon as it is safe to show. */
  onText?: (stream: StreamName, text: string) => void;
  /** The log could not be made or written (a full disk): logging stops, and this is called once. */
  onLogFault?: (sentence: string) => void;
}

interface StreamState {
  /** Holds back a multi-byte character split across chunks. */
  decoder: StringDecoder;
  masker: StreamMasker;
}

/** Log folders already made in this process: a run of many steps makes its folder once. */
const madeDirs = new Set<string>();

export class OutputCollector {
  private readonly hash: Hash = createHash('sha256');
  private readonly streams: Record<StreamName, StreamState>;
  private fd: number | undefined;
  private bytes = 0;
  // Tail pieces are joined and trimmed only when they pass twice the tail size: amortised O(1) per chunk.
  private tailPieces: string[] = [];
  private tailLength = 0;
  private stdoutPieces: Buffer[] = [];
  private stdoutLength = 0;
  /** stdout went past STDOUT_KEEP_LIMIT; what is kept is incomplete. */
  stdoutOverflow = false;

  constructor(private readonly options: OutputCollectorOptions) {
    const state = (): StreamState => ({ decoder: new StringDecoder('utf8'), masker: options.masker.stream() });
    this.streams = { stdout: state(), stderr: state() };
    if (options.logPath) {
      try {
        this.fd = openLog(options.logPath);
      } catch (error) {
        this.logFault(error);
      }
    }
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
    const text = typeof chunk === 'string' ? chunk : state.decoder.write(chunk);
    if (this.options.masker.size === 0) {
      this.record(bytes);
      this.show(stream, text);
    } else {
      this.emitMasked(stream, state.masker.push(text));
    }
  }

  /** Flushes held-back text and closes the log; returns the summary for `step-finished`. */
  finish(): OutputSummary {
    for (const stream of ['stdout', 'stderr'] as const) {
      const state = this.streams[stream];
      // An incomplete character at the very end: its bytes are already recorded on the plain path.
      const rest = state.decoder.end();
      if (this.options.masker.size === 0) this.show(stream, rest);
      else this.emitMasked(stream, state.masker.push(rest) + state.masker.flush());
    }
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    return {
      sha256: this.hash.digest('hex'),
      bytes: this.bytes,
      tail: lastLines(this.tailPieces.join(''), TAIL_LINES),
      ...(this.options.logPath ? { logPath: this.options.logPath } : {}),
    };
  }

  /** Raw (unmasked) stdout, for capture= and expect=; never shown. */
  get stdout(): string {
    return Buffer.concat(this.stdoutPieces).toString('utf8');
  }

  private emitMasked(stream: StreamName, text: string): void {
    if (!text) return;
    this.record(Buffer.from(text));
    this.show(stream, text);
  }

  private record(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.bytes += bytes.length;
    this.hash.update(bytes);
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
    this.options.onLogFault?.(`the step's log ${this.options.logPath} could not be written (${code}: ${full}); free space under the state folder, then run the runbook again`);
  }

  private show(stream: StreamName, text: string): void {
    if (!text) return;
    if (text.length >= TAIL_CHARS) {
      this.tailPieces = [text.slice(-TAIL_CHARS)];
      this.tailLength = TAIL_CHARS;
    } else {
      this.tailPieces.push(text);
      this.tailLength += text.length;
      if (this.tailLength > 2 * TAIL_CHARS) {
        const joined = this.tailPieces.join('').slice(-TAIL_CHARS);
        this.tailPieces = [joined];
        this.tailLength = joined.length;
      }
    }
    this.options.onText?.(stream, text);
  }
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
  const trimmed = text.slice(-TAIL_CHARS);
  const lines = trimmed.split('\n');
  return lines.slice(-count - (trimmed.endsWith('\n') ? 1 : 0)).join('\n');
}
