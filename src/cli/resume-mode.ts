// A run resumes only a journal of its own mode: a rehearsal that continued a live run would sign
// live work as a rehearsal, and a live run that continued a rehearsal would count rehearsed steps as done.
import type { Mode } from '../core/events';
import type { ResumeState } from '../core/ports';
import { UsageError } from '../core/errors';
import { lockJournal } from '../record/lock';

const NAME: Record<Mode, string> = { live: 'live run', rehearsal: 'rehearsal' };

/**
 * The journal to offer, or undefined (after saying why) when it belongs to the other mode. The offered
 * journal is locked by this process from here to the end of the run, before anyone is asked about it;
 * refuses (exit 2) when another handrail process holds it: it is not unfinished, only busy.
 */
export function resumableInMode(found: ResumeState | undefined, mode: Mode, options: { resume?: boolean }): ResumeState | undefined {
  if (!found) return undefined;
  if (!found.mode || found.mode === mode) {
    lockJournal(found.journalPath);
    return found;
  }
  const how = found.mode === 'live' ? 'without --dry-run' : 'with --dry-run';
  if (options.resume) {
    throw new UsageError(`The unfinished ${NAME[found.mode]} of this runbook cannot be continued as a ${NAME[mode]}; run it ${how} to resume it, or pass --restart to abandon it.`);
  }
  process.stderr.write(`handrail: an unfinished ${NAME[found.mode]} of this runbook is left as it is (run it ${how} to resume it); this ${NAME[mode]} starts afresh.\n`);
  return undefined;
}

/** `--resume` promises a continuation: with no unfinished run there is nothing to continue, and nothing runs. */
export function assertSomethingToResume(found: ResumeState | undefined, options: { resume?: boolean }): void {
  if (!options.resume || found) return;
  throw new UsageError('There is no unfinished run of this runbook to resume, so nothing was run; run it without --resume to start a new run.');
}

/**
 * An input keeps the value the run was given: steps already done used it, and a resumed run that
 * changed it would deploy one thing and announce another. The same value again is fine.
 */
export function assertSameInputs(found: ResumeState, sets: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(sets)) {
    const given = found.inputs?.[name];
    if (given === undefined || given === value) continue;
    throw new UsageError(
      `--set ${name}=${JSON.stringify(value)} differs from the value the unfinished run was given (${JSON.stringify(given)}), and an input never changes mid-run; drop --set ${name} to resume with ${JSON.stringify(given)}, or pass --restart to start over with the new value.`,
    );
  }
}
