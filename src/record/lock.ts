// Marks a journal as held by one running handrail process, from the moment it offers to resume until
// the run ends. A second handrail on the same runbook is told the run is held (and by which pid)
// instead of resuming it too: that would run every remaining step twice at once and interleave two
// writers in one hash chain. A lock left by kill -9 names a dead process and is taken over.
//
// The lock file is made complete under a random name and then hard-linked into place, which fails if
// a lock is already there: two processes can never both believe they took it.
import { closeSync, constants, linkSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { UsageError } from '../core/errors';
import { HandrailError } from '../core/errors';
import { processAlive, processStartTime } from '../core/processes';

const lockPath = (journalPath: string) => `${journalPath}.lock`;
const scratch = (lock: string, what: string) => `${lock}.${randomBytes(8).toString('hex')}.${what}`;

interface Holder {
  pid: number;
  startTime?: string;
}

function readHolder(path: string): Holder | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const [pid, startTime] = text.split('\n');
  const holder = { pid: Number.parseInt(pid, 10), ...(startTime ? { startTime } : {}) };
  return Number.isInteger(holder.pid) ? holder : undefined;
}

const isLive = (holder: Holder | undefined): holder is Holder => holder !== undefined && processAlive(holder.pid, holder.startTime);

function heldError(journalPath: string, pid: number): UsageError {
  return new UsageError(
    `This run is held: it is being run right now by handrail process ${pid}, in another terminal or job (journal ${journalPath}); nothing was run here. Let that run finish or stop it, then run again.`,
  );
}

/** Writes this process's lock content under a fresh name, never following a planted link. */
function writeCandidate(lock: string): string {
  const path = scratch(lock, 'new');
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, `${process.pid}\n${processStartTime(process.pid) ?? ''}\n`);
  } finally {
    closeSync(fd);
  }
  return path;
}

/**
 * A dead holder's lock is moved aside (only one process can move it) and then removed. If what was
 * moved turns out to be a live holder's fresh lock, taken between the look and the move, it is put back.
 */
function breakStale(lock: string): void {
  const aside = scratch(lock, 'stale');
  try {
    renameSync(lock, aside);
  } catch {
    return;
  }
  if (isLive(readHolder(aside))) {
    try {
      linkSync(aside, lock);
    } catch {
      // A third process took the place meanwhile; it holds the run.
    }
  }
  rmSync(aside, { force: true });
}

const taken = new Set<string>();
let exitHook = false;

/**
 * Takes the journal's lock for this process, or refuses (exit 2) naming the live process that holds
 * it. Taking a lock this process already holds is fine. Released by unlockJournal, and at the
 * latest when the process exits.
 */
export function lockJournal(journalPath: string): void {
  const lock = lockPath(journalPath);
  let candidate: string;
  try {
    candidate = writeCandidate(lock);
  } catch (error) {
    throw new HandrailError(
      `Could not lock the run journal ${journalPath} (${(error as NodeJS.ErrnoException).code ?? String(error)}); fix the state directory's permissions, then run again.`,
    );
  }
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(candidate, lock);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readHolder(lock);
      if (holder?.pid === process.pid) break;
      if (isLive(holder)) throw heldError(journalPath, holder.pid);
      breakStale(lock);
      if (attempt === 4)
        throw new HandrailError(`Could not lock the run journal ${journalPath}: other handrail processes keep taking it; run again.`);
    }
  } finally {
    rmSync(candidate, { force: true });
  }
  taken.add(journalPath);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const path of taken) unlockJournal(path);
    });
  }
}

/** Gives the lock up, if this process holds it: never removes another process's lock. */
export function unlockJournal(journalPath: string): void {
  taken.delete(journalPath);
  const lock = lockPath(journalPath);
  if (readHolder(lock)?.pid === process.pid) rmSync(lock, { force: true });
}
