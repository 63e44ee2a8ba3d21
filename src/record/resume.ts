// Finding an unfinished run of the same runbook, and what its journal says about it.
// "The same runbook" = same front-matter id and same absolute path: two checkouts of one runbook
// are different procedures in progress, and an edited file is still the same runbook (reported as
// changed).
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stateDir as defaultStateDir } from '../core/paths';
import type { Runbook } from '../core/model';
import type { ResumeState } from '../core/ports';
import type { RunEvent, StepStatus } from '../core/events';
import { runningStep } from './running-step';
import { JournalWriter } from './journal';
import { peekJournalEnded, peekJournalHeader, readJournal, type JournalRead } from './journal-read';

export function journalsDir(stateDir?: string): string {
  return join(stateDir ?? defaultStateDir(), 'journals');
}

/** Whether a journal is a run that has not ended and has not been closed by a restart. */
function isUnfinished(read: JournalRead): boolean {
  return (
    !read.closed &&
    // A journal damaged before its run-started is still an unfinished run: starting afresh would run
    // every step again without a word.
    (read.events.some((e) => e.type === 'run-started') || read.damage !== undefined) &&
    !read.events.some((e) => e.type === 'run-ended')
  );
}

/** What an unfinished journal's events say: the pure part of findResumable, kept separate for tests. */
export function resumeStateFrom(journalPath: string, read: JournalRead, runbookSha256: string): ResumeState {
  const started = read.events.find((e): e is Extract<RunEvent, { type: 'run-started' }> => e.type === 'run-started');
  const latest = read.events.findLast((e): e is Extract<RunEvent, { type: 'run-started' }> => e.type === 'run-started');
  const finished = new Map<string, StepStatus>();
  const variables: Record<string, string> = {};
  const inputs: Record<string, string> = {};
  let interruptedStepId: string | undefined;
  for (const event of read.events) {
    switch (event.type) {
      case 'input-given':
        inputs[event.name] = event.value;
        variables[event.name] = event.value;
        break;
      case 'capture':
        variables[event.name] = event.value;
        break;
      case 'step-started':
        interruptedStepId = event.stepId;
        finished.delete(event.stepId);
        break;
      case 'step-finished':
        if (interruptedStepId === event.stepId) interruptedStepId = undefined;
        // A failed step was waiting for the operator's retry/skip/abort when the run died: it is not
        // done, so resume offers it again rather than stepping past it.
        if (event.status !== 'failed') finished.set(event.stepId, event.status);
        break;
      case 'decision':
        if (event.decision === 'skip' && !finished.has(event.stepId) && interruptedStepId !== event.stepId)
          finished.set(event.stepId, 'skipped');
        break;
      default:
        break;
    }
  }
  const originalSha = read.header?.runbookSha256 ?? started?.runbook.sha256;
  return {
    journalPath,
    runId: started?.runId ?? '',
    finished,
    interruptedStepId,
    variables,
    inputs,
    ...(latest ? { steps: latest.steps } : {}),
    runbookChanged: originalSha !== runbookSha256,
    ...(started ? { mode: started.mode } : {}),
    ...(read.damage ? { damage: read.damage } : {}),
    warnings: read.warnings.length > 0 ? [...read.warnings] : undefined,
  };
}

/** The newest unfinished journal of this runbook, or undefined when there is none. */
export async function findResumable(runbook: Runbook, options: { stateDir?: string } = {}): Promise<ResumeState | undefined> {
  const dir = journalsDir(options.stateDir);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  } catch {
    return undefined;
  }
  const absolute = resolve(runbook.path);
  let best: { path: string; read: JournalRead; createdAt: string } | undefined;
  // Every run leaves a journal, so the folder grows: only this runbook's unfinished journals are read
  // and verified in full (journal names start with the runbook id).
  for (const name of names) {
    if (!name.startsWith(`${runbook.meta.id}-`)) continue;
    const path = join(dir, name);
    const header = peekJournalHeader(path);
    if (header?.runbookId !== runbook.meta.id || header.runbookPath !== absolute) continue;
    if (peekJournalEnded(path)) continue;
    const read = readJournal(path);
    // The peeked header matched; a header the chain no longer vouches for is damage, not someone else's run.
    if (read.header && (read.header.runbookId !== runbook.meta.id || read.header.runbookPath !== absolute)) continue;
    if (!isUnfinished(read)) continue;
    const createdAt = read.header?.createdAt ?? header.createdAt;
    if (!best || best.createdAt < createdAt) best = { path, read, createdAt };
  }
  if (!best) return undefined;
  const state = resumeStateFrom(best.path, best.read, runbook.sha256);
  const survivor = runningStep(best.path, state.interruptedStepId);
  return survivor ? { ...state, interruptedProcess: survivor } : state;
}

/**
 * The operator chose to start over: the unfinished journal is closed with a final chained entry, so
 * it is kept as evidence but never offered for resume again.
 */
export function discardResumable(state: Pick<ResumeState, 'journalPath'>, reason = 'the operator started the run over'): void {
  const { writer } = JournalWriter.reopen(state.journalPath);
  try {
    writer.append({ closed: { at: new Date().toISOString(), reason } });
  } finally {
    writer.close();
  }
}
