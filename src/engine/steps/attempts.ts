// The life of a run/check/github step once it is going to execute: the `confirm` question, attempts
// with automatic retries, then the operator's retry / skip / abort after a failure.
import type { GithubStep, ShellStep } from '../../core/model';
import type { OutputSummary } from '../../core/events';
import { RunStop, type EngineContext } from '../context';
import { carriesSecret } from '../../core/masker';
import { renderTemplate } from '../../runbook/template';
import { changeInput, changeableInputs } from './change-input';
import { setTimeout as pause } from 'node:timers/promises';

export type AttemptResult =
  | {
      ok: true;
      exitCode?: number;
      output?: OutputSummary;
      captures: Record<string, string>;
      /** The text expect= matched. */ matched?: string;
    }
  | { ok: false; reason: string; exitCode?: number; output?: OutputSummary };

export async function executeWithDecisions(
  ctx: EngineContext,
  step: ShellStep | GithubStep,
  index: number,
  display: () => string,
  attempt: (n: number) => Promise<AttemptResult>,
): Promise<void> {
  // Held to a rehearsal (SPEC §6.5): drift stops the run before a changing step, before its confirm.
  await ctx.drift?.beforeStep(step, display);
  if (step.confirm && !ctx.approved.has(step.id)) {
    const facts = ctx.facts.map((fact) => ({ label: fact.label, value: ctx.masker.mask(fact.value) }));
    const decision = await ctx.ask(() =>
      ctx.options.prompter.confirmStep({ step, display: ctx.masker.mask(display()), ...(facts.length ? { facts } : {}) }),
    );
    ctx.decision(step.id, decision);
    if (decision.action === 'skip') {
      ctx.finished(step, index, 'skipped', { reason: decision.reason });
      return;
    }
    if (decision.action === 'abort') throw new RunStop('aborted', `aborted at step ${step.id}`);
  }

  let automaticRetries = 0;
  for (let n = 1; ; n++) {
    ctx.throwIfAborted();
    ctx.started(step, index, n, display());
    const result = derivedSecretCheck(ctx, await attempt(n));
    if (result.ok) {
      for (const [name, value] of Object.entries(result.captures)) {
        ctx.variables[name] = value;
        ctx.emit({ type: 'capture', at: ctx.now(), stepId: step.id, name, value: ctx.masker.mask(value) });
        ctx.drift?.captured(step, name, value);
      }
      noteFacts(ctx, step, result);
      ctx.finished(step, index, 'passed', { exitCode: result.exitCode, output: result.output });
      return;
    }
    const failed = { exitCode: result.exitCode, reason: result.reason, output: result.output };
    if (ctx.options.signal?.aborted) {
      ctx.finished(step, index, 'failed', failed);
      ctx.throwIfAborted();
    }
    if (automaticRetries < step.retries) {
      automaticRetries++;
      if (step.retryDelayMs) await pause(step.retryDelayMs, undefined, { signal: ctx.options.signal }).catch(() => ctx.throwIfAborted());
      continue;
    }
    if (ctx.auto) {
      ctx.finished(step, index, 'failed', failed);
      throw new RunStop('failed', `step ${step.id} failed: ${result.reason}`);
    }
    let decision;
    const changeable = changeableInputs(ctx, step);
    try {
      decision = await ctx.ask(() =>
        ctx.options.prompter.failure({
          step,
          reason: ctx.masker.mask(result.reason),
          exitCode: result.exitCode,
          ...(result.output?.logPath ? { logPath: result.output.logPath } : {}),
          ...(changeable.length ? { changeable } : {}),
        }),
      );
      if (decision.action === 'change') {
        for (const name of changeable) await changeInput(ctx, name, step.id);
        decision = { action: 'retry' } as const;
      }
    } catch (error) {
      ctx.finished(step, index, 'failed', failed);
      throw error;
    }
    ctx.decision(step.id, decision);
    if (decision.action === 'retry' || decision.action === 'proceed') continue;
    if (decision.action === 'skip') {
      ctx.finished(step, index, 'skipped', { exitCode: result.exitCode, reason: decision.reason, output: result.output });
      return;
    }
    ctx.finished(step, index, 'failed', failed);
    throw new RunStop('failed', `step ${step.id} failed and the operator aborted: ${result.reason}`);
  }
}

/** Facts longer than this are not facts to compare by eye but data (a captured list). */
const FACT_CHARS = 200;

/**
 * What a passing check established — the text its expect= matched, else its capture= value — is
 * kept as a fact for the confirm of the next changing step, labelled with the check's title, so the
 * operator sees it there whatever the check printed last. A changing step (run, or a request other
 * than GET) that has run starts the facts afresh: they are what the next change depends on.
 */
function noteFacts(ctx: EngineContext, step: ShellStep | GithubStep, result: Extract<AttemptResult, { ok: true }>): void {
  if (step.kind === 'run' || (step.kind === 'github' && step.method.toUpperCase() !== 'GET')) {
    ctx.facts.length = 0;
    return;
  }
  if (step.kind !== 'check') return;
  const value = result.matched ?? (step.capture ? result.captures[step.capture] : undefined);
  if (value === undefined || value === '' || value.length > FACT_CHARS || value.includes('\n')) return;
  const label = renderTemplate(step.title, ctx.variables, new Set(Object.keys(ctx.options.runbook.meta.secrets ?? {})));
  ctx.facts.push({ label, value });
}

/**
 * A captured value that contains a secret (in any form the masker knows) would hand that secret to
 * later steps that never named it, and could only be journaled masked, so a resumed run would pass
 * `••••` on as the value. Such a capture fails its step instead, saying which secret it carries.
 */
function derivedSecretCheck(ctx: EngineContext, result: AttemptResult): AttemptResult {
  if (!result.ok) return result;
  for (const [name, value] of Object.entries(result.captures)) {
    if (ctx.masker.mask(value) === value) continue;
    const secrets = [...ctx.secretValues].filter(([, secret]) => carriesSecret(value, secret)).map(([secret]) => secret);
    const which = secrets.length ? `the secret ${secrets.join(', ')}` : 'a secret';
    return {
      ok: false,
      ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
      ...(result.output ? { output: result.output } : {}),
      reason: `capture=${name} would hold ${which}, which must not reach steps that do not name it; capture only what is not secret, and give the secret itself to the steps that need it with secrets=.`,
    };
  }
  return result;
}
