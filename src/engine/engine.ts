// The walk: preflight, then each step in document order, emitting events on the bus and asking the
// prompter. UI-agnostic: no React, Ink or inquirer here.
import { evaluateCondition } from '../runbook/condition';
import { HandrailError } from '../core/errors';
import type { Step } from '../core/model';
import type { Outcome } from '../core/events';
import { EngineContext, RunStop, type EngineOptions } from './context';
import { validateSets } from './inputs';
import { preflight } from './preflight';
import { stepDigest } from '../runbook/step-digest';
import { endStepProcess, stepProcessAlive, type StepProcess } from '../core/processes';
import { runShellStep } from './steps/shell-step';
import { runGithubStep } from './steps/github-step';
import { runInputStep } from './steps/input-step';
import { runConfirmStep } from './steps/confirm-step';

export interface EngineResult {
  outcome: Outcome;
  /** 0 completed; 1 a step failed or the run was aborted; 2 nothing ran (bad usage). */
  exitCode: 0 | 1 | 2;
}

/**
 * Runs a runbook. Throws UsageError before emitting anything when --set / --yes inputs are wrong;
 * every other ending emits `run-ended` (so the record is written) and resolves.
 */
export async function runEngine(options: EngineOptions): Promise<EngineResult> {
  validateSets(options.runbook, options.sets ?? {}, { yes: options.yes === true, known: options.resume?.variables });
  const ctx = new EngineContext(options);
  const { runbook, resume } = options;
  const firstUnfinished = resume ? runbook.steps.findIndex((s) => !resume.finished.has(s.id)) : 0;

  ctx.emit({
    type: 'run-started',
    at: ctx.now(),
    runId: options.runId,
    runbook: { path: runbook.path, id: runbook.meta.id, title: runbook.meta.title, version: runbook.meta.version, sha256: runbook.sha256 },
    mode: options.mode,
    steps: runbook.steps.map((s, index) => ({
      id: s.id,
      index,
      kind: s.kind,
      title: s.title,
      section: s.section,
      digest: stepDigest(s),
      ...('driftIgnore' in s && s.driftIgnore ? { driftIgnore: true as const } : {}),
    })),
    operator: options.operator,
    tool: options.tool,
    ...(resume
      ? {
          resumed: {
            journalPath: resume.journalPath,
            fromIndex: firstUnfinished < 0 ? runbook.steps.length : firstUnfinished,
            finished: Object.fromEntries(resume.finished),
          },
        }
      : {}),
  });

  try {
    await preflight(ctx);
    // A different input or choice than the rehearsal's stops the run before step 1 (SPEC §6.5).
    await ctx.drift?.beforeFirstStep();
    for (const [index, step] of runbook.steps.entries()) {
      ctx.throwIfAborted();
      if (resume?.finished.has(step.id)) continue;
      await runStep(ctx, step, index);
    }
  } catch (error) {
    return end(ctx, error);
  }
  ctx.emit({ type: 'run-ended', at: ctx.now(), outcome: 'completed' });
  return { outcome: 'completed', exitCode: 0 };
}

async function runStep(ctx: EngineContext, step: Step, index: number): Promise<void> {
  if (step.condition && !evaluateCondition(step.condition, ctx.variables)) {
    ctx.finished(step, index, 'skipped', { reason: 'condition' });
    return;
  }
  if (ctx.rehearsal && step.kind !== 'input' && step.kind !== 'confirm' && step.dryRun === 'skip') {
    ctx.finished(step, index, 'skipped', { reason: 'dry-run=skip' });
    return;
  }
  if (step.id === ctx.options.resume?.interruptedStepId) {
    const survivor = ctx.options.resume.interruptedProcess;
    const stillRunning = survivor && stepProcessAlive(survivor) ? survivor.pid : undefined;
    const decision = await ctx.ask(() =>
      ctx.options.prompter.interrupted({ step, ...(stillRunning !== undefined ? { stillRunning } : {}) }),
    );
    if (decision.action === 'skip') {
      ctx.decision(step.id, decision);
      ctx.finished(step, index, 'skipped', { reason: decision.reason });
      return;
    }
    if (decision.action === 'abort') {
      ctx.decision(step.id, decision);
      throw new RunStop('aborted', `aborted at interrupted step ${step.id}`);
    }
    if (survivor && stepProcessAlive(survivor)) await endSurvivor(ctx, step, survivor);
    ctx.decision(step.id, { action: 'rerun-interrupted' });
    // "Run it again" is the operator's yes to this step: a confirm step is not asked a second time.
    ctx.approved.add(step.id);
  }
  switch (step.kind) {
    case 'run':
    case 'check':
      return runShellStep(ctx, step, index);
    case 'github':
      return runGithubStep(ctx, step, index);
    case 'input':
      return runInputStep(ctx, step, index);
    case 'confirm':
      return runConfirmStep(ctx, step, index);
  }
}

/**
 * The step's processes from the run that died are still at work: they are ended (as a timeout ends a
 * step) before the step starts again, so it never runs twice side by side.
 */
async function endSurvivor(ctx: EngineContext, step: Step, survivor: StepProcess): Promise<void> {
  const what = survivor.group ? `process group ${survivor.pid}` : `process ${survivor.pid}`;
  ctx.emit({
    type: 'warning',
    at: ctx.now(),
    message: `"${step.title}" from the run that died is still running (${what}); ending it before running the step again.`,
  });
  if (await endStepProcess(survivor, ctx.options.killGraceMs ?? 3000)) return;
  throw new RunStop(
    'failed',
    `"${step.title}" from the run that died is still running (${what}) and could not be ended; end it yourself (${survivor.group ? `kill -- -${survivor.pid}` : `kill ${survivor.pid}`}, with sudo if it runs as another user), then run again with --resume.`,
    2,
  );
}

function end(ctx: EngineContext, error: unknown): EngineResult {
  let stop: RunStop;
  if (ctx.fault !== undefined) stop = new RunStop('failed', ctx.fault);
  else if (error instanceof RunStop) stop = error;
  else if (error instanceof HandrailError) stop = new RunStop('failed', error.message, error.exitCode);
  else {
    const message = error instanceof Error ? error.message : String(error);
    stop = new RunStop('failed', `unexpected error: ${message}`);
  }
  const open = ctx.open;
  if (open) ctx.finished(open.step, open.index, 'failed', { reason: stop.reason });
  ctx.emit({ type: 'run-ended', at: ctx.now(), outcome: stop.outcome, reason: ctx.masker.mask(stop.reason) });
  return { outcome: stop.outcome, exitCode: stop.exitCode };
}
