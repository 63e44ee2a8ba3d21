// Runs one run/check script: `sh -e -c` or `bash -e -o pipefail -c`, in its own process group so a
// timeout or an abort ends the script and everything it started, never just the shell.
//
// Through node's own spawn, not execa: a step is mostly a spawn, and execa's promises, abort
// controllers and stream bookkeeping, unused here (no buffering, no encoding, no transforms), added
// about half as much again to handrail's own CPU per spawn. No inherited environment. Output is
// handed on as raw bytes.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { findOnPath } from './tools';

export interface ShellRequest {
  shell: 'sh' | 'bash';
  script: string;
  cwd: string;
  env: Record<string, string>;
  /** Written to stdin, then stdin is closed. Without it stdin is empty (not the operator's terminal). */
  stdin?: string;
  /** The command gets the real terminal; nothing is captured. */
  interactive?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Between SIGTERM and SIGKILL to the process group. */
  killGraceMs?: number;
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
  /** Where output goes may be slow: while it is congested the pipes are not read (the command blocks). */
  flow?: { readonly congested: boolean; whenClear(resume: () => void): void };
  /** The shell started: its pid (and process group id, unless interactive). */
  onSpawn?: (pid: number) => void;
}

export interface ShellResult {
  exitCode?: number;
  /** Signal that ended the shell, when one did. */
  signal?: string;
  timedOut: boolean;
  aborted: boolean;
  /** The shell could not be started at all. */
  spawnError?: string;
  /** The shell exited, but a process it started outside its group (`setsid`, a daemon) kept its output open. */
  outlived?: boolean;
}

/**
 * After the shell exits, how long its output may stay quiet before handrail stops waiting for the
 * pipes: only a process that left the step's process group (`setsid`, a daemon) can still hold them.
 */
export const OUTLIVED_QUIET_MS = 1000;

export function shellArgs(shell: 'sh' | 'bash', script: string): [string, string[]] {
  // The script is the -c argument and nothing else: variables reach it only through the environment.
  return shell === 'bash' ? ['bash', ['-e', '-o', 'pipefail', '-c', script]] : ['sh', ['-e', '-c', script]];
}

