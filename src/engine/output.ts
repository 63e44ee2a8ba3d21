// Collects one step attempt's output: masks it, appends it to a private log file, hashes it as it
// streams, and keeps only a bounded tail in memory, so a step printing 100 MB costs no more than one
// printing 1 KB.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Masker, StreamMasker } from '../secrets/masker';
import { ensurePrivateDir } from '../paths';
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
}

export class OutputCollector {
  private readonly hash: Hash = createHash('sha256');
  private readonly maskers: Record<StreamName, StreamMasker>;
  private fd: number | undefined;
  private bytes = 0;
  // Tail pieces are joined and trimmed only when they pass twice the tail size: amortised O(1) per chunk.
  private tailPieces: string[] = [];
  private tailLength = 0;
  private stdoutPieces: string[] = [];
  private stdoutLength = 0;
  /** stdout went past STDOUT_KEEP_LIMIT; what is kept is incomplete. */
  stdoutOverflow = false;

  constructor(private readonly options: OutputCollectorOptions) {
    this.maskers = { stdout: options.masker.stream(), stderr: options.masker.stream() };
    if (options.logPath) {
      ensurePrivateDir(dirname(options.logPath));
      this.fd = openSync(options.logPath, 'a', 0o600);
    }
  }

  push(stream: StreamName, raw: string): void {
    if (stream === 'stdout' && this.options.keepStdout && !this.stdoutOverflow) {
      if (this.stdoutLength + raw.length > STDOUT_KEEP_LIMIT) this.stdoutOverflow = true;
      else {
        this.stdoutPieces.push(raw);
        this.stdoutLength += raw.length;
      }
    }
    this.emit(stream, this.maskers[stream].push(raw));
  }

  /** Flushes held-back text and closes the log; returns the summary for `step-finished`. */
  finish(): OutputSummary {
    for (const stream of ['stdout', 'stderr'] as const) this.emit(stream, this.maskers[stream].flush());
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
    return this.stdoutPieces.join('');
  }

  private emit(stream: StreamName, text: string): void {
    if (!text) return;
    const buf = Buffer.from(text);
    this.bytes += buf.length;
    this.hash.update(buf);
    if (this.fd !== undefined) writeSync(this.fd, buf);
    this.tailPieces.push(text);
    this.tailLength += text.length;
    if (this.tailLength > 2 * TAIL_CHARS) {
      const joined = this.tailPieces.join('').slice(-TAIL_CHARS);
      this.tailPieces = [joined];
      this.tailLength = joined.length;
    }
    this.options.onText?.(stream, text);
  }
}

function lastLines(text: string, count: number): string {
  const trimmed = text.slice(-TAIL_CHARS);
  const lines = trimmed.split('\n');
  return lines.slice(-count - (trimmed.endsWith('\n') ? 1 : 0)).join('\n');
}
