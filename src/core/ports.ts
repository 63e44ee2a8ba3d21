// What the engine needs from the rest of handrail, as interfaces: secrets, GitHub, resume state.
// src/secrets, src/github and src/record implement them; tests may pass real or loopback-backed ones.
import type { GithubStep, SecretSpec } from './model';
import type { Mode, SecretSource, StepStatus, StepSummary } from './events';
import type { StepProcess } from './processes';

export interface SecretLookup {
  /** Where the secret would come from now, without asking anyone. */
  source: SecretSource | 'missing';
  /** Age of the keychain item in days, when known (for max_age_days). */
  ageDays?: number;
}

export interface SecretResolver {
  /** Cheap availability check for the preflight screen; never prompts. */
  lookup(name: string, spec: SecretSpec): Promise<SecretLookup>;
  /** The value: env var → keychain → ask (masked) and offer to store. Throws HandrailError when none can be had. */
  resolve(name: string, spec: SecretSpec): Promise<{ value: string; source: SecretSource }>;
}

export interface GithubResult {
  status: number;
  data: unknown;
  headers: Record<string, string | undefined>;
  /** With `paginate`: pages read, and whether GitHub named more after the last page read. */
  pages?: number;
  more?: boolean;
}

export interface GithubRunner {
  /**
   * `GET /user`: the token's login (GITHUB_LOGIN) and the scopes GitHub reports (undefined: not reported).
   * With `required`, also those of them the granted scopes neither list nor imply (`repo` implies
   * `repo:status`), in the order required; absent when GitHub reported no scopes.
   */
  whoami(options?: { required?: readonly string[] }): Promise<{ login: string; scopes?: string[]; missing?: string[] }>;
  /**
   * One github step: fills `{NAME}` placeholders (URL-encoded) in the route and fields,
   * sends it, checks `status`, evaluates `expect` and `capture`. Throws HandrailError with
   * one clear sentence on network errors, 401/403/404, rate limits, unmet expectations.
   */
  execute(
    step: GithubStep,
    variables: Readonly<Record<string, string>>,
    options: { signal?: AbortSignal },
  ): Promise<{ result: GithubResult; captures: Record<string, string> }>;
  /** The request as shown to the operator, e.g. `DELETE /orgs/craton-co/packages/container/x/versions/42`. */
  describe(step: GithubStep, variables: Readonly<Record<string, string>>): string;
}

/**
 * The operator's SSH signing identity (SPEC §6.1), found before the engine starts: ready to sign at
 * the end, set up but unable to sign without a prompt (the run does not start), or not set up.
 */
export type SshIdentityState =
  | { status: 'ready'; fingerprint: string; /** `ssh-agent` or the key file */ via: string }
  | { status: 'problem'; message: string }
  | { status: 'none'; setup: string };

/** Makes a GitHub client for a base URL and (optionally) a token; used for steps and scope checks. */
export type GithubFactory = (options: {
  /** The API base the operator chose; api.github.com when not given (github/ owns that default). */
  baseUrl?: string;
  token?: string;
  /** Where the token came from, in words (never its value): announced before it is first sent (SPEC §5.1). */
  source?: string;
  /** What the token is for, shown with its source: "github steps and token checks" by default. */
  use?: string;
  /** What to do when GitHub rejects this token (401, 403, 404), when the caller knows better than the generic advice. */
  fix?: string;
  /** How long one request may wait for GitHub's answer; by default only a step's own timeout= bounds it. */
  timeoutMs?: number;
}) => GithubRunner;

/** What an unfinished journal says about an earlier run of the same runbook. */
/** Where a journal is damaged (see src/record/journal-read.ts). */
export interface JournalDamageInfo {
  entry: number;
  byte: number;
  problem: string;
  untrustedLines: number;
  claimsFinished: string[];
}

export interface ResumeState {
  journalPath: string;
  runId: string;
  /** Steps that finished, with their final status: never run again. */
  finished: Map<string, StepStatus>;
  /** The step that was running when the run died, if any. */
  interruptedStepId?: string;
  /** Its shell, as journaled: resume does not start the step again while that still runs. */
  interruptedProcess?: StepProcess;
  /** Inputs and captures given so far (never secrets). */
  variables: Record<string, string>;
  /** The inputs alone, as the journal gave them: a resumed run keeps them (a different --set is refused). */
  inputs?: Record<string, string>;
  /** The steps as the journal last listed them (with content digests, from journals that have them). */
  steps?: StepSummary[];
  /** The runbook's bytes changed since the journal began. */
  runbookChanged: boolean;
  /** The mode the run began in: a rehearsal never continues a live run, nor the reverse. */
  mode?: Mode;
  /** A changed or broken entry: nothing from it on is trusted, and resume asks (--yes refuses). */
  damage?: JournalDamageInfo;
  /** Problems found reading the journal (a torn last line, a damaged entry): one sentence each. */
  warnings?: string[];
}
