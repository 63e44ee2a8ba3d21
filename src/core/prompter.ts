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

export interface Prompter {
  /** After preflight (tools, inputs, secrets, scopes): the operator starts the run, or aborts. */
  begin(request: { summary: PreflightSummary }): Promise<'start' | 'abort'>;
  /** A value for an input; the engine validates it and asks again with `error` set. */
  input(request: InputRequest): Promise<string>;
  /** A missing secret, asked masked; `store` when the operator wants it kept in the keychain. */
  secret(request: SecretRequest): Promise<{ value: string; store: boolean }>;
  /** A `confirm` run/github step about to execute: proceed, skip (with a reason) or abort. */
  confirmStep(request: { step: Step; display: string; /** What checks established since the last change, labelled. */ facts?: Fact[] }): Promise<Decision>;
  /** A task list: proceed once every item is ticked, or skip / abort. `items` are resolved texts. */
  tasks(request: { step: ConfirmStep; items: { text: string; checked: boolean }[] }): Promise<Decision>;
  /** A failed run/check/github step: retry, skip (with a reason) or abort. */
  failure(request: {
    step: Step;
    reason: string;
    exitCode?: number;
    /** The failed attempt's full output, for the operator to read before deciding. */
    logPath?: string;
    /** Inputs the step uses, which the operator may change before retrying ({ action: 'change' }). */
    changeable?: string[];
  }): Promise<Decision>;
  /**
   * An unfinished journal exists for this runbook (and neither --resume nor --restart was given):
   * continue it, start over, or abort. `changed` when the runbook's bytes differ since it began.
   */
  resume(request: ResumeRequest): Promise<'resume' | 'restart' | 'abort'>;
  /**
   * On resume, the step that was running when the run died: proceed = run it again. `stillRunning`:
   * the pid of its process group, which outlived handrail; running it again ends those processes first.
   */
  interrupted(request: { step: Step; stillRunning?: number }): Promise<Decision>;
  /**
   * A rehearsal reached a step it does not execute; `display` is what would run. A front end that
   * walks the rehearsal step by step resolves once the operator has read it; one without this method
   * (line mode prints it, --yes never stops) is not asked.
   */
  rehearse?(request: { step: Step; display: string; facts?: Fact[] }): Promise<'next' | 'abort'>;
  /**
   * The live run differs from its rehearsal: continue anyway (recorded as "drift accepted by" the
   * operator) or abort. A front end without this method cannot accept drift: the run stops.
   */
  drift?(request: DriftRequest): Promise<'continue' | 'abort'>;
  /** Hands the real terminal to `fn` (interactive steps) and takes it back afterwards. */
  withTerminal<T>(fn: () => Promise<T>): Promise<T>;
}
