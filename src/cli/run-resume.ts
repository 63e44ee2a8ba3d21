// Everything `handrail run` decides about an unfinished run, in one place: which journal may be
// continued (only one of this run's mode, not busy, with the same inputs, not damaged under --yes, not
// refused by an edit), what --restart throws away, and what the operator is asked before resuming.
import type { Mode } from '../core/events';
import type { Prompter } from '../core/prompter';
import type { ResumeState } from '../core/ports';
import type { Runbook } from '../core/model';
import { UsageError } from '../core/errors';
import { terminalSafe, terminalSafeLine } from '../core/terminal-safe';
import { renderTemplate } from '../runbook/template';
import { lockJournal, unlockJournal } from '../record/lock';
import { discardResumable, findResumable } from '../record/resume';
import { compareEdit } from '../record/step-match';

const NAME: Record<Mode, string> = { live: 'live run', rehearsal: 'rehearsal' };

export interface ResumeFlags {
  resume?: boolean;
  restart?: boolean;
  yes?: boolean;
}

/** The unfinished run that may be continued (locked by this process), and how the runbook changed since. */
export interface ResumeFound {
  found: ResumeState | undefined;
  /** One line per step edited since the unfinished run began. */
  edits: string[];
}

/**
 * Checked before anything is shown or journaled: every refusal here is bad usage (exit 2). Under
 * --restart, an unfinished run of this runbook is discarded instead.
 */
export async function findResume(
  runbook: Runbook,
  sets: Readonly<Record<string, string>>,
  mode: Mode,
  options: ResumeFlags,
): Promise<ResumeFound> {
  const found = resumableInMode(options.restart ? undefined : await findResumable(runbook), mode, options);
  assertSomethingToResume(found, options);
  if (found) assertSameInputs(found, sets);
  if (found) assertTrustedUnattended(found, options);
  const edit = found && found.runbookChanged ? compareEdit(found, runbook) : undefined;
  if (edit?.refusal) throw new UsageError(terminalSafe(edit.refusal));
  if (options.restart) {
    const stale = await findResumable(runbook);
    if (stale) {
      lockJournal(stale.journalPath);
      discardResumable(stale);
      unlockJournal(stale.journalPath);
    }
  }
  return { found, edits: edit?.lines ?? [] };
}

/**
 * The journal to offer, or undefined (after saying why) when it belongs to the other mode: a rehearsal
 * that continued a live run would sign live work as a rehearsal, and a live run that continued a
 * rehearsal would count rehearsed steps as done. The offered journal is locked by this process from
 * here to the end of the run, before anyone is asked about it; refuses (exit 2) when another handrail
 * process holds it: it is not unfinished, only busy.
 */
function resumableInMode(found: ResumeState | undefined, mode: Mode, options: { resume?: boolean }): ResumeState | undefined {
  if (!found) return undefined;
  if (!found.mode || found.mode === mode) {
    lockJournal(found.journalPath);
    return found;
  }
  const how = found.mode === 'live' ? 'without --dry-run' : 'with --dry-run';
  if (options.resume) {
    throw new UsageError(
      `The unfinished ${NAME[found.mode]} of this runbook cannot be continued as a ${NAME[mode]}; run it ${how} to resume it, or pass --restart to abandon it.`,
    );
  }
  process.stderr.write(
    `handrail: an unfinished ${NAME[found.mode]} of this runbook is left as it is (run it ${how} to resume it); this ${NAME[mode]} starts afresh.\n`,
  );
  return undefined;
}

/** `--resume` promises a continuation: with no unfinished run there is nothing to continue, and nothing runs. */
function assertSomethingToResume(found: ResumeState | undefined, options: { resume?: boolean }): void {
  if (!options.resume || found) return;
  throw new UsageError(
    'There is no unfinished run of this runbook to resume, so nothing was run; run it without --resume to start a new run.',
  );
}

/**
 * An input keeps the value the run was given: steps already done used it, and a resumed run that
 * changed it would deploy one thing and announce another. The same value again is fine.
 */
function assertSameInputs(found: ResumeState, sets: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(sets)) {
    const given = found.inputs?.[name];
    if (given === undefined || given === value) continue;
    throw new UsageError(
      `--set ${name}=${JSON.stringify(value)} differs from the value the unfinished run was given (${JSON.stringify(given)}), and an input never changes mid-run; drop --set ${name} to resume with ${JSON.stringify(given)}, or pass --restart to start over with the new value.`,
    );
  }
}

/**
 * Where the journal is damaged, what is still trusted and what the rest claims. One sentence, already
 * terminal-safe: the journal's bytes are not to be trusted.
 */
function damageSentence(found: ResumeState): string | undefined {
  const d = found.damage;
  if (!d) return undefined;
  const claims = d.claimsFinished.length ? `, and they say ${d.claimsFinished.join(', ')} finished, which cannot be proved` : '';
  return terminalSafeLine(
    `The journal ${found.journalPath} is damaged at entry ${d.entry} (line ${d.entry + 1}, byte ${d.byte}): ${d.problem}. ` +
      `The ${d.entry} entries before it are trusted; the ${d.untrustedLines} line${d.untrustedLines === 1 ? '' : 's'} from there on are not${claims}. ` +
      `Resuming goes on from the trusted entries alone: a step they do not show as finished runs again.`,
  );
}

/** A damaged journal is never trusted without a person's say: --yes refuses (exit 2). */
function assertTrustedUnattended(found: ResumeState, options: { yes?: boolean }): void {
  const damage = damageSentence(found);
  if (!damage || !options.yes) return;
  throw new UsageError(
    `${damage} --yes does not decide that, so nothing was run: run it without --yes to look and decide, or pass --restart to start over.`,
  );
}

/** The resume to use, undefined to start fresh, or null when the operator aborted. */
export async function offerResume(
  { found, edits }: ResumeFound,
  runbook: Runbook,
  prompter: Prompter,
  options: ResumeFlags,
): Promise<ResumeState | undefined | null> {
  if (!found) return undefined;
  const next = runbook.steps.find((s) => !found.finished.has(s.id));
  const damage = damageSentence(found);
  // --resume answers "resume or start over", not "trust a damaged journal": that is still asked.
  if ((options.resume || options.yes) && !damage) {
    if (found.runbookChanged)
      process.stderr.write(`handrail: ${terminalSafeLine(runbook.path)} has changed since the unfinished run began; resuming it anyway.\n`);
    for (const line of edits) process.stderr.write(`handrail:   - ${terminalSafeLine(line)}\n`);
    return found;
  }
  const answer = await prompter.resume({
    // The earlier run's values fill the title ("Re-tag {{IMAGE}}"); secrets are never in a journal.
    ...(next
      ? { nextStepTitle: terminalSafeLine(renderTemplate(next.title, found.variables, new Set(Object.keys(runbook.meta.secrets ?? {})))) }
      : {}),
    finishedSteps: found.finished.size,
    changed: found.runbookChanged,
    ...(damage ? { damage } : {}),
    ...(edits.length ? { edits: edits.map(terminalSafeLine) } : {}),
  });
  if (answer === 'abort') return null;
  if (answer === 'restart') {
    discardResumable(found);
    unlockJournal(found.journalPath);
    return undefined;
  }
  return found;
}
