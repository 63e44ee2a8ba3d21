// Attributes of a typed fence (SPEC §1.3): which kinds accept which, and what each value must look like.
import parseDuration from 'parse-duration';
import { isAbsolute } from 'node:path';
import { conditionNameOffsets, parseCondition, type Condition } from './condition';
import type { ParseContext } from './context';
import type { InfoWord } from './info-string';
import type { SourcePos, StepKind } from '../core/model';
import { regexError } from './regex';
import { didYouMean } from './suggest';
import { VARIABLE_NAME } from '../core/schema';

type TypedKind = Exclude<StepKind, 'confirm'>;

const ALL: readonly TypedKind[] = ['run', 'check', 'input', 'github'];
const EXECUTING: readonly TypedKind[] = ['run', 'check', 'github'];
const SHELL: readonly TypedKind[] = ['run', 'check'];

const ATTRIBUTES: Record<string, { kinds: readonly TypedKind[]; flag?: true }> = {
  id: { kinds: ALL },
  title: { kinds: ALL },
  if: { kinds: ALL },
  timeout: { kinds: EXECUTING },
  confirm: { kinds: ['run', 'github'], flag: true },
  'dry-run': { kinds: EXECUTING },
  secrets: { kinds: SHELL },
  stdin: { kinds: SHELL },
  capture: { kinds: SHELL },
  expect: { kinds: ['check'] },
  retries: { kinds: EXECUTING },
  'retry-delay': { kinds: EXECUTING },
  interactive: { kinds: ['run'], flag: true },
  cwd: { kinds: SHELL },
  drift: { kinds: ['check', 'github'] },
};

/** Step ids end up in records, journals and file names: keep them to one plain word. */
export const STEP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface Attributes {
  id?: string;
  idPos?: SourcePos;
  title?: string;
  ifSource?: string;
  condition?: Condition;
  timeoutMs?: number;
  confirm: boolean;
  dryRun?: 'run' | 'skip';
  secrets: string[];
  stdin?: string;
  capture?: string;
  capturePos?: SourcePos;
  expect?: string;
  retries: number;
  retryDelayMs?: number;
  interactive: boolean;
  cwd?: string;
  /** `drift=ignore`: the step's captured values change by nature; a live run does not compare them (SPEC §6.5). */
  driftIgnore?: true;
  driftPos?: SourcePos;
}

/** The most automatic retries a step may ask for (SPEC §1.3), and the longest wait between two. */
export const MAX_RETRIES = 10;
const MAX_RETRY_DELAY_MS = 10 * 60_000;

/** Durations need a unit: a bare number would silently mean milliseconds. */
const DURATION = /^(\d+(\.\d+)?(ms|s|m|h|d))+$/;

