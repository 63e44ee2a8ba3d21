// The live run does what was rehearsed (SPEC §6.5). A live run that relies on a rehearsal holds
// itself to that rehearsal's plan: the inputs before step 1, each value as it is captured, and the
// text of each changing step just before it runs. A difference is drift; drift stops the run before
// the next changing step, where the operator continues (recorded) or aborts, and --yes ends the run
// unless --accept-drift was given.
import type { Plan, PlanStep } from '../core/plan';
import type { Step } from '../core/model';
import { renderTemplate } from '../runbook/template';
import type { Drift } from '../core/events';
import { RunStop, type EngineContext } from './context';

/** The plan a live run is held to, and whose it is. */
export interface HeldTo {
  plan: Plan;
  /** planDigest(plan): the name of this plan in the record and in approvals. */
  digest: string;
  /** Who rehearsed it (`@login` or `user@host`) and when it ended. */
  by: string;
  at: string;
  /**
   * The plan was approved by a second person (SPEC §6.6): drift cannot be accepted here, neither by
   * the operator nor by --accept-drift; it needs a new rehearsal and a new approval.
   */
  approved?: boolean;
}

/** A step that changes things: a `run` step, or a github request other than GET. */
export function isChanging(step: Step): boolean {
  return step.kind === 'run' || (step.kind === 'github' && step.method.toUpperCase() !== 'GET');
}

/** Front-matter inputs and choices given before step 1, against the plan's. */
export function compareInputs(plan: Plan, given: Readonly<Record<string, string>>): Drift[] {
  const drifts: Drift[] = [];
  for (const [name, now] of Object.entries(given)) {
    const rehearsed = Object.hasOwn(plan.inputs, name) ? plan.inputs[name] : undefined;
    if (rehearsed !== now) drifts.push({ field: 'input', name, ...(rehearsed !== undefined ? { rehearsed } : {}), now });
  }
  return drifts;
}

/**
 * A value captured (or an input step's answer) live, against the rehearsal's. Nothing to hold it to
 * when the rehearsal never had it (a check it skipped), or when the step says drift=ignore.
 */
export function compareValue(plan: Plan, step: Step, name: string, now: string): Drift | undefined {
  if ('driftIgnore' in step && step.driftIgnore) return undefined;
  const rehearsed =
    step.kind === 'input'
      ? Object.hasOwn(plan.inputs, name)
        ? plan.inputs[name]
        : undefined
      : ownValue(planStep(plan, step.id)?.captured, name);
  if (rehearsed === undefined || rehearsed === now) return undefined;
  return { stepId: step.id, field: step.kind === 'input' ? 'input' : 'capture', name, rehearsed, now };
}

/**
 * The text a changing step is about to run, against what the rehearsal showed for it. Values of
 * captures marked drift=ignore are read as their names on both sides, so a timestamp that changes by
 * nature does not make the command that uses it differ.
 */
export function compareText(
  plan: Plan,
  step: Step,
  now: string,
  ignored: ReadonlyMap<string, { rehearsed: string; now: string }>,
): Drift | undefined {
  const rehearsedStep = planStep(plan, step.id);
  const rehearsed = rehearsedStep?.text ? rehearsedStep.text : undefined;
  if (rehearsed !== undefined && neutral(rehearsed, ignored, 'rehearsed') === neutral(now, ignored, 'now')) return undefined;
  return { stepId: step.id, field: 'text', ...(rehearsed !== undefined ? { rehearsed } : {}), now };
}

/** A plan is read from a record: a name is looked up as its own key only, never the prototype's. */
function ownValue(values: Readonly<Record<string, string>> | undefined, name: string): string | undefined {
  return values && Object.hasOwn(values, name) ? values[name] : undefined;
}

function planStep(plan: Plan, id: string): PlanStep | undefined {
  return plan.steps.find((s) => s.id === id);
}

/**
 * The text with the values of `ignored` names read as `{NAME}`: a run step's `# NAME=value` line is
 * dropped, and the value (raw, JSON- or URL-encoded) is replaced where it stands on its own, never
 * inside a longer word or number.
 */
