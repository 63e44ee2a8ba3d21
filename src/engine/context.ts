// What every step handler shares during one run: the options, the variables so far, resolved secrets,
// and helpers that emit events and ask the prompter without outliving an abort.
import { join } from 'node:path';
import type { Masker } from '../core/masker';
import { pathTaken } from '../core/paths';
import { allowlistedEnv } from './env';
import type { Runbook, Step } from '../core/model';
import type { EventBus } from '../core/bus';
import type { Decision, Prompter } from '../core/prompter';
import type { GithubFactory, ResumeState, SecretResolver, SshIdentityState } from '../core/ports';
import type { Mode, Outcome, OutputSummary, RunEvent, StepStatus } from '../core/events';
import { DriftWatch, type HeldTo } from './drift';

export interface EngineOptions {
  runbook: Runbook;
  bus: EventBus;
  prompter: Prompter;
  mode: Mode;
  /** --yes: decisions are made by the auto prompter and recorded with auto: true; a failure fails the run. */
  yes?: boolean;
  /** --set NAME=VALUE, already parsed. */
  sets?: Readonly<Record<string, string>>;
  secrets?: SecretResolver;
  github?: GithubFactory;
  /** GitHub API base URL, already chosen by the CLI (flag > env > front matter > default). */
  githubBaseUrl?: string;
  /** Shared with the CLI and the secret resolver, so everything shown or written is masked. */
  masker: Masker;
  resume?: ResumeState;
  /** Aborting ends the running step's process group and the run (outcome aborted). */
  signal?: AbortSignal;
  runId: string;
  /** Per-step output logs go here; no log files when undefined. */
  logDir?: string;
  /** The environment the allowlist reads and tools are looked up in; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Between SIGTERM and SIGKILL when a step's process group is ended. */
  killGraceMs?: number;
  tool: { name: string; version: string };
  operator: { user: string; host: string };
  signingKey?: { keyid: string; source: 'keychain' | 'file' } | { missing: string };
  /** Whose SSH signing key will sign the record too (SPEC §6.1). */
  sshIdentity?: SshIdentityState;
  /** The operator's GitHub login when no token of the run says it: the keychain's `github` account. */
  operatorLogin?: () => Promise<{ login?: string; note?: string }>;
  /** Lines the preflight shows as they are (the outbox, the last rehearsal), found by the CLI. */
  notices?: string[];
  /** A live run's rehearsal, journaled so the record names it. */
  rehearsal?: { reliedOn?: import('../core/events').RehearsalRef; withoutRehearsal?: string };
  /** A live run's approval (SPEC §6.6), journaled so the record embeds it. */
  approval?: import('../core/approval-record').ApprovalRecord;
  /** The plan of the rehearsal a live run relies on: the run is held to it (SPEC §6.5). */
  heldTo?: HeldTo;
  /** --accept-drift: under --yes, drift from the plan is accepted (and recorded) instead of ending the run. */
  acceptDrift?: boolean;
}

/** Ends the run early: the operator (or a signal) aborted, or a step failed for good. */
export class RunStop extends Error {
  constructor(
    readonly outcome: Exclude<Outcome, 'completed'>,
    readonly reason: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(reason);
    this.name = 'RunStop';
  }
}

/** A prompter may throw this to abort the run (e.g. Ctrl-C inside a question). */
export class RunAborted extends RunStop {
  constructor(reason = 'aborted by the operator') {
    super('aborted', reason);
    this.name = 'RunAborted';
  }
}

export class EngineContext {
  readonly variables: Record<string, string> = {};
  /** Resolved secret values, by name: only steps that name them see them. */
  readonly secretValues = new Map<string, string>();
  readonly secretNames: ReadonlySet<string>;
  readonly env: NodeJS.ProcessEnv;
  readonly auto: boolean;
  /** Steps the operator already agreed to run (rerunning an interrupted step): confirm is not asked again. */
  readonly approved = new Set<string>();
  /** A live run held to a rehearsal's plan: compares as it goes (SPEC §6.5). */
  readonly drift: DriftWatch | undefined;
  /** What checks established since the last changing step, shown at the next confirm (attempts.ts). */
  readonly facts: { label: string; value: string }[] = [];
  /** A step that has a step-started but no step-finished yet. */
  open: { step: Step; index: number; startedAt: number } | undefined;

  readonly options: EngineOptions;
  /** Why the run must end failed although nobody aborted it: a write that could not be made. */
  fault: string | undefined;
  private readonly faults = new AbortController();

