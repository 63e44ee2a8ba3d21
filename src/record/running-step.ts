// Which process runs the current step, kept beside the journal in `<journal>.step`. After kill -9 of
// handrail the step's process group lives on; resume reads this file to look for it and never starts
// the step again beside it. Not a journal entry: while a step runs, the journal's last entry is its
// step-started, and the pid is known only after that entry is on disk (the step must be known as
// started before anything of it can run).
import { closeSync, constants, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { EventOf } from '../engine/events';
import type { StepProcess } from '../engine/processes';

const stepFile = (journalPath: string) => `${journalPath}.step`;

/** Replaces the note: written under a fresh name (never through a planted link), then renamed. */
export function noteRunningStep(journalPath: string, event: EventOf<'step-process'>): void {
  const path = stepFile(journalPath);
  const tmp = `${path}.${randomBytes(8).toString('hex')}.new`;
  try {
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      writeSync(fd, `${JSON.stringify({ stepId: event.stepId, pid: event.pid, group: event.group, startTime: event.startTime })}\n`);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch {
    // Only a later resume's search for survivors depends on it; the run goes on without it.
    rmSync(tmp, { force: true });
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

export function forgetRunningStep(journalPath: string): void {
  rmSync(stepFile(journalPath), { force: true });
}