function neutral(text: string, ignored: ReadonlyMap<string, { rehearsed: string; now: string }>, side: 'rehearsed' | 'now'): string {
  let out = text;
  for (const [name, values] of ignored) {
    out = out
      .split('\n')
      .filter((line) => !line.startsWith(`# ${name}=`))
      .join('\n');
    const value = values[side];
    if (!value) continue;
    for (const form of new Set([JSON.stringify(value), value, encodeURIComponent(value)])) {
      const escaped = form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      out = out.replace(new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`, 'g'), `{${name}}`);
    }
  }
  return out;
}

/** One per live run that relies on a rehearsal with a plan: collects drift, and stops the run for it. */
export class DriftWatch {
  /** Drift found since the last decision: what the next stop shows. */
  private pending: Drift[] = [];
  /**
   * Values a changing step's text may hold that are not drift: captures marked drift=ignore (both
   * sides' values), and values the rehearsal never saw (a dry-run=skip check found them live).
   */
  private readonly ignored = new Map<string, { rehearsed: string; now: string }>();

  constructor(
    private readonly ctx: EngineContext,
    readonly heldTo: HeldTo,
    private readonly acceptDrift: boolean,
  ) {}

  /** Before step 1: the inputs and choices given up front; a difference stops the run here. */
  async beforeFirstStep(): Promise<void> {
    const names = Object.keys(this.ctx.options.runbook.meta.inputs ?? {});
    // As the plan holds them: masked, as every value handrail writes down.
    const given = Object.fromEntries(
      names.filter((n) => Object.hasOwn(this.ctx.variables, n)).map((n) => [n, this.ctx.masker.mask(this.ctx.variables[n]!)]),
    );
    for (const drift of compareInputs(this.heldTo.plan, given)) {
      this.found(drift);
      if (drift.rehearsed !== undefined) this.ignored.set(drift.name!, { rehearsed: drift.rehearsed, now: drift.now });
    }
    await this.settle();
  }

  /** A value captured or given by `step`: compared at once, so the drift is on record even if no changing step follows. */
  captured(step: Step, name: string, value: string): void {
    const shown = this.ctx.masker.mask(value);
    if ('driftIgnore' in step && step.driftIgnore) {
      const rehearsed = ownValue(planStep(this.heldTo.plan, step.id)?.captured, name);
      if (rehearsed !== undefined) this.ignored.set(name, { rehearsed, now: shown });
      return;
    }
    const plan = this.heldTo.plan;
    const rehearsed = ownValue(step.kind === 'input' ? plan.inputs : planStep(plan, step.id)?.captured, name);
    if (rehearsed === undefined) {
      this.ignored.set(name, { rehearsed: '', now: shown });
      return;
    }
    const drift = compareValue(this.heldTo.plan, step, name, shown);
    if (!drift) return;
    this.found(drift);
    // Reported once: a changing step's text that differs only by this value is not drift again.
    this.ignored.set(name, { rehearsed, now: shown });
  }

  /** Just before a step executes: a changing step's text is compared, and any drift so far stops the run here. */
  async beforeStep(step: Step, display: () => string): Promise<void> {
    if (!isChanging(step)) return;
    const now = this.ctx.masker.mask(display());
    const drift = compareText(this.heldTo.plan, step, now, this.ignored);
    if (drift) this.found(drift);
    await this.settle({ step, title: renderTemplate(step.title, this.ctx.variables, this.ctx.secretNames), display: now });
  }

  private found(drift: Drift): void {
    this.pending.push(drift);
    this.ctx.emit({ type: 'drift', at: this.ctx.now(), ...drift });
  }

  private async settle(before?: { step: Step; title: string; display: string }): Promise<void> {
    if (this.pending.length === 0) return;
    const drifts = this.pending;
    this.pending = [];
    const where = before ? `before "${before.title}"` : 'before step 1';
    const what = drifts.map(describeDrift).join('; ');
    const beforeStepId = before ? { beforeStepId: before.step.id } : {};
    if (this.heldTo.approved) {
      this.ctx.emit({ type: 'drift-decision', at: this.ctx.now(), ...beforeStepId, decision: 'abort', by: this.operator(), auto: true });
      throw new RunStop(
        'aborted',
        `stopped ${where}: the live run differs from the approved plan (${what}); drift from an approved plan cannot be accepted here: rehearse again and have the new plan approved.`,
      );
    }
    if (this.ctx.auto) {
      const by = this.operator();
      this.ctx.emit({
        type: 'drift-decision',
        at: this.ctx.now(),
        ...beforeStepId,
        decision: this.acceptDrift ? 'accept' : 'abort',
        by,
        auto: true,
      });
      if (this.acceptDrift) return;
      throw new RunStop(
        'aborted',
        `stopped ${where}: the live run differs from the rehearsal it relies on (${what}); nothing more was run. Rehearse again, or give --accept-drift to run it as it is now.`,
      );
    }
    const ask = this.ctx.options.prompter.drift;
    const answer = ask
      ? await this.ctx.ask(() =>
          ask.call(this.ctx.options.prompter, {
            drifts,
            ...(before ? { before } : {}),
            rehearsal: { by: this.heldTo.by, at: this.heldTo.at, planDigest: this.heldTo.digest },
          }),
        )
      : 'abort';
    this.ctx.emit({
      type: 'drift-decision',
      at: this.ctx.now(),
      ...beforeStepId,
      decision: answer === 'continue' ? 'accept' : 'abort',
      by: this.operator(),
      auto: false,
    });
    if (answer !== 'continue')
      throw new RunStop('aborted', `stopped ${where} by the operator: the live run differs from the rehearsal it relies on (${what}).`);
  }

  /** The operator as the record names them: the GitHub login when known, else user@host. */
  private operator(): string {
    const login = this.ctx.variables.GITHUB_LOGIN;
    const { user, host } = this.ctx.options.operator;
    return login ? `@${login}` : `${user}@${host}`;
  }
}

/** One drift in a few words, for a reason line (the values themselves are in the drift events and the record). */
export function describeDrift(drift: Drift): string {
  if (drift.field === 'text')
    return drift.rehearsed === undefined
      ? `step ${drift.stepId} was not reached in the rehearsal`
      : `what step ${drift.stepId} runs changed`;
  return `${drift.field === 'input' ? 'input' : 'captured value'} ${drift.name} changed`;
}
