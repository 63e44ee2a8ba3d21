// An edited runbook against the unfinished run's journal, step by step. A finished step counts as
// finished only when the runbook still has it under the same id with the same content (kind, body,
// attributes); anything else that touches a finished step cannot be decided safely, and resume refuses.
import type { ResumeState } from '../core/ports';
import type { Runbook } from '../core/model';
import { stepDigest } from '../runbook/step-digest';

export interface EditReport {
  /** One line per step that the edit touched, in the runbook's order, then removed steps. */
  lines: string[];
  /** Set when resuming would skip a step that never ran or run again one that did. */
  refusal?: string;
}

/** Undefined when the journal predates content digests (ids alone are all it has). */
export function compareEdit(found: ResumeState, runbook: Runbook): EditReport | undefined {
  const before = found.steps;
  if (!before || before.some((s) => s.digest === undefined)) return undefined;
  const byId = new Map(before.map((s) => [s.id, s]));
  const now = runbook.steps.map((step) => ({ step, digest: stepDigest(step) }));
  const lines: string[] = [];
  const blocking: string[] = [];
  const label = (title: string, id: string) => `"${title}" (${id})`;

  for (const { step, digest } of now) {
    const old = byId.get(step.id);
    const done = found.finished.get(step.id);
    const movedFrom = before.find((s) => s.digest === digest && s.id !== step.id && found.finished.has(s.id));
    if (old && old.digest === digest) continue;
    if (done !== undefined) {
      const line = `${label(step.title, step.id)} finished (${done}) before the edit and has changed since; resuming would either skip the new version or run the step again`;
      lines.push(line);
      blocking.push(line);
    } else if (movedFrom) {
      const line = `${label(step.title, step.id)} is the finished step ${label(movedFrom.title, movedFrom.id)} under a new id; resuming would run it again`;
      lines.push(line);
      blocking.push(line);
    } else if (!old) {
      lines.push(`${label(step.title, step.id)} is new: it never ran, and it will run`);
    } else {
      lines.push(
        `${label(step.title, step.id)} changed and had not finished: it runs as edited${step.id === found.interruptedStepId ? ' (it was running when the run died)' : ''}`,
      );
    }
  }
  const ids = new Set(runbook.steps.map((s) => s.id));
  for (const old of before) {
    if (ids.has(old.id)) continue;
    const done = found.finished.get(old.id);
    const moved = now.some(({ digest }) => digest === old.digest);
    if (done !== undefined && !moved) lines.push(`${label(old.title, old.id)} finished (${done}) and is no longer in the runbook`);
    else if (done === undefined) lines.push(`${label(old.title, old.id)} had not run and is no longer in the runbook`);
  }
  if (blocking.length === 0) return { lines };
  return {
    lines,
    refusal:
      `The runbook was edited since the unfinished run began, and resume cannot tell which of its steps already ran: ${blocking.join('; ')}. ` +
      `Nothing was run. Put the runbook back as it was to resume (giving steps an explicit id= keeps later edits from shifting them), or pass --restart to start over.`,
  };
}
