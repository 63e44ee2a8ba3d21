// run and check steps: a shell script with the step's environment, output streamed and logged.
import { resolve } from 'node:path';
import type { ShellStep } from '../../core/model';
import { childEnv } from '../env';
import { shellDisplay } from '../display';
import { OutputCollector, STDOUT_KEEP_LIMIT } from '../output';
import { runShell } from '../shell';
import { processStartTime } from '../../core/processes';
import { RunStop, abortReason, type EngineContext } from '../context';
import { executeWithDecisions, type AttemptResult } from './attempts';
import { rehearseStep } from './rehearse';

export async function runShellStep(ctx: EngineContext, step: ShellStep, index: number): Promise<void> {
  const granted = new Set(step.secrets);
  if (step.stdin && ctx.secretNames.has(step.stdin)) granted.add(step.stdin);
  const display = () => shellDisplay(step, ctx.variables, granted);

  if (ctx.rehearsal && step.kind === 'run' && step.dryRun !== 'run') {
    return rehearseStep(ctx, step, index, display());
  }
  await executeWithDecisions(ctx, step, index, display, (attempt) => attemptShell(ctx, step, attempt));
}

async function attemptShell(ctx: EngineContext, step: ShellStep, attempt: number): Promise<AttemptResult> {
  const secrets: Record<string, string> = {};
  for (const name of step.secrets) {
    const value = ctx.secretValues.get(name);
    if (value === undefined) throw new RunStop('failed', `step ${step.id} needs secret ${name}, which was not resolved.`);
    secrets[name] = value;
  }
  let stdin: string | undefined;
  if (step.stdin) {
    stdin = ctx.secretNames.has(step.stdin) ? ctx.secretValues.get(step.stdin) : ctx.variables[step.stdin];
    if (stdin === undefined) {
      return { ok: false, reason: `stdin=${step.stdin} has no value yet; an earlier step must set it.` };
    }
  }
  const keepStdout = step.capture !== undefined || step.expect !== undefined;
  const collector = step.interactive
    ? undefined
    : new OutputCollector({
        masker: ctx.masker,
        logPath: ctx.logPath(step.id, attempt),
        keepStdout,
        onOutput: (stream, bytes) => ctx.emit({ type: 'output', stepId: step.id, stream, bytes }),
        onLogFault: (sentence) => ctx.fail(sentence),
      });
  const request = {
    shell: step.shell,
    script: step.script,
    cwd: resolve(ctx.options.runbook.dir, step.cwd ?? '.'),
    env: childEnv({ parent: ctx.stepEnv, variables: ctx.variables, secrets }),
    ...(stdin !== undefined ? { stdin } : {}),
    interactive: step.interactive,
    ...(step.timeoutMs !== undefined ? { timeoutMs: step.timeoutMs } : {}),
    ...(ctx.options.signal ? { signal: ctx.options.signal } : {}),
    ...(ctx.options.killGraceMs !== undefined ? { killGraceMs: ctx.options.killGraceMs } : {}),
    onOutput: (stream: 'stdout' | 'stderr', chunk: Buffer) => collector?.push(stream, chunk),
    flow: ctx.options.bus,
    onSpawn: (pid: number) => {
      const startTime = processStartTime(pid);
      ctx.emit({
        type: 'step-process',
        at: ctx.now(),
        stepId: step.id,
        pid,
        group: !step.interactive,
        ...(startTime ? { startTime } : {}),
      });
    },
  };
  const result = step.interactive ? await ctx.options.prompter.withTerminal(() => runShell(request)) : await runShell(request);
  if (result.outlived) {
    collector?.push(
      'stderr',
      'handrail: a background process outlived the shell and holds its output open; the step ended without waiting for it (it may still be running).\n',
    );
  }
  const output = collector?.finish();
  const base = { ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}), ...(output ? { output } : {}) };

  if (result.aborted) return { ok: false, ...base, reason: abortReason(ctx.options.signal!) };
  if (result.timedOut) return { ok: false, ...base, reason: 'timeout' };
  if (result.spawnError) return { ok: false, ...base, reason: `${step.shell} could not be started: ${result.spawnError}` };
  if (result.exitCode !== 0) {
    return {
      ok: false,
      ...base,
      reason: result.exitCode === undefined ? `ended by ${result.signal ?? 'a signal'}` : `exit status ${result.exitCode}`,
    };
  }
  if (keepStdout && collector?.stdoutOverflow) {
    return { ok: false, ...base, reason: `stdout is larger than ${STDOUT_KEEP_LIMIT / 1024 / 1024} MiB, too much for capture=/expect=.` };
  }
  const stdout = collector?.stdout ?? '';
  if (step.expect !== undefined) {
    let re: RegExp;
    try {
      re = new RegExp(step.expect, 'm');
    } catch {
      return { ok: false, ...base, reason: `expect=${step.expect} is not a valid regular expression.` };
    }
    const match = re.exec(stdout);
    if (!match) return { ok: false, ...base, reason: `stdout did not match expect=${step.expect}` };
    // What the check established, for the confirm of the next changing step: the first group, else the match.
    const matched = (match[1] ?? match[0]).trim();
    return { ok: true, ...base, captures: step.capture ? { [step.capture]: stdout.trim() } : {}, ...(matched ? { matched } : {}) };
  }
  return { ok: true, ...base, captures: step.capture ? { [step.capture]: stdout.trim() } : {} };
}
