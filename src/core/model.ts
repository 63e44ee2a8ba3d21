// The one typed model of a runbook that the engine, the front ends and lint share.
// Front-matter types are derived from the zod schema in schema.ts; step types live here.
import type { FrontMatter, InputSpec } from './schema';

export type { FrontMatter, InputSpec, SecretSpec, RequiredTool } from './schema';

/** A parsed `if=` expression (runbook/condition.ts parses and evaluates it). */
export type Condition =
  | { type: 'name'; name: string }
  | { type: 'compare'; op: '==' | '!='; name: string; value: string }
  | { type: 'not'; operand: Condition }
  | { type: 'and' | 'or'; left: Condition; right: Condition };

/** 1-based line and column in the runbook file, as an editor shows them. */
export interface SourcePos {
  line: number;
  column: number;
}

export type StepKind = 'run' | 'check' | 'input' | 'github' | 'confirm';

interface StepCommon {
  /** Unique in the runbook: the `id=` attribute or a slug of the section heading. */
  id: string;
  /** `title=` or the section heading. */
  title: string;
  /** Heading text of the section the step belongs to ('' before any heading). */
  section: string;
  /** Markdown source of the section's prose that precedes this step (since the previous step). */
  prose: string;
  /** Where the step starts: the fence line, or the first task item. */
  pos: SourcePos;
  /** `if=` as written, and parsed. */
  ifSource?: string;
  condition?: Condition;
}

interface ExecutingCommon {
  /** `timeout=` in milliseconds. */
  timeoutMs?: number;
  /** `dry-run=run|skip`: overrides the mode's default for this step. */
  dryRun?: 'run' | 'skip';
  /** `retries=N`: automatic retries before the operator is asked (at most 10). */
  retries: number;
  /** `drift=ignore` (check, GET github): its captures change by nature; a live run does not hold them to the rehearsal's. */
  driftIgnore?: true;
  /** `retry-delay=`: milliseconds to wait before each automatic retry. */
  retryDelayMs?: number;
}

export interface ShellStep extends StepCommon, ExecutingCommon {
  kind: 'run' | 'check';
  shell: 'sh' | 'bash';
  /** The fenced block's body, verbatim. Variables reach it only as env vars. */
  script: string;
  /** `confirm` flag (run only). */
  confirm: boolean;
  /** `secrets=A,B`: the declared secrets this step may read, as env vars of the same name. */
  secrets: string[];
  /** `stdin=NAME`: a secret or variable fed on stdin. */
  stdin?: string;
  /** `capture=NAME`: trimmed stdout becomes this variable. */
  capture?: string;
  /** `expect="regex"` (check only): stdout must match. */
  expect?: string;
  /** `interactive` (run only): the command gets the real terminal. */
  interactive: boolean;
  /** `cwd=`, relative to the runbook's directory. */
  cwd?: string;
}

export interface InputStep extends StepCommon {
  kind: 'input';
  input: InputSpec & { name: string };
}

export interface GithubStep extends StepCommon, ExecutingCommon {
  kind: 'github';
  method: string;
  /** Route with `{NAME}` placeholders, e.g. `/orgs/{ORG}/packages`. */
  route: string;
  fields?: Record<string, unknown>;
  /** Expected HTTP status; any 2xx when absent. */
  status?: number;
  /** JMESPath expressions that must all be truthy. */
  expect: string[];
  /** NAME → JMESPath into the JSON response. */
  capture: Record<string, string>;
  /** `paginate: true`: every page of the list, joined, by GitHub's `Link` header (at most MAX_PAGES). */
  paginate?: boolean;
  confirm: boolean;
}

export interface TaskItem {
  /** Item text as written (markdown source, may contain `{{NAME}}`). */
  text: string;
  /** Written as `- [x]`: shown already ticked. */
  checked: boolean;
  pos: SourcePos;
}

export interface ConfirmStep extends StepCommon {
  kind: 'confirm';
  items: TaskItem[];
}

export type Step = ShellStep | InputStep | GithubStep | ConfirmStep;

export interface Runbook {
  /** Path as given on the command line. */
  path: string;
  /** Absolute directory of the runbook: default cwd of run/check steps. */
  dir: string;
  /** The file's bytes as text. */
  source: string;
  /** Hex sha256 of the file's bytes. */
  sha256: string;
  meta: FrontMatter;
  steps: Step[];
}

/** One lint problem: printed as `file:line:col: message`. */
export interface Problem {
  line: number;
  column: number;
  message: string;
}

/** Names every runbook may use without declaring them. */
export const BUILTIN_VARIABLES = ['GITHUB_LOGIN'] as const;