export function runShell(request: ShellRequest): Promise<ShellResult> {
  const [file, args] = shellArgs(request.shell, request.script);
  const interactive = request.interactive === true;
  const path = shellPath(file, request.env.PATH);
  if (!path) return Promise.resolve({ timedOut: false, aborted: false, spawnError: `${file} is not on PATH` });
  // The terminal opened afresh, not handrail's own stdin: that open file is non-blocking and shared,
  // and a command that clears O_NONBLOCK on it (sh's `read` does) would leave handrail blocked in a
  // read of the terminal after the step, the screen frozen until the operator pressed Enter.
  const tty = interactive ? openTerminal() : undefined;
  const stdio = interactive
    ? tty !== undefined
      ? [tty, tty, tty]
      : (['inherit', 'inherit', 'inherit'] as const)
    : ([request.stdin !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'] as const);

  let child: ChildProcess;
  try {
    child = spawn(path, args, {
      argv0: file,
      cwd: request.cwd,
      // Only the allowlisted environment the engine built: never the operator's whole environment.
      env: request.env,
      // An interactive command must stay in the terminal's foreground process group to read from it.
      detached: !interactive,
      stdio: [...stdio],
    });
    if (child.pid !== undefined) request.onSpawn?.(child.pid);
  } catch (error) {
    // Arguments node refuses outright (a NUL byte in the environment, say) and E2BIG never reach a process.
    return Promise.resolve({ timedOut: false, aborted: false, spawnError: spawnProblem(error, file, request.cwd) });
  } finally {
    // The child holds its own copies now.
    if (tty !== undefined) closeSync(tty);
  }

  return new Promise<ShellResult>((resolve) => {
    let timedOut = false;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;
    let quiet: NodeJS.Timeout | undefined;

    const killGroup = () => {
      const pid = child.pid;
      if (pid === undefined) return;
      signalGroup(pid, 'SIGTERM', !interactive);
      killTimer ??= setTimeout(() => signalGroup(pid, 'SIGKILL', !interactive), request.killGraceMs ?? 3000);
    };
    const timer =
      request.timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true;
            killGroup();
          }, request.timeoutMs)
        : undefined;
    const onAbort = () => {
      aborted = true;
      killGroup();
    };

    const settle = (result: Omit<ShellResult, 'timedOut' | 'aborted'>) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      if (quiet) clearTimeout(quiet);
      if (killTimer) clearTimeout(killTimer);
      request.signal?.removeEventListener('abort', onAbort);
      resolve({ ...result, timedOut, aborted });
    };

    // A shell that could not start (ENOENT, EACCES) has no pid and reports only this.
    child.once('error', (error) => {
      if (child.pid === undefined) settle({ spawnError: spawnProblem(error, file, request.cwd) });
    });
    // Whatever the shell left running in its group (`cmd &`) would hold the output pipes open and hang
    // the step; a step's processes end with the step.
    const ended = (code: number | null, signal: NodeJS.Signals | null) => ({
      ...(code !== null ? { exitCode: code } : {}),
      ...(signal ? { signal } : {}),
    });
    // Output still arriving after the exit is drained; once it has been quiet for a moment, whoever
    // holds the pipes is not part of the step (its group was killed above) and is not waited for.
    let exited: (() => void) | undefined;
    const stillQuiet = () => {
      if (!exited) return;
      if (quiet) clearTimeout(quiet);
      quiet = setTimeout(exited, OUTLIVED_QUIET_MS);
    };
    child.once('exit', (code: number | null, signal: NodeJS.Signals | null) => {
      if (interactive) return;
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL', true);
      exited = () => {
        // Output held back by a slow reader downstream is not silence: keep waiting for it.
        if (child.stdout?.isPaused() || child.stderr?.isPaused()) return stillQuiet();
        child.stdout?.destroy();
        child.stderr?.destroy();
        settle({ ...ended(code, signal), outlived: true });
      };
      stillQuiet();
    });
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      if (quiet) clearTimeout(quiet);
      settle(ended(code, signal));
    });

    if (child.stdin) {
      // A script that never reads its stdin closes the pipe early; that is not the step's failure.
      child.stdin.on('error', () => undefined);
      child.stdin.end(request.stdin);
    }
    const { onOutput, flow } = request;
    // Backpressure: what cannot be shown yet stays in the pipe, not in handrail's memory.
    const resume = () => {
      child.stdout?.resume();
      child.stderr?.resume();
    };
    const take = (stream: 'stdout' | 'stderr', chunk: Buffer) => {
      stillQuiet();
      onOutput?.(stream, chunk);
      if (flow?.congested && !(child.stdout?.isPaused() || child.stderr?.isPaused())) {
        child.stdout?.pause();
        child.stderr?.pause();
        flow.whenClear(resume);
      }
    };
    if (child.stdout) child.stdout.on('data', (chunk: Buffer) => take('stdout', chunk));
    if (child.stderr) child.stderr.on('data', (chunk: Buffer) => take('stderr', chunk));

    if (request.signal?.aborted) onAbort();
    else request.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function openTerminal(): number | undefined {
  try {
    return openSync('/dev/tty', 'r+');
  } catch {
    return undefined;
  }
}

const shellPaths = new Map<string, string | undefined>();

/**
 * The shell's absolute path, looked up once per PATH: given a bare name, the child would try every
 * PATH entry with a failed execve before finding it, on every step.
 */
function shellPath(file: string, pathVar: string | undefined): string | undefined {
  const key = `${file}\0${pathVar ?? ''}`;
  if (!shellPaths.has(key)) shellPaths.set(key, findOnPath(file, pathVar));
  return shellPaths.get(key);
}

function spawnProblem(error: unknown, file: string, cwd: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  // The kernel says ENOENT for a missing working directory as for a missing shell: name the right one.
  if (code === 'ENOENT' && !existsSync(cwd)) return `its working directory ${cwd} does not exist`;
  if (code === 'ENOENT') return `${file} is not on PATH`;
  // Every variable is also in the environment, and Linux refuses any one string over 128 KiB.
  if (code === 'E2BIG')
    return 'the script or a variable is too large to pass to a command (the OS limit is 128 KiB each); pass large data through a file';
  return error instanceof Error ? error.message : String(error);
}

function signalGroup(pid: number, signal: NodeJS.Signals, group: boolean): void {
  try {
    process.kill(group ? -pid : pid, signal);
  } catch {
    // ESRCH: already gone.
  }
}