export function readAttributes(kind: TypedKind, words: readonly InfoWord[], line: number, step: number, ctx: ParseContext): Attributes {
  const attrs: Attributes = { confirm: false, secrets: [], retries: 0, interactive: false };
  const seen = new Set<string>();
  for (const word of words) {
    const pos = { line, column: word.column };
    const fail = (message: string) => ctx.add(pos, message);
    const spec = ATTRIBUTES[word.key];
    if (!spec) {
      fail(
        `unknown attribute "${word.key}"${didYouMean(word.key, Object.keys(ATTRIBUTES))} (known: ${Object.keys(ATTRIBUTES).join(', ')})`,
      );
      continue;
    }
    if (!spec.kinds.includes(kind)) {
      fail(`${word.key} is not allowed on a ${kind} block; it applies to ${spec.kinds.join(', ')} blocks`);
      continue;
    }
    if (seen.has(word.key)) {
      fail(`${word.key} is given twice: keep one`);
      continue;
    }
    seen.add(word.key);
    if (spec.flag) {
      if (word.value !== undefined) fail(`${word.key} is a flag: write it without =${word.value}`);
      else if (word.key === 'confirm') attrs.confirm = true;
      else attrs.interactive = true;
      continue;
    }
    if (word.value === undefined) {
      fail(`${word.key} needs a value: write ${word.key}=…`);
      continue;
    }
    const value = word.value;
    // Points inside the value, past `key=` and an opening quote.
    const valueColumn = word.column + word.key.length + 1 + (word.raw.length > word.key.length + 1 + value.length ? 1 : 0);
    switch (word.key) {
      case 'id':
        if (!STEP_ID.test(value)) fail(`id "${value}" must be one word of letters, digits, '.', '_' or '-'`);
        else {
          attrs.id = value;
          attrs.idPos = pos;
        }
        break;
      case 'title':
        if (!value.trim()) fail('title is empty: write title="…" or leave it out');
        else attrs.title = value;
        break;
      case 'if': {
        const parsed = parseCondition(value);
        if ('error' in parsed) {
          ctx.add({ line, column: valueColumn + parsed.offset }, `if: ${parsed.error}`);
          break;
        }
        attrs.ifSource = value;
        attrs.condition = parsed.condition;
        for (const name of conditionNameOffsets(value)) {
          ctx.uses.push({ name: name.name, pos: { line, column: valueColumn + name.offset }, step, how: 'condition' });
        }
        break;
      }
      case 'timeout': {
        const ms = DURATION.test(value) ? parseDuration(value) : null;
        if (ms === null || ms === undefined || ms <= 0) fail(`timeout "${value}" is not a duration: write it like 30s, 10m or 1h`);
        else attrs.timeoutMs = ms;
        break;
      }
      case 'dry-run':
        if (value !== 'run' && value !== 'skip') fail(`dry-run must be run or skip, not "${value}"`);
        else attrs.dryRun = value;
        break;
      case 'retries':
        if (!/^\d+$/.test(value)) fail(`retries must be a whole number of 0 or more, not "${value}"`);
        // Each retry writes a log and may repeat a side effect: a runaway count is a mistake, not a policy.
        else if (Number(value) > MAX_RETRIES)
          fail(
            `retries=${value} is more than ${MAX_RETRIES}: retry at most ${MAX_RETRIES} times, with retry-delay= between them, and let the operator decide after that`,
          );
        else attrs.retries = Number(value);
        break;
      case 'retry-delay': {
        const ms = DURATION.test(value) ? parseDuration(value) : null;
        if (ms === null || ms === undefined || ms <= 0) fail(`retry-delay "${value}" is not a duration: write it like 5s or 1m`);
        else if (ms > MAX_RETRY_DELAY_MS)
          fail(`retry-delay=${value} is longer than 10m: a step that needs longer waits belongs in a check the operator retries`);
        else attrs.retryDelayMs = ms;
        break;
      }
      case 'secrets':
        for (const name of value.split(',').map((s) => s.trim())) {
          if (!name) fail('secrets= has an empty name: write secrets=A,B');
          else if (!ctx.isSecret(name)) fail(`secrets= names ${name}, which is not declared under secrets: in the front matter`);
          else if (!attrs.secrets.includes(name)) attrs.secrets.push(name);
        }
        break;
      case 'stdin':
        if (!VARIABLE_NAME.test(value)) fail(`stdin= must name a secret or variable (UPPER_CASE), not "${value}"`);
        else {
          attrs.stdin = value;
          ctx.uses.push({ name: value, pos: { line, column: valueColumn }, step, how: 'stdin' });
        }
        break;
      case 'capture':
        if (!VARIABLE_NAME.test(value)) fail(`capture= must be a variable name matching ^[A-Z][A-Z0-9_]*$, not "${value}"`);
        else {
          attrs.capture = value;
          attrs.capturePos = pos;
        }
        break;
      case 'expect': {
        const error = regexError(value);
        if (error) fail(`expect= is not a valid JavaScript regex: ${error}`);
        else attrs.expect = value;
        break;
      }
      case 'drift':
        if (value !== 'ignore') fail(`drift= can only be drift=ignore (a captured value that changes by nature), not "${value}"`);
        else {
          attrs.driftIgnore = true;
          attrs.driftPos = pos;
        }
        break;
      case 'cwd':
        if (!value.trim()) fail("cwd= is empty: leave it out to use the runbook's folder");
        else if (isAbsolute(value) || value.startsWith('~')) fail(`cwd= must be relative to the runbook's folder, not "${value}"`);
        else attrs.cwd = value;
        break;
    }
  }
  if (attrs.retryDelayMs !== undefined && attrs.retries === 0) {
    ctx.add(
      { line, column: words.find((w) => w.key === 'retry-delay')?.column ?? 1 },
      'retry-delay= waits between automatic retries, but this step has none: add retries=N',
    );
  }
  if (attrs.interactive && attrs.capture !== undefined) {
    ctx.add(
      attrs.capturePos ?? { line, column: 1 },
      "capture= cannot be used with interactive: an interactive command's output is not captured",
    );
  }
  if (attrs.driftIgnore && kind === 'check' && attrs.capture === undefined) {
    ctx.add(
      attrs.driftPos ?? { line, column: 1 },
      'drift=ignore has nothing to ignore: it applies to the value a step captures; add capture=NAME or remove it',
    );
  }
  if (attrs.interactive && attrs.stdin !== undefined) {
    ctx.add(
      { line, column: words.find((w) => w.key === 'stdin')?.column ?? 1 },
      'stdin= cannot be used with interactive: the command reads the terminal',
    );
  }
  return attrs;
}
