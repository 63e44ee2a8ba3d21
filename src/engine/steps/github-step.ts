// github steps: one REST call through the GithubRunner, authenticated by the `github.token` secret.
import { HandrailError } from '../../core/errors';
import type { GithubStep } from '../../core/model';
import type { GithubRunner } from '../../core/ports';
import { OutputCollector } from '../output';
import type { EngineContext } from '../context';
import { executeWithDecisions, type AttemptResult } from './attempts';
import { rehearseStep } from './rehearse';

/** Shown in output (and logged); a huge response is cut here rather than flooding the screen. */
const RESPONSE_SHOWN_CHARS = 64 * 1024;

const runners = new WeakMap<EngineContext, GithubRunner>();

export function githubRunner(ctx: EngineContext): GithubRunner {
  let runner = runners.get(ctx);
  if (!runner) {
    const factory = ctx.options.github;
    if (!factory) throw new HandrailError('this runbook has github steps but no GitHub client is available.');
    const tokenName = ctx.options.runbook.meta.github?.token;
    const token = tokenName ? ctx.secretValues.get(tokenName) : undefined;
    runner = factory({ ...(ctx.options.githubBaseUrl ? { baseUrl: ctx.options.githubBaseUrl } : {}), ...(token ? { token } : {}) });
    runners.set(ctx, runner);
  }
  return runner;
}

export async function runGithubStep(ctx: EngineContext, step: GithubStep, index: number): Promise<void> {
  const runner = githubRunner(ctx);
  const display = () => runner.describe(step, ctx.variables);
  if (ctx.rehearsal && step.method.toUpperCase() !== 'GET' && step.dryRun !== 'run') {
    return rehearseStep(ctx, step, index, display());
  }
  await executeWithDecisions(ctx, step, index, display, (attempt) => attemptGithub(ctx, runner, step, attempt));
}

async function attemptGithub(ctx: EngineContext, runner: GithubRunner, step: GithubStep, attempt: number): Promise<AttemptResult> {
  const controller = new AbortController();
  const outer = ctx.options.signal;
  const onAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer =
    step.timeoutMs !== undefined
      ? setTimeout(() => {
          timedOut = true;
          controller.abort(new Error('timeout'));
        }, step.timeoutMs)
      : undefined;
  const collector = new OutputCollector({
    masker: ctx.masker,
    logPath: ctx.logPath(step.id, attempt),
    onOutput: (stream, bytes) => ctx.emit({ type: 'output', stepId: step.id, stream, bytes }),
    onLogFault: (sentence) => ctx.fail(sentence),
  });
  try {
    const { result, captures } = await runner.execute(step, ctx.variables, { signal: controller.signal });
    const body = result.data === undefined || result.data === '' ? '' : JSON.stringify(result.data, null, 2);
    const shown = body.length > RESPONSE_SHOWN_CHARS ? `${body.slice(0, RESPONSE_SHOWN_CHARS)}\n… (${body.length} characters)` : body;
    const pages =
      result.pages === undefined
        ? ''
        : ` (${result.pages} page${result.pages === 1 ? '' : 's'}${result.more ? ', the most read: GitHub has more that were not read' : ''})`;
    collector.push('stdout', `HTTP ${result.status}${pages}\n${shown}${shown ? '\n' : ''}`);
    return { ok: true, output: collector.finish(), captures };
  } catch (error) {
    const reason = timedOut ? 'timeout' : outer?.aborted ? 'aborted' : error instanceof Error ? error.message : String(error);
    collector.push('stderr', `${reason}\n`);
    return { ok: false, reason, output: collector.finish() };
  } finally {
    if (timer) clearTimeout(timer);
    outer?.removeEventListener('abort', onAbort);
  }
}
