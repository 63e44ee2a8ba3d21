// Write errors on handrail's own stdout and stderr: a closed terminal (EIO), a full disk under a
// redirect (ENOSPC), a reader that went away (EPIPE). Node reports them either by throwing from
// write() (a terminal) or as an 'error' event nobody may be listening for (a pipe, a file, a readline
// inside a prompt library); left alone, either ends handrail with a stack trace and no record.
// Here each becomes one fault: the stream is marked dead, later writes to it are dropped, and the
// listeners (the run, which ends itself with its record) hear about it once.
import { terminalSafe } from '../core/terminal-safe';

/** Error codes that mean an output (or the terminal behind it) can no longer be written. */
const WRITE_FAULTS = new Set(['EIO', 'EPIPE', 'ENOSPC', 'EDQUOT', 'EBADF', 'ENXIO', 'EROFS', 'ERR_STREAM_DESTROYED']);

export interface OutputFault {
  stream: 'stdout' | 'stderr' | 'terminal';
  code: string;
  /** One sentence for the record and, where it can still be shown, the operator. */
  sentence: string;
}

type Listener = (fault: OutputFault) => void;

const listeners = new Set<Listener>();
const dead = new Set<'stdout' | 'stderr'>();
let installed = false;

export function isWriteFault(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && WRITE_FAULTS.has(code);
}

export function describeFault(stream: OutputFault['stream'], code: string): string {
  if (code === 'EIO' || code === 'ENXIO' || stream === 'terminal') return `the terminal was closed (${code})`;
  if (code === 'EPIPE') return `${stream} was closed (EPIPE)`;
  if (code === 'ENOSPC' || code === 'EDQUOT') return `${stream} could not be written: the disk is full (${code})`;
  return `${stream} could not be written (${code})`;
}

function report(stream: OutputFault['stream'], code: string): void {
  if (stream !== 'terminal') dead.add(stream);
  const fault = { stream, code, sentence: describeFault(stream, code) };
  for (const listener of [...listeners]) listener(fault);
}

/** Whether writing to this stream already failed: nothing more is written to it. */
export function outputDead(stream: 'stdout' | 'stderr'): boolean {
  return dead.has(stream);
}

/** Hears each write fault (once per stream); returns a function that stops listening. */
export function onOutputFault(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Installs the guard on process.stdout and process.stderr, once. write() is wrapped because every
 * writer (the line printer, Ink, the prompt library, the CLI's own messages) goes through it, and a
 * terminal throws from there synchronously.
 */
export function guardProcessOutput(): void {
  if (installed) return;
  installed = true;
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name];
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((...args: unknown[]) => {
      if (dead.has(name)) {
        const callback = args.find((a) => typeof a === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      }
      try {
        return write(...args);
      } catch (error) {
        if (!isWriteFault(error)) throw error;
        if (!dead.has(name)) report(name, error.code!);
        return true;
      }
    }) as typeof stream.write;
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (!dead.has(name)) report(name, error.code ?? 'EIO');
    });
  }
  // The last resort: a write fault raised as an 'error' event on an object nobody listens to (the
  // readline a prompt library made over a terminal that closed) ends the run like any other. Any
  // other uncaught error is still fatal, but said in one sentence rather than a stack trace.
  process.on('uncaughtException', (error) => {
    if (isWriteFault(error)) return report('terminal', error.code!);
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`handrail: unexpected error: ${terminalSafe(message)}\n`);
    if (process.env.HANDRAIL_DEBUG) process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
    process.exit(1);
  });
}
