// The spine: every front end (TUI, line mode, --json) and the journal/record read these events.
// Events are plain JSON-serialisable objects, but for a command's output, which stays the bytes it
// was read as (decoded only by a reader that needs text: --json writes it as `text`); output is
// already masked when emitted.
import type { StepKind } from './model';

export type Mode = 'live' | 'rehearsal';
export type StepStatus = 'passed' | 'failed' | 'skipped' | 'confirmed' | 'auto-confirmed' | 'rehearsed' | 'not-run';
export type Outcome = 'completed' | 'failed' | 'aborted';
export type SecretSource = 'env' | 'keychain' | 'prompt';
export type InputSource = 'set' | 'default' | 'prompt' | 'resume' | 'changed';

export interface StepSummary {
  id: string;
  index: number;
  kind: StepKind;
  title: string;
  section: string;
  /** sha256 of what the step does (kind, body, attributes; not its id or title): resume matches by it. */
  digest?: string;
  /** `drift=ignore`: the rehearsal's plan marks its captures as changing by nature (SPEC §6.5). */
  driftIgnore?: true;
}

export interface ToolCheck {
  name: string;
  /** Semver range from `requires`, if any. */
  range?: string;
  found: boolean;
  version?: string;
  ok: boolean;
  /** One sentence when not ok. */
  message?: string;
  /** The runbook's `hint:` for this tool, shown when it is not ok. */
  hint?: string;
}

export interface OutputSummary {
  /** Hex sha256 of the step's full (masked) output. */
  sha256: string;
  /** Bytes of output seen. */
  bytes: number;
  /** Last lines of the (masked) output. */
  tail: string;
  /** Full output log file, when one was written: a step that printed nothing has none. */
  logPath?: string;
}

export type RunEvent =
  | {
      type: 'run-started';
      at: string;
      runId: string;
      runbook: { path: string; id: string; title: string; version: string; sha256: string };
      mode: Mode;
      steps: StepSummary[];
      operator: { user: string; host: string };
      tool: { name: string; version: string };
      /** Set when this run continues an earlier journal. */
      resumed?: {
        journalPath: string;
        fromIndex: number;
        /** Steps the earlier attempts finished, with their status: they are not run again. */
        finished?: Record<string, StepStatus>;
      };
    }
  | { type: 'preflight'; at: string; tools: ToolCheck[]; ok: boolean }
  | {
      type: 'input-given';
      at: string;
      name: string;
      value: string;
      source: InputSource;
      stepId?: string;
      /** source 'changed': the value it replaced after `stepId` failed, and who changed it (OS user). */
      previous?: string;
      by?: string;
    }
  | { type: 'secret-resolved'; at: string; name: string; source: SecretSource }
  | { type: 'github-login'; at: string; login: string }
  /** Before step 1: who the record will say signed it (SPEC §6.1), or how to set that up, in one line. */
  | { type: 'identity'; at: string; text: string; fingerprint?: string; login?: string }
  | {
      type: 'step-started';
      at: string;
      stepId: string;
      index: number;
      attempt: number;
      /** The command or request exactly as it will run, variables shown, secrets masked. */
      display: string;
      /** True when dry-run shows the step without executing it. */
      rehearsal: boolean;
    }
  | {
      /**
       * The step's shell was started: its pid, which is its process group's id unless the step is
       * `interactive` (it then stays in handrail's group). Resume looks for it after kill -9.
       */
      type: 'step-process';
      at: string;
      stepId: string;
      pid: number;
      group: boolean;
      /** When the process started (Linux: clock ticks since boot), so a reused pid is not taken for it. */
      startTime?: string;
    }
  | OutputEvent
  | { type: 'capture'; at: string; stepId: string; name: string; value: string }
  | {
      type: 'decision';
      at: string;
      stepId: string;
      decision: 'proceed' | 'retry' | 'skip' | 'abort' | 'rerun-interrupted';
      reason?: string;
      /** Made by --yes rather than a person. */
      auto: boolean;
      /** A task list: each item as shown, and whether it was ticked when the decision was made. */
      items?: { text: string; ticked: boolean }[];
    }
  | {
      type: 'step-finished';
      at: string;
      stepId: string;
      index: number;
      status: StepStatus;
      startedAt: string;
      durationMs: number;
      exitCode?: number;
      /** Why it failed or was skipped: 'condition', 'timeout', an operator's words, … */
      reason?: string;
      output?: OutputSummary;
    }
  | { type: 'warning'; at: string; message: string }
  | { type: 'run-ended'; at: string; outcome: Outcome; reason?: string }
  | { type: 'record-written'; at: string; path: string }
  /** A line for the preflight that is neither a problem nor a question: the outbox, the last rehearsal. */
  | { type: 'notice'; at: string; message: string }
  /**
   * Before the first request that carries a GitHub token (SPEC §5.1): where the token comes from
   * (`environment variable GH_TOKEN`, `keychain account github`; never the value), the API origin it
   * goes to, and what for. Once per source and host.
   */
  | { type: 'credential'; at: string; source: string; host: string; use?: string }
  /** A live run's rehearsal (SPEC §6.3): the one it relies on, or the reason it goes without. */
  | { type: 'rehearsal-checked'; at: string; reliedOn?: RehearsalRef; withoutRehearsal?: string }
  /** A live run's approval (SPEC §6.6): the approvals that counted, or the break-glass reason. */
  | { type: 'approval-checked'; at: string; approval: import('./approval-record').ApprovalRecord }
  /** A live run differs from the rehearsal it relies on (SPEC §6.5): one difference, as it is found. */
  | ({ type: 'drift'; at: string } & Drift)
  /**
   * The run stopped for drift before a changing step (or before step 1): continued or aborted, and by
   * whom. It decides every drift since the last decision.
   */
  | {
      type: 'drift-decision';
      at: string;
      /** The changing step it stopped before; absent before step 1. */
      beforeStepId?: string;
      decision: 'accept' | 'abort';
      /** `@login` or `user@host` of the operator; under --yes, who ran it with --accept-drift. */
      by: string;
      /** Made by --yes (--accept-drift, or the refusal without it) rather than a person. */
      auto: boolean;
    }
  /** After the record: whether it reached the team's repository or waits in the outbox (SPEC §6.2). */
  | { type: 'record-published'; at: string; ok: boolean; message: string };

