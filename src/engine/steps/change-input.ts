// Correcting a mistake without starting over: after a step fails, the operator may give new values
// for the inputs that step uses ("no Dockerfile in .. — set REPO_DIR to your checkout"), then it is
// retried. Each change is an `input-given` event with source 'changed', the value it replaced and
// who changed it, so the journal and the record keep both.
import type { GithubStep, ShellStep } from '../../core/model';
import { referencedNames } from '../display';
import { choicesFromCapture, currentProblem, declaredInputs, validateInput } from '../inputs';
import type { EngineContext } from '../context';

const PLACEHOLDER = /\{([A-Z][A-Z0-9_]*)\}/g;

/** Names a github step fills from variables: route and field placeholders. */
function githubNames(step: GithubStep): string[] {
  const names = [...step.route.matchAll(PLACEHOLDER)].map((m) => m[1]);
  const visit = (value: unknown): void => {
    if (typeof value === 'string') for (const m of value.matchAll(PLACEHOLDER)) names.push(m[1]);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(step.fields);
  return names;
}

/** The inputs (front matter or input steps) the step reads that already have a value, in order of use. */
export function changeableInputs(ctx: EngineContext, step: ShellStep | GithubStep): string[] {
  const used = step.kind === 'github' ? githubNames(step) : [...referencedNames(step.script), ...(step.stdin ? [step.stdin] : [])];
  const inputs = declaredInputs(ctx.options.runbook);
  return [...new Set(used)].filter((name) => inputs.has(name) && Object.hasOwn(ctx.variables, name));
}

/** Asks for `name` again, its value now offered as the default; records the change when there is one. */
export async function changeInput(ctx: EngineContext, name: string, stepId: string): Promise<void> {
  const declared = declaredInputs(ctx.options.runbook).get(name);
  if (!declared) return;
  const previous = ctx.variables[name];
  const offered = declared.spec.choices_from ? choicesFromCapture(name, declared.spec.choices_from, ctx.variables) : undefined;
  const options = typeof offered === 'string' ? undefined : offered;
  const spec = { ...declared.spec, default: previous, ...(options ? { choices: options.map((c) => c.value) } : {}) };
  const current = declared.spec.current !== undefined ? ctx.variables[declared.spec.current] : undefined;
  let error: string | undefined;
  for (;;) {
    const value = await ctx.ask(() =>
      ctx.options.prompter.input({
        name,
        spec,
        stepId,
        ...(options ? { options } : {}),
        ...(current !== undefined && spec.choices?.includes(current) ? { current } : {}),
        ...(error ? { error } : {}),
      }),
    );
    error = validateInput(name, spec, value) ?? currentProblem(name, declared.spec, current, value);
    if (error) continue;
    if (value === previous) return;
    ctx.variables[name] = value;
    ctx.emit({
      type: 'input-given',
      at: ctx.now(),
      name,
      value: ctx.masker.mask(value),
      source: 'changed',
      stepId,
      previous: ctx.masker.mask(previous),
      by: ctx.options.operator.user,
    });
    return;
  }
}
