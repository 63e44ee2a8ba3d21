// Live status on the incident issue (SPEC §6.4): one more reader of the run's events. It keeps one
// comment current — posted when the run starts, then edited in place — with statuses and titles
// only: never output, never a reason typed or printed, so never a secret.
import type { EventBus } from '../engine/bus';
import type { Mode, Outcome, RunEvent, StepStatus } from '../engine/events';
import type { TeamGithub } from '../team/github';
import { splitRepo } from '../team/github';
import { UsageError } from '../errors';

export interface IssueRef {
  repo: string;
  number: number;
}

/** `OWNER/REPO#NUMBER`, or a usage error saying how to write it. */
export function parseIssueRef(text: string, from: string): IssueRef {
  const m = /^([A-Za-z0-9-]+\/[A-Za-z0-9._-]+)#([1-9]\d*)$/.exec(text.trim());
  if (!m) throw new UsageError(`${from} is not an issue: "${text}"; write it as OWNER/REPO#NUMBER, e.g. craton-co/incidents#42.`);
  return { repo: m[1], number: Number(m[2]) };
}

interface Row {
  title: string;
  status: StepStatus | 'pending' | 'running';
  durationMs?: number;
}

export interface View {
  title: string;
  id: string;
  version: string;
  mode?: Mode;
  operator?: string;
  login?: string;
  startedAt?: string;
  rows: Row[];
  current?: number;
  outcome?: Outcome;
  record?: string;
  published?: string;
  /** The approval line (SPEC §6.6): who is asked and the command, who approved, or NOT APPROVED with the reason. */
  approval?: string;
}

const GLYPH: Record<Row['status'], string> = {
  pending: '⏳',
  running: '▶️',
  passed: '✅',
  failed: '❌',
  skipped: '⏭️',
  confirmed: '✅',
  'auto-confirmed': '✅',
  rehearsed: '🎭',
  'not-run': '⬜',
};

function duration(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Markdown table cells: a title must not end the cell or start markup that hides the rest. */
function cell(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[|\\`*_<>[\]]/g, '\\$&');
}

export function renderStatus(view: View): string {
  const state = view.outcome ?? 'running';
  const lines = [
    `### handrail: ${cell(view.title)} — ${view.mode === 'rehearsal' ? 'rehearsal' : 'LIVE'} — ${state}`,
    '',
    `Runbook \`${view.id}\` v${cell(view.version)} · operator ${cell(view.operator ?? 'unknown')}${view.login ? ` (@${cell(view.login)})` : ''}${view.startedAt ? ` · started ${view.startedAt.replace(/\.\d+Z$/, 'Z')}` : ''}`,
    '',
    '| # | Step | Status | Duration |',
    '|---|---|---|---|',
    ...view.rows.map((row, i) => `| ${i + 1} | ${cell(row.title)} | ${GLYPH[row.status]} ${row.status} | ${duration(row.durationMs)} |`),
    '',
  ];
  if (view.approval) lines.push(`**Approval:** ${cell(view.approval)}`, '');
  if (!view.outcome && view.current !== undefined) lines.push(`**Now:** step ${view.current + 1}, ${cell(view.rows[view.current]!.title)}`);
  if (view.outcome) lines.push(`**Outcome:** ${view.outcome}`);
  if (view.record) lines.push(`**Record:** \`${cell(view.record)}\`${view.published ? ` — ${cell(view.published)}` : ''}`);
  lines.push('', '<sub>Kept current by handrail while the run goes; statuses and titles only.</sub>');
  return `${lines.join('\n')}\n`;
}

function apply(view: View, event: RunEvent): 'now' | 'soon' | 'none' {
  switch (event.type) {
    case 'run-started':
      Object.assign(view, {
        title: event.runbook.title,
        id: event.runbook.id,
        version: event.runbook.version,
        mode: event.mode,
        operator: `${event.operator.user}@${event.operator.host}`,
        startedAt: view.startedAt ?? event.at,
      });
      view.rows = event.steps.map((s) => ({ title: s.title, status: event.resumed?.finished?.[s.id] ?? 'pending' }));
      return 'now';
    case 'approval-checked':
      view.approval = approvalLine(event.approval);
      return 'soon';
    case 'github-login':
      view.login = event.login;
      return 'soon';
    case 'step-started':
      if (view.rows[event.index]) view.rows[event.index]!.status = 'running';
      view.current = event.index;
      return 'soon';
    case 'step-finished':
      if (view.rows[event.index]) Object.assign(view.rows[event.index]!, { status: event.status, durationMs: event.durationMs });
      return 'now';
    case 'run-ended':
      view.outcome = event.outcome;
      return 'now';
    case 'record-written':
      view.record = event.path;
      return 'soon';
    case 'record-published':
      // Only where it went, never why publishing failed (that sentence may name local paths or tokens' sources).
      view.published = event.ok ? event.message.replace(/^Published to /, 'published to ') : 'waits in the outbox to be published';
      return 'soon';
    default:
      return 'none';
  }
}

/** Who approved, or NOT APPROVED with the break-glass reason. */
function approvalLine(a: import('../record/approval-record').ApprovalRecord): string {
  if (a.withoutApproval !== undefined) return `NOT APPROVED — started with --without-approval: ${a.withoutApproval}`;
  return `approved by ${a.approvals.map((x) => `@${x.approver}`).join(', ')}${a.planDigest ? ` (plan ${a.planDigest})` : ''}`;
}

export interface StatusReporter {
  /** Sends the last state and waits for it; never throws. */
  finish(): Promise<void>;
}

export function startStatusReporter(
  bus: EventBus,
  options: { gh: TeamGithub; issue: IssueRef; warn: (message: string) => void; minIntervalMs?: number; commentId?: number },
): StatusReporter {
  const interval = options.minIntervalMs ?? 3000;
  const { owner, repo } = splitRepo(options.issue.repo);
  const where = `${options.issue.repo}#${options.issue.number}`;
  const view: View = { title: '', id: '', version: '', rows: [] };
  // The comment that already said the run waits for approval, when there was one: kept, not doubled.
  let commentId: number | undefined = options.commentId;
  let dirty = false;
  let lastSent = 0;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();

  const send = async () => {
    if (!dirty || failures >= 3) return;
    dirty = false;
    lastSent = Date.now();
    const body = renderStatus(view);
    try {
      if (commentId === undefined) {
        const { data } = await options.gh.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          params: { owner, repo, issue_number: options.issue.number },
          data: { body },
        });
        commentId = (data as { id: number }).id;
      } else {
        await options.gh.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
          params: { owner, repo, comment_id: commentId },
          data: { body },
        });
      }
      failures = 0;
    } catch (error) {
      failures += 1;
      dirty = true;
      const message = error instanceof Error ? error.message : String(error);
      if (failures === 1) options.warn(`the status comment on ${where} was not updated: ${message.replace(/\.$/, '')}; the run goes on.`);
      if (failures === 3) options.warn(`the status comment on ${where} is no longer updated after 3 failures; the run goes on.`);
    }
  };
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    chain = chain.then(send);
  };
  const unsubscribe = bus.subscribe((event) => {
    const urgency = apply(view, event);
    if (urgency === 'none') return;
    dirty = true;
    if (urgency === 'now') flush();
    else if (!timer) {
      timer = setTimeout(flush, Math.max(0, lastSent + interval - Date.now()));
      timer.unref();
    }
  });

  return {
    async finish() {
      unsubscribe();
      dirty = true;
      flush();
      await chain;
    },
  };
}