/** One difference between the rehearsal's plan and the live run (SPEC §6.5). */
export interface Drift {
  /** The step that gave the value or is about to run; absent for front-matter inputs. */
  stepId?: string;
  /** An input or choice, a captured value, or the text a changing step is about to run. */
  field: 'input' | 'capture' | 'text';
  /** The input or capture name (absent for `text`). */
  name?: string;
  /** What the rehearsal had; absent when the rehearsal never reached it. */
  rehearsed?: string;
  /** What the live run has now. */
  now: string;
}

export interface RehearsalRef {
  /** sha256 of the rehearsal's record file. */
  recordSha256: string;
  /** `@login` or `user@host`. */
  operator: string;
  /** When the rehearsal ended (RFC 3339). */
  at: string;
  /** The local path, or `OWNER/REPO:path`. */
  location: string;
  /** The digest of the plan that rehearsal recorded (SPEC §6.5): what this live run is held to. */
  planDigest?: string;
}

export type RunEventType = RunEvent['type'];
export type EventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;

/**
 * A piece of a step's output, masked, in whole UTF-8 characters. A command's output comes as the
 * bytes it was read as, so printing it needs no conversion; text handrail makes itself (a GitHub
 * response, a note) may come as a string.
 */
export type OutputEvent = { type: 'output'; stepId: string; stream: 'stdout' | 'stderr' } & ({ bytes: Buffer } | { text: string });

/** An output event's text, decoded when it came as bytes (they hold whole characters). */
export function outputText(event: OutputEvent): string {
  return 'text' in event ? event.text : event.bytes.toString('utf8');
}

/** The event with its output as text: what --json writes, and what a reader that wants text keeps. */
export function asTextOutput(event: OutputEvent): Extract<OutputEvent, { text: string }> {
  return 'text' in event ? event : { type: event.type, stepId: event.stepId, stream: event.stream, text: outputText(event) };
}
