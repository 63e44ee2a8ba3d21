// The one picture of a run, folded from the engine's events: the TUI, line mode and the status
// comment on the incident issue each read it. Output text is not kept here (the TUI keeps it in its
// OutputBuffer ring, line mode writes it as it comes); this state changes a few times per step.
import type { ApprovalRecord } from '../core/approval-record';
import { credentialLine } from '../core/credential-line';
import type { Mode, Outcome, RunEvent, ToolCheck } from '../core/events';
import type { Runbook, StepKind } from '../core/model';
import type { RowStatus } from './status';

export type { RowStatus };

export interface StepRow {
  id: string;
  index: number;
  kind: StepKind;
  title: string;
  section: string;
  status: RowStatus;
  attempt: number;
  startedAt?: number;
  durationMs?: number;
  display?: string;
  rehearsal?: boolean;
  reason?: string;
  exitCode?: number;
  logPath?: string;
  /** Output tail from step-finished, for viewing after the live buffer moved on. */
  finalTail?: string;
}

export interface RunState {
  title: string;
  /** The runbook's id, and who runs it (`user@host`): from run-started. */
  id?: string;
  operator?: string;
  version: string;
  mode: Mode;
  startedAt?: number;
  tools?: ToolCheck[];
  preflightOk?: boolean;
  steps: StepRow[];
  /** Index of the step last started, or -1 before step 1. */
  current: number;
  started: boolean;
  variables: Record<string, string>;
  /** Inputs and choices given (values as the engine reported them, secrets never among them), in order. */
  inputs: Record<string, string>;
  secretNames: string[];
  warnings: string[];
  githubLogin?: string;
  outcome?: Outcome;
  endReason?: string;
  endedAt?: number;
  recordPath?: string;
  /** Preflight lines about the team layer: the outbox, the last rehearsal. */
  notices: string[];
  /** Whether the record reached the team's repository, in one sentence. */
  published?: { ok: boolean; message: string };
  /** Break glass (SPEC §6.6): the --without-approval reason; the end says NOT APPROVED with it. */
  notApproved?: string;
  /** The approvals that counted, or the break-glass reason (SPEC §6.6), as checked. */
  approval?: ApprovalRecord;
}

export function initialState(runbook: Runbook, mode: Mode): RunState {
  return {
    title: runbook.meta.title,
    id: runbook.meta.id,
    version: runbook.meta.version,
    mode,
    steps: runbook.steps.map((step, index) => ({
      id: step.id,
      index,
      kind: step.kind,
      title: step.title,
      section: step.section,
      status: 'pending',
      attempt: 0,
    })),
    current: -1,
    started: false,
    variables: {},
    inputs: {},
    secretNames: Object.keys(runbook.meta.secrets ?? {}),
    warnings: [],
    notices: [],
  };
}

/** Before run-started says what runs: for a reader that has no runbook of its own (the status comment). */
export function blankState(): RunState {
  return {
    title: '',
    version: '',
    mode: 'live',
    steps: [],
    current: -1,
    started: false,
    variables: {},
    inputs: {},
    secretNames: [],
    warnings: [],
    notices: [],
  };
}

const time = (at: string): number => {
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? Date.now() : ms;
};

function updateStep(state: RunState, index: number, patch: Partial<StepRow>): StepRow[] {
  return state.steps.map((row, i) => (i === index ? { ...row, ...patch } : row));
}

function indexOf(state: RunState, stepId: string, index?: number): number {
  if (index !== undefined && state.steps[index]?.id === stepId) return index;
  return state.steps.findIndex((row) => row.id === stepId);
}

export function reduce(state: RunState, event: RunEvent): RunState {
  switch (event.type) {
    case 'run-started': {
      const known = new Map(state.steps.map((row) => [row.id, row]));
      return {
        ...state,
        title: event.runbook.title,
        id: event.runbook.id,
        operator: `${event.operator.user}@${event.operator.host}`,
        version: event.runbook.version,
        mode: event.mode,
        // A second run-started (the run goes on after an approval wait) keeps the first start.
        startedAt: state.startedAt ?? time(event.at),
        steps: event.steps.map((summary) => ({
          ...(known.get(summary.id) ?? { status: 'pending' as const, attempt: 0 }),
          // A resumed run never runs these again; showing them pending would say otherwise.
          ...(event.resumed?.finished?.[summary.id] ? { status: event.resumed.finished[summary.id]!, reason: 'earlier run' } : {}),
          id: summary.id,
          index: summary.index,
          kind: summary.kind,
          title: summary.title,
          section: summary.section,
        })),
      };
    }
    case 'preflight':
      return { ...state, tools: event.tools, preflightOk: event.ok };
    case 'input-given':
      return {
        ...state,
        variables: { ...state.variables, [event.name]: event.value },
        inputs: { ...state.inputs, [event.name]: event.value },
      };
    case 'capture':
      return { ...state, variables: { ...state.variables, [event.name]: event.value } };
    case 'github-login':
      return { ...state, githubLogin: event.login, variables: { ...state.variables, GITHUB_LOGIN: event.login } };
    case 'step-started': {
      const i = indexOf(state, event.stepId, event.index);
      if (i < 0) return state;
      return {
        ...state,
        started: true,
        current: i,
        steps: updateStep(state, i, {
          status: 'running',
          attempt: event.attempt,
          startedAt: time(event.at),
          display: event.display,
          rehearsal: event.rehearsal,
          durationMs: undefined,
          reason: undefined,
          exitCode: undefined,
        }),
      };
    }
    case 'step-finished': {
      const i = indexOf(state, event.stepId, event.index);
      if (i < 0) return state;
      return {
        ...state,
        steps: updateStep(state, i, {
          status: event.status,
          durationMs: event.durationMs,
          reason: event.reason,
          exitCode: event.exitCode,
          logPath: event.output?.logPath,
          finalTail: event.output?.tail,
        }),
      };
    }
    case 'warning':
      return { ...state, warnings: [...state.warnings.slice(-4), event.message] };
    case 'run-ended':
      return { ...state, outcome: event.outcome, endReason: event.reason, endedAt: time(event.at) };
    case 'record-written':
      return { ...state, recordPath: event.path };
    case 'notice':
      return { ...state, notices: [...state.notices, event.message] };
    case 'credential':
      return { ...state, notices: [...state.notices, credentialLine(event)] };
    case 'record-published':
      return { ...state, published: { ok: event.ok, message: event.message } };
    case 'approval-checked':
      return {
        ...state,
        approval: event.approval,
        ...(event.approval.withoutApproval !== undefined ? { notApproved: event.approval.withoutApproval } : {}),
      };
    default:
      return state;
  }
}
