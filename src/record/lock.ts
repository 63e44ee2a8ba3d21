// Marks a journal as owned by the running handrail process, so a second handrail on the same runbook
// does not take a live run for a dead one and "resume" it: that would run the current step twice at
// once and interleave two writers in one hash chain. A lock left by kill -9 names a dead process,
// so the run it guarded is resumable again.
import { readFileSync, rmSync } from 'node:fs';
import { UsageError } from '../errors';
import { writePrivateFileAtomic } from '../paths';

const lockPath = (journalPath: string) => `${journalPath}.lock`;

export function lockJournal(journalPath: string): void {
  writePrivateFileAtomic(lockPath(journalPath), `${process.pid}\n`);
}

export function unlockJournal(journalPath: string): void {
  rmSync(lockPath(journalPath), { force: true });
}

/** The pid of another live process that holds the journal, or undefined. */
export function journalOwner(journalPath: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(lockPath(journalPath), 'utf8'), 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: it exists, under another user; ESRCH: it died and left the lock behind.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

/** Refuses (exit 2) to resume or restart a run that another handrail process is still running. */
export function assertNotRunning(journalPath: string): void {
  const pid = journalOwner(journalPath);
  if (pid === undefined) return;
  throw new UsageError(
    `This runbook is being run right now by handrail process ${pid} (journal ${journalPath}); let that run finish or stop it, then run again.`,
  );
}
