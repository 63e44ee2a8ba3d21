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