  constructor(options: EngineOptions) {
    // Every wait in the engine already stops on the run's signal; a fault stops it the same way.
    this.options = { ...options, signal: options.signal ? AbortSignal.any([options.signal, this.faults.signal]) : this.faults.signal };
    this.secretNames = new Set(Object.keys(options.runbook.meta.secrets ?? {}));
    this.env = options.env ?? process.env;
    this.auto = options.yes === true;
    this.drift = options.heldTo && options.mode === 'live' ? new DriftWatch(this, options.heldTo, options.acceptDrift === true) : undefined;
  }

  /**
   * The part of `env` steps may see, read once per run: reading process.env is a call into the OS
   * environment per name, and a runbook of 200 steps would repeat it 200 times.
   */
  get stepEnv(): Readonly<Record<string, string>> {
    return (this.allowedEnv ??= allowlistedEnv(this.env));
  }

  private allowedEnv: Record<string, string> | undefined;

  get masker(): Masker {
    return this.options.masker;
  }

  get rehearsal(): boolean {
    return this.options.mode === 'rehearsal';
  }

  emit(event: RunEvent): void {
    this.options.bus.emit(event);
  }

  now(): string {
    return new Date().toISOString();
  }

  /** Waits for the prompter, but gives up as soon as the run is aborted. */
  ask<T>(question: () => Promise<T>): Promise<T> {
    const signal = this.options.signal;
    if (!signal) return question();
    if (signal.aborted) return Promise.reject(new RunAborted(abortReason(signal)));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(new RunAborted(abortReason(signal)));
      // Listen first: the abort may come while the question is being put.
      signal.addEventListener('abort', onAbort, { once: true });
      question().then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  /** A write that cannot be made (a full disk under the step logs): the running step is ended and the run ends failed, with its record. */
  fail(reason: string): void {
    if (this.fault !== undefined) return;
    this.fault = reason;
    this.faults.abort(reason);
  }

  throwIfAborted(): void {
    const signal = this.options.signal;
    if (signal?.aborted) throw new RunAborted(abortReason(signal));
  }

  decision(stepId: string, decision: Decision | { action: 'rerun-interrupted' }, items?: { text: string; ticked: boolean }[]): void {
    this.emit({
      type: 'decision',
      at: this.now(),
      stepId,
      // A change of inputs is recorded as the input-given events it made, then the retry it leads to.
      decision: decision.action === 'change' ? 'retry' : decision.action,
      ...('reason' in decision ? { reason: this.masker.mask(decision.reason) } : {}),
      auto: this.auto,
      ...(items ? { items } : {}),
    });
  }

  started(step: Step, index: number, attempt: number, display: string, rehearsal = false): void {
    if (!this.open) this.open = { step, index, startedAt: Date.now() };
    this.emit({
      type: 'step-started',
      at: this.now(),
      stepId: step.id,
      index,
      attempt,
      display: this.masker.mask(display),
      rehearsal,
    });
  }

  finished(
    step: Step,
    index: number,
    status: StepStatus,
    extra: { exitCode?: number; reason?: string; output?: OutputSummary } = {},
  ): void {
    const startedAt = this.open?.step === step ? this.open.startedAt : Date.now();
    this.open = undefined;
    this.emit({
      type: 'step-finished',
      at: this.now(),
      stepId: step.id,
      index,
      status,
      startedAt: new Date(startedAt).toISOString(),
      durationMs: Date.now() - startedAt,
      ...(extra.exitCode !== undefined ? { exitCode: extra.exitCode } : {}),
      ...(extra.reason !== undefined ? { reason: this.masker.mask(extra.reason) } : {}),
      ...(extra.output ? { output: extra.output } : {}),
    });
  }

  logPath(stepId: string, attempt: number): string | undefined {
    const dir = this.options.logDir;
    if (!dir) return undefined;
    // A resumed run reuses the run's log folder: never append to the interrupted attempt's log, so
    // each file matches the sha256 its step-finished reports.
    for (let n = attempt; ; n++) {
      const path = join(dir, n === 1 ? `${stepId}.log` : `${stepId}.attempt-${n}.log`);
      if (!pathTaken(path)) return path;
    }
  }
}

export function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (typeof reason === 'string') return reason;
  if (reason instanceof Error && reason.name !== 'AbortError') return reason.message;
  return 'aborted';
}
