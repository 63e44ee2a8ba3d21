// Input values: validated against `pattern` / `choices`, from --set, defaults or the operator.
import { UsageError } from '../core/errors';
import type { InputSpec, Runbook } from '../core/model';
import { secretWays } from '../core/token-advice';

/** One sentence saying why a value is refused, or undefined when it is fine. */
export function validateInput(name: string, spec: InputSpec, value: string): string | undefined {
  if (spec.choices && !spec.choices.includes(value)) {
    // A list from GitHub can hold hundreds of values: name a few, and how many there are.
    const few =
      spec.choices.length <= 5
        ? spec.choices.join(', ')
        : `the ${spec.choices.length} values offered (${spec.choices.slice(0, 3).join(', ')}, …)`;
    return `${name} must be one of ${few}; got ${JSON.stringify(value)}.`;
  }
  if (spec.pattern) {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${spec.pattern})$`);
    } catch {
      return `${name} has an invalid pattern ${spec.pattern}; fix the runbook.`;
    }
    if (!re.test(value)) return `${name} must match ${spec.pattern}; got ${JSON.stringify(value)}.`;
  }
  if (spec.type === 'confirm' && !['true', 'false'].includes(value)) {
    return `${name} is a yes/no question; give true or false.`;
  }
  return undefined;
}

/** One sentence when `value` is the value in use now (`current:`), which an input with `current:` never takes. */
export function currentProblem(name: string, spec: InputSpec, current: string | undefined, value: string): string | undefined {
  if (current === undefined || value !== current) return undefined;
  return `${name} cannot be ${value}: it is the value in use now (${spec.current}); pick another.`;
}

/**
 * The spec as the operator is asked it: with `current:`, the pre-selected choice is the default when
 * that is not the current value, else the first choice that is not (the newest, for a list newest
 * first), else none; Enter alone never picks the value being replaced.
 */
export function preselected(spec: InputSpec, current: string | undefined): InputSpec {
  if (current === undefined || !spec.choices) return spec;
  const { default: given, ...rest } = spec;
  const pick = given !== undefined && given !== current ? given : spec.choices.find((c) => c !== current);
  return pick === undefined ? rest : { ...rest, default: pick };
}

export interface Choice {
  value: string;
  label: string;
}

/**
 * The values `choices_from: NAME` offers: NAME must hold a JSON array of strings or `{value, label}`
 * objects (a github capture of a list, say). Returns one sentence instead when it does not.
 */
export function choicesFromCapture(name: string, from: string, variables: Readonly<Record<string, string>>): Choice[] | string {
  const raw = variables[from];
  if (raw === undefined) return `${name} offers the values of ${from}, but ${from} was never set (was the step that captures it skipped?).`;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return `${name} offers the values of ${from}, but ${from} is not a JSON array; capture a list there.`;
  }
  if (!Array.isArray(data))
    return `${name} offers the values of ${from}, but ${from} holds ${describe(data)}, not a JSON array; capture a list there.`;
  if (data.length === 0) return `${name} offers the values of ${from}, but ${from} is an empty list: there is nothing to choose from.`;
  const choices: Choice[] = [];
  for (const [index, item] of data.entries()) {
    if (typeof item === 'string' || typeof item === 'number') choices.push({ value: String(item), label: String(item) });
    else if (item && typeof item === 'object' && 'value' in item && (typeof item.value === 'string' || typeof item.value === 'number')) {
      const label = 'label' in item && typeof item.label === 'string' && item.label.trim() ? item.label : String(item.value);
      choices.push({ value: String(item.value), label });
    } else {
      return `${name} offers the values of ${from}, but its item ${index + 1} is ${describe(item)}; each item must be a string or {"value": …, "label": …}.`;
    }
  }
  return choices;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object without a string "value"';
  return `a ${typeof value}`;
}

/** Every input a run can ask for: front matter first, then input steps in document order. */
export function declaredInputs(runbook: Runbook): Map<string, { spec: InputSpec; stepId?: string }> {
  const inputs = new Map<string, { spec: InputSpec; stepId?: string }>();
  for (const [name, spec] of Object.entries(runbook.meta.inputs ?? {})) inputs.set(name, { spec });
  for (const step of runbook.steps) {
    if (step.kind === 'input' && !inputs.has(step.input.name)) inputs.set(step.input.name, { spec: step.input, stepId: step.id });
  }
  return inputs;
}

/** Parses `--set NAME=VALUE` arguments. */
export function parseSets(args: readonly string[]): Record<string, string> {
  const sets: Record<string, string> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set ${arg} is not NAME=VALUE; write it as --set NAME=VALUE.`);
    sets[arg.slice(0, eq)] = arg.slice(eq + 1);
  }
  return sets;
}

/**
 * Checks --set values before anything runs: each names a declared input and is valid. Under --yes,
 * every input must have a value from --set, a default, or the resumed run.
 */
export function validateSets(
  runbook: Runbook,
  sets: Readonly<Record<string, string>>,
  options: { yes: boolean; known?: Readonly<Record<string, string>> },
): void {
  const inputs = declaredInputs(runbook);
  for (const [name, value] of Object.entries(sets)) {
    const input = inputs.get(name);
    const secret = runbook.meta.secrets?.[name];
    if (!input && secret) {
      // A value on the command line would sit in shell history and `ps`: secrets never come from --set.
      throw new UsageError(
        `--set ${name}: ${name} is a secret, and secrets are never given on the command line; ${secretWays(secret) || 'run without --yes to be asked for it'}.`,
      );
    }
    if (!input) {
      const names = [...inputs.keys()];
      throw new UsageError(
        `--set ${name}: the runbook has no input named ${name}${names.length ? `; its inputs are ${names.join(', ')}` : ''}.`,
      );
    }
    const problem = validateInput(name, input.spec, value);
    if (problem) throw new UsageError(`--set ${problem}`);
  }
  if (!options.yes) return;
  for (const [name, { spec }] of inputs) {
    if (name in sets || options.known?.[name] !== undefined) continue;
    if (spec.default === undefined) {
      throw new UsageError(`input ${name} has no value; with --yes give it as --set ${name}=VALUE.`);
    }
    const problem = validateInput(name, spec, spec.default);
    if (problem) throw new UsageError(`the default is refused: ${problem} Give a valid value with --set ${name}=VALUE.`);
  }
}
