// Which process runs the current step, kept beside the journal in `<journal>.step`. After kill -9 of
// handrail the step's process group lives on; resume reads this file to look for it and never starts
// the step again beside it. Not a journal entry: while a step runs, the journal's last entry is its
// step-started, and the pid is known only after that entry is on disk (the step must be known as
// started before anything of it can run).
import { closeSync, constants, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { EventOf } from '../core/events';
import type { StepProcess } from '../core/processes';

const stepFile = (journalPath: string) => `${journalPath}.step`;

/** A note shorter than this is padded to it, so the next one (another step's id) rarely grows the file. */
const NOTE_BYTES = 256;

/**
 * The note of one run, kept open across its steps: the first note is written under a fresh name (never
 * through a planted link) and renamed into place, and every later one overwrites it with one write at
 * offset 0, padded to the file's length with spaces (JSON allows them), so it is never seen half
 * replaced or shortened, and a step costs one write(2) instead of a new file and a rename.
 */
export class RunningStepNote {
  private fd: number | undefined;
  private size = 0;

  constructor(private readonly journalPath: string) {}

  note(event: EventOf<'step-process'>): void {
    const json = JSON.stringify({ stepId: event.stepId, pid: event.pid, group: event.group, startTime: event.startTime });
    const line = Buffer.from(`${json.padEnd(Math.max(this.size, NOTE_BYTES) - 1)}\n`);
    try {
      if (this.fd === undefined) this.create(line);
      else writeSync(this.fd, line, 0, line.length, 0);
      this.size = Math.max(this.size, line.length);
    } catch {
      // Only a later resume's search for survivors depends on it; the run goes on without it.
      this.close();
    }
  }

  /** Closes the note and removes it: no step is running any more. */
  forget(): void {
    this.close();
    rmSync(stepFile(this.journalPath), { force: true });
  }

  private create(line: Buffer): void {
    const path = stepFile(this.journalPath);
    const tmp = `${path}.${randomBytes(8).toString('hex')}.new`;
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      writeSync(fd, line);
      renameSync(tmp, path);
    } catch (error) {
      closeSync(fd);
      rmSync(tmp, { force: true });
      throw error;
    }
    this.fd = fd;
  }

  private close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.size = 0;
  }
}

/** The process of `stepId` as last noted, if the note is about that step. */
export function runningStep(journalPath: string, stepId: string | undefined): StepProcess | undefined {
  if (stepId === undefined) return undefined;
  try {
    const note = JSON.parse(readFileSync(stepFile(journalPath), 'utf8')) as Partial<StepProcess & { stepId: string }>;
    if (note.stepId !== stepId || typeof note.pid !== 'number' || typeof note.group !== 'boolean') return undefined;
    return { pid: note.pid, group: note.group, ...(typeof note.startTime === 'string' ? { startTime: note.startTime } : {}) };
  } catch {
    return undefined;
  }
}
