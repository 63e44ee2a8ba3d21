// Inputs: front-matter inputs before step 1 and `input` steps mid-run share one way of getting a value.
import type { InputSpec, InputStep } from '../../runbook/model';
import type { InputSource } from '../events';
import { validateInput } from '../inputs';
import type { EngineContext } from '../context';

/** A value from --set, the default under --yes, or the operator (asked again until valid). */
export async function obtainInput(
  ctx: EngineContext,
  name: string,
  spec: InputSpec,
  stepId?: string,
): Promise<{ value: string; source: InputSource }> {
  const set = ctx.options.sets?.[name];
  if (set !== undefined) return { value: set, source: 'set' };
  if (ctx.auto && spec.default !== undefined) return { value: spec.default, source: 'default' };
  let error: string | undefined;
  for (;;) {
    const value = await ctx.ask(() =>
      ctx.options.prompter.input({ name, spec, ...(stepId ? { stepId } : {}), ...(error ? { error } : {}) }),
    );
    error = validateInput(name, spec, value);
    if (!error) return { value, source: value === spec.default ? 'default' : 'prompt' };
  }
}

export async function runInputStep(ctx: EngineContext, step: InputStep, index: number): Promise<void> {
  ctx.started(step, index, 1, step.input.prompt);
  const { value, source } = await obtainInput(ctx, step.input.name, step.input, step.id);
  ctx.variables[step.input.name] = value;
  ctx.emit({ type: 'input-given', at: ctx.now(), name: step.input.name, value: ctx.masker.mask(value), source, stepId: step.id });
  ctx.finished(step, index, 'passed');
}
