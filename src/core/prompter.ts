// Questions the engine needs answered go out through a Prompter that each front end implements
// (TUI, line mode with @inquirer/prompts, --yes). The engine never imports a UI library.
import type { ConfirmStep, InputSpec, SecretSpec, Step } from './model';

export type Decision =
  | { action: 'proceed' }
  | { action: 'retry' }
  /** After a failure: ask again for the inputs the step uses (`changeable`), then retry it. */
  | { action: 'change' }
  | { action: 'skip'; reason: string; /** A task list skipped part-done: which items were ticked, in order. */ ticked?: boolean[] }
  | { action: 'abort' };

export interface InputRequest {
  name: string;
  spec: InputSpec;
  /** The input step asking, or undefined for front-matter inputs. */
  stepId?: string;
  /** Why the previous answer was refused (pattern, choices). */
  error?: string;
  /** With `choices_from`: the values offered, with the labels to show (spec.choices holds the values). */
  options?: { value: string; label: string }[];
  /** With `current:`: the value in use now (one of spec.choices), marked in the list and never pre-selected. */
  current?: string;
}

/** A value a check established, shown labelled at a confirm ("Good digest exists: sha256:…"). */
export interface Fact {
  label: string;
  value: string;
}

export interface SecretRequest {
  name: string;
  spec: SecretSpec;
  /** Whether storing in the keychain can be offered (keychain available and `keychain:` set). */
  canStore: boolean;
}

export interface PreflightSummary {
  tools: import('./events').ToolCheck[];
  inputs: { name: string; value: string; secret: false }[];
  /** `where`: the environment variable or keychain account it was found in. */
  secrets: { name: string; source: import('./events').SecretSource | 'missing'; where?: string }[];
  /** Scopes checked against GitHub, per secret, when any. */
  scopes: { secret: string; required: string[]; missing: string[]; granted?: string[] }[];
  signingKey: { keyid: string; source: 'keychain' | 'file' } | { missing: string };
  /** Who the record will be signed as (SPEC §6.1), or how to set it up: one line. */
  identity?: { text: string; signed: boolean };
}

export interface ResumeRequest {
  nextStepTitle?: string;
  finishedSteps: number;
  changed: boolean;
  /** The journal is damaged: where, and what resuming trusts (one sentence). */
  damage?: string;
  /** The runbook was edited since the run began: one line per step the edit touched. */
  edits?: string[];
}

/** Drift from the rehearsal stopped the run (SPEC §6.5): what was rehearsed and what is now. */
export interface DriftRequest {
  drifts: import('./events').Drift[];
  /** The changing step the run stopped before, with what it would run now; absent before step 1. */
  before?: { step: Step; /** Its title with {{NAME}} filled. */ title: string; display: string };
  /** The rehearsal the run relies on: who, when, and its plan's digest. */
  rehearsal: { by: string; at: string; planDigest: string };
}

/** A step about to execute that is marked `confirm` (or a changing github step). */
export interface ConfirmStepRequest {
  step: Step;
  display: string;
  /** What checks established since the last change, labelled. */
  facts?: Fact[];
}

/** A task list; `items` are resolved texts. */
export interface TasksRequest {
  step: ConfirmStep;
  items: { text: string; checked: boolean }[];
}

export interface FailureRequest {
  step: Step;
  reason: string;
  exitCode?: number;
  /** The failed attempt's full output, for the operator to read before deciding. */
  logPath?: string;
  /** Inputs the step uses, which the operator may change before retrying ({ action: 'change' }). */
  changeable?: string[];
}

export interface InterruptedRequest {
  step: Step;
  /** The pid of its process group, which outlived handrail; running it again ends those processes first. */
  stillRunning?: number;
}

export interface RehearseRequest {
  step: Step;
  /** What would run. */
  display: string;
  facts?: Fact[];
}

/**
 * Every question the engine can ask: what it sends and what it gets back. The Prompter's methods, the
 * TUI's question queue and its views all read their types from here, so the answer type follows the
 * question's kind and adding a question is one entry here plus one answer per front end.
 */
export interface Questions {
  /** After preflight (tools, inputs, secrets, scopes): the operator starts the run, or aborts. */
  begin: { request: { summary: PreflightSummary }; answer: 'start' | 'abort' };
  /** A value for an input; the engine validates it and asks again with `error` set. */
  input: { request: InputRequest; answer: string };
  /** A missing secret, asked masked; `store` when the operator wants it kept in the keychain. */
  secret: { request: SecretRequest; answer: { value: string; store: boolean } };
  /** A `confirm` run/github step about to execute: proceed, skip (with a reason) or abort. */
  confirmStep: { request: ConfirmStepRequest; answer: Decision };
  /** A task list: proceed once every item is ticked, or skip / abort. */
  tasks: { request: TasksRequest; answer: Decision };
  /** A failed run/check/github step: retry, change inputs, skip (with a reason) or abort. */
  failure: { request: FailureRequest; answer: Decision };
  /**
   * An unfinished journal exists for this runbook (and neither --resume nor --restart was given):
   * continue it, start over, or abort. `changed` when the runbook's bytes differ since it began.
   */
  resume: { request: ResumeRequest; answer: 'resume' | 'restart' | 'abort' };
  /** On resume, the step that was running when the run died: proceed = run it again. */
  interrupted: { request: InterruptedRequest; answer: Decision };
  /**
   * A rehearsal reached a step it does not execute. A front end that walks the rehearsal step by
   * step resolves once the operator has read it; one without this method (line mode prints it,
   * --yes never stops) is not asked.
   */
  rehearse: { request: RehearseRequest; answer: 'next' | 'abort' };
  /**
   * The live run differs from its rehearsal: continue anyway (recorded as "drift accepted by" the
   * operator) or abort. A front end without this method cannot accept drift: the run stops.
   */
  drift: { request: DriftRequest; answer: 'continue' | 'abort' };
}

export type QuestionKind = keyof Questions;
export type QuestionRequest<K extends QuestionKind> = Questions[K]['request'];
export type QuestionAnswer<K extends QuestionKind> = Questions[K]['answer'];

/** One open question, its answer typed by its kind. */
export interface Ask<K extends QuestionKind> {
  kind: K;
  request: QuestionRequest<K>;
  resolve(answer: QuestionAnswer<K>): void;
}

/**
 * Any open question, as a union on `kind`: checking the kind narrows the request and the answer.
 * With a generic K it stays `Ask<K>`, so a queue can build one without a cast.
 */
export type AnyAsk<K extends QuestionKind = QuestionKind> = { [P in K]: Ask<P> }[K];

/** Questions a front end may leave out (see Questions). */
type OptionalQuestion = 'rehearse' | 'drift';
type Asker<K extends QuestionKind> = (request: QuestionRequest<K>) => Promise<QuestionAnswer<K>>;

export type Prompter = { [K in Exclude<QuestionKind, OptionalQuestion>]: Asker<K> } & { [K in OptionalQuestion]?: Asker<K> } & {
  /** Hands the real terminal to `fn` (interactive steps) and takes it back afterwards. */
  withTerminal<T>(fn: () => Promise<T>): Promise<T>;
};
