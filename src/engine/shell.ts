// Runs one run/check script: `sh -e -c` or `bash -e -o pipefail -c`, in its own process group so a
// timeout or an abort ends the script and everything it started, never just the shell.
import { execa } from 'execa';

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
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
}

export interface ShellResult {
  exitCode?: number;
  /** Signal that ended the shell, when one did. */
  signal?: string;
  timedOut: boolean;
  aborted: boolean;
  /** The shell could not be started at all. */
  spawnError?: string;
}

export function shellArgs(shell: 'sh' | 'bash', script: string): [string, string[]] {
  // The script is the -c argument and nothing else: variables reach it only through the environment.
  return shell === 'bash' ? ['bash', ['-e', '-o', 'pipefail', '-c', script]] : ['sh', ['-e', '-c', script]];
}

export async function runShell(request: ShellRequest): Promise<ShellResult> {
  const [file, args] = shellArgs(request.shell, request.script);
  const interactive = request.interactive === true;
  const child = execa(file, args, {
    cwd: request.cwd,
    env: request.env,
    extendEnv: false,
    // An interactive command must stay in the terminal's foreground process group to read from it.
    detached: !interactive,
    reject: false,
    buffer: false,
    stripFinalNewline: false,
    stdin: interactive ? 'inherit' : request.stdin !== undefined ? 'pipe' : 'ignore',
    stdout: interactive ? 'inherit' : 'pipe',
    stderr: interactive ? 'inherit' : 'pipe',
    ...(request.stdin !== undefined && !interactive ? { input: request.stdin } : {}),
  });

  let timedOut = false;
  let aborted = false;
  let killTimer: NodeJS.Timeout | undefined;
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
  if (request.signal?.aborted) onAbort();
  else request.signal?.addEventListener('abort', onAbort, { once: true });

  // Whatever the shell left running in its group (`cmd &`) would hold the output pipes open and hang
  // the step; a step's processes end with the step.
  if (!interactive) child.nodeChildProcess.once('exit', () => child.pid !== undefined && signalGroup(child.pid, 'SIGKILL', true));

  for (const name of ['stdout', 'stderr'] as const) {
    const stream = child[name];
    if (!stream) continue;
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => request.onOutput?.(name, text));
  }

  try {
    const result = await child;
    const spawnError =
      result.exitCode === undefined && !result.signal && result.failed ? result.shortMessage ?? result.message : undefined;
    return {
      ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
      ...(result.signal ? { signal: result.signal } : {}),
      timedOut,
      aborted,
      ...(spawnError ? { spawnError } : {}),
    };
  } finally {
    if (timer) clearTimeout(timer);
    request.signal?.removeEventListener('abort', onAbort);
    if (killTimer) clearTimeout(killTimer);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals, group: boolean): void {
  try {
    process.kill(group ? -pid : pid, signal);
  } catch {
    // ESRCH: already gone.
  }
}
