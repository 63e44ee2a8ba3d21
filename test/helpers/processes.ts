// Real processes for crash tests: the built CLI started in the background, a poll for what it
// leaves on disk, and the clean-up of what SIGKILL leaves running.
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from './cli';

export interface Started {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  exited: Promise<{ code: number | null; signal: string | null; out: string }>;
}

export function startCli(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Started {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, out })),
  );
  return { child, output: () => out, exited };
}

/** Polls until `condition` holds; fails with `what` (and `output`) if it never does. */
export async function waitUntil(condition: () => boolean, what: string, output?: () => string): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}\n${output?.() ?? ''}`);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends a process group that kill -9 of handrail left behind; gone already is fine. */
export function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    return; // Already gone.
  }
  // SIGKILL is delivered at once but the group is gone only once reaped: wait for that, so the next
  // run of the step never sees the old copy still alive (a loaded machine can take a while).
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (const deadline = Date.now() + 5000; Date.now() < deadline;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    Atomics.wait(pause, 0, 0, 20);
  }
}
