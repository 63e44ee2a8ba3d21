// Telling whether a process (or a step's process group) from an earlier handrail is still there.
// A pid alone can be reused after its process died; where the system says when a process started
// (Linux /proc), that start time is kept with the pid so a reused pid is not taken for the old one.
import { readFileSync } from 'node:fs';

/** When the process started, in clock ticks since boot (Linux), or undefined where that is unknown. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its end.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether `pid` (or, negative, a process group) exists, including one of another user (EPERM). */
function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the process that `pid` named is still running. With `startTime`, a pid now used by a
 * different process (started at another time) is not it.
 */
export function processAlive(pid: number, startTime?: string): boolean {
  if (!Number.isInteger(pid) || pid <= 1 || !exists(pid)) return false;
  if (startTime === undefined) return true;
  const now = processStartTime(pid);
  return now === undefined || now === startTime;
}

/** Whether any process of the group `pgid` is still running. */
export function groupAlive(pgid: number): boolean {
  return Number.isInteger(pgid) && pgid > 1 && exists(-pgid);
}

/** A step's shell as the journal recorded it (the `step-process` event). */
export interface StepProcess {
  pid: number;
  group: boolean;
  startTime?: string;
}

/** Whether the step's processes (its whole process group, for a non-interactive step) still run. */
export function stepProcessAlive(p: StepProcess): boolean {
  if (!p.group) return processAlive(p.pid, p.startTime);
  if (!groupAlive(p.pid)) return false;
  // The group's leader, if it is still there, must be the shell that was started: a pid now used by
  // another process that made its own group of the same number is not the step.
  const leader = processStartTime(p.pid);
  return leader === undefined || p.startTime === undefined || leader === p.startTime;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await pause(50)) if (condition()) return true;
  return condition();
}

/**
 * Ends what is left of a step: SIGTERM, then SIGKILL after `graceMs`, as a timeout would. Resolves
 * whether it is gone (a process of another user, after sudo, cannot be signalled).
 */
export async function endStepProcess(p: StepProcess, graceMs: number): Promise<boolean> {
  const target = p.group ? -p.pid : p.pid;
  const send = (signal: NodeJS.Signals) => {
    try {
      process.kill(target, signal);
    } catch {
      // Gone already, or not ours to signal: the wait below tells which.
    }
  };
  send('SIGTERM');
  if (await until(() => !stepProcessAlive(p), graceMs)) return true;
  send('SIGKILL');
  return until(() => !stepProcessAlive(p), 2000);
}
