// Inputs: front-matter inputs before step 1 and `input` steps mid-run share one way of getting a value.
import type { InputSpec, InputStep } from '../../core/model';
import type { InputSource } from '../../core/events';
import { choicesFromCapture, currentProblem, preselected, validateInput } from '../inputs';
import { RunStop, type EngineContext } from '../context';

/** A value from --set, the default under --yes, or the operator (asked again until valid). */
export async function obtainInput(
  ctx: EngineContext,
  name: string,
  spec: InputSpec,
  stepId?: string,
): Promise<{ value: string; source: InputSource }> {
  const offered = spec.choices_from ? choicesFromCapture(name, spec.choices_from, ctx.variables) : undefined;
  if (typeof offered === 'string') throw new RunStop('failed', offered);
  // The list is only known now, so --set and the default are checked against it here, not before step 1.
  const effective: InputSpec = offered ? { ...spec, choices: offered.map((c) => c.value) } : spec;
  // `current:` names the value in use now (what the tag points at): never the answer, never pre-selected.
  const current = spec.current !== undefined ? ctx.variables[spec.current] : undefined;
  const refuse = (value: string) => validateInput(name, effective, value) ?? currentProblem(name, spec, current, value);
  const set = ctx.options.sets?.[name];
  const given =
    set !== undefined
      ? { value: set, source: 'set' as const }
      : ctx.auto && spec.default !== undefined
        ? { value: spec.default, source: 'default' as const }
        : undefined;
  if (given) {
    if (offered || current !== undefined) {
      const problem = refuse(given.value);
      if (problem) throw new RunStop('failed', `${given.source === 'set' ? '--set ' : 'the default: '}${problem}`);
    }
    return given;
  }
  let error: string | undefined;
  const shown = preselected(effective, current);
  for (;;) {
    const value = await ctx.ask(() =>
      ctx.options.prompter.input({
        name,
        spec: shown,
        ...(current !== undefined && effective.choices?.includes(current) ? { current } : {}),
        ...(offered ? { options: offered } : {}),
        ...(stepId ? { stepId } : {}),
        ...(error ? { error } : {}),
      }),
    );
    error = refuse(value);
    if (!error) return { value, source: value === spec.default ? 'default' : 'prompt' };
  }
}

export async function runInputStep(ctx: EngineContext, step: InputStep, index: number): Promise<void> {
  ctx.started(step, index, 1, step.input.prompt);
  const { value, source } = await obtainInput(ctx, step.input.name, step.input, step.id);
  ctx.variables[step.input.name] = value;
  ctx.emit({ type: 'input-given', at: ctx.now(), name: step.input.name, value: ctx.masker.mask(value), source, stepId: step.id });
  ctx.drift?.captured(step, step.input.name, value);
  ctx.finished(step, index, 'passed');
}
