// The words the engine's questions are asked with, said once for the TUI and line mode alike. Each
// front end lays them out its own way (a key line, a list to pick from); the sentences are these.
import type { DriftRequest, Fact } from '../core/prompter';

/** An input or secret is asked by its prompt, with the name it goes by in the runbook. */
export function askLabel(prompt: string, name: string): string {
  return `${prompt} (${name})`;
}

/** A value a check established, shown at a confirm or a rehearsal stop. */
export function factLine(fact: Fact): string {
  return `${fact.label}: ${fact.value}`;
}

/** Marks the choice that is the value in use now (`current:`), never the one to pick. */
export const CURRENT_MARK = ' ◀ in use now';

/** After a secret is typed, when the keychain can keep it. */
export function keepInKeychain(keychain: string | undefined, name: string): string {
  return `Store it in the OS keychain as "${keychain ?? name}" for next time?`;
}

/** A failed step's reason, with its exit code when the reason does not already say it. */
export function failedReason(reason: string, exitCode?: number): string {
  const said = exitCode !== undefined && new RegExp(`exit (status |code )?${exitCode}\\b`).test(reason);
  return `${reason}${exitCode !== undefined && !said ? ` (exit ${exitCode})` : ''}`;
}

/** Why a skip must be explained, when the operator gives no reason. */
export const SKIP_REASON_REQUIRED = 'Give a reason: it is written into the record.';

/** The step the last run died in: `subject` names it ("This step", or its title in quotes). */
export function interruptedText(subject: string, stillRunning?: number): string {
  const still = stillRunning !== undefined ? ` It is still running (process group ${stillRunning}): running it again ends it first.` : '';
  return `${subject} was running when the last run stopped.${still}`;
}

/**
 * An unfinished earlier run of this runbook, as the TUI heads its question. Line mode asks it as a
 * list's message, in words of its own that scripts and tests wait for ("An unfinished run…").
 */
export function resumeText(finishedSteps: number, nextStepTitle?: string): string {
  return `An earlier run stopped after ${finishedSteps} finished step${finishedSteps === 1 ? '' : 's'}${nextStepTitle ? `; next: ${nextStepTitle}` : ''}.`;
}

export const RUNBOOK_CHANGED = 'The runbook has changed since the unfinished run began.';

/** Drift stopped the run: where, and the rehearsal it was measured against. */
export function driftHead(request: DriftRequest): { stopped: string; rehearsed: string } {
  const where = request.before ? `before "${request.before.title}"` : 'before step 1';
  const { by, at, planDigest } = request.rehearsal;
  return {
    stopped: `The live run differs from its rehearsal: stopped ${where}.`,
    rehearsed: `Rehearsed by ${by} at ${at.replace(/\.\d+Z$/, 'Z')}; plan ${planDigest}`,
  };
}
