// Live status on the incident issue (SPEC §6.4): one more reader of view/'s picture of the run, with
// the same glyphs, status words and durations as the terminal. It keeps one comment current — posted
// when the run starts, then edited in place — with statuses and titles only: never output, never a
// reason typed or printed, so never a secret.
import type { ApprovalRecord } from '../core/approval-record';
import type { EventBus } from '../core/bus';
import type { RunEvent } from '../core/events';
import { notApprovedLine } from '../view/end-lines';
import { blankState, reduce, type RunState } from '../view/run-state';
import { formatDuration, statusGlyph, statusWord } from '../view/status';
import type { TeamGithub } from './github';
import { splitRepo } from './github';
import { errorReason, UsageError } from '../core/errors';
import { REPO_NAME } from '../core/schema';

export interface IssueRef {
  repo: string;
  number: number;
}

/** `OWNER/REPO#NUMBER`, or a usage error saying how to write it. */
export function parseIssueRef(text: string, from: string): IssueRef {
  const m = /^([^#]+)#([1-9]\d*)$/.exec(text.trim());
  if (!m || !REPO_NAME.test(m[1]!))
    throw new UsageError(`${from} is not an issue: "${text}"; write it as OWNER/REPO#NUMBER, e.g. craton-co/incidents#42.`);
  return { repo: m[1], number: Number(m[2]) };
}

/** Invisible, and not part of a name: GitHub's parser no longer sees a mention, reference or link. */
const JOINER = '\u200d';

/**
 * Text from the runbook (or the operator's machine) as inert markdown: it must not end a table cell,
 * start markup that hides the rest, or act on GitHub. A mention (`@org/team`, `user@host`), an issue
 * or pull request reference (`#999`, `org/repo#12`, `GH-12`), a commit sha and an autolink
 * (`https://…`, `www.…`) would each notify people or link elsewhere when the comment is posted; a
 * word joiner after `@`, `#`, `GH`, a sha's first characters and a URL's scheme keeps the text as it
 * reads while GitHub sees none of them. A character reference (`&commat;`, `&num;`) is escaped, so it
 * stays text and never becomes the `@` or `#` it names.
 */
export function neutralise(text: string): string {
  return (
    text
      .replace(/[\r\n]+/g, ' ')
      // `&` too: GitHub reads mentions in the decoded text, where `&commat;alice` has become `@alice`.
      .replace(/[|\\`*_<>[\]&]/g, '\\$&')
      .replace(/[@#＠＃]/g, `$&${JOINER}`)
      .replace(/\b(GH)(-\d)/gi, `$1${JOINER}$2`)
      .replace(/\b[0-9a-f]{7,}\b/gi, (sha) => sha.match(/.{1,6}/g)!.join(JOINER))
      .replace(/([a-z][a-z0-9+.-]*):\/\//gi, `$1${JOINER}://`)
      .replace(/\bwww\./gi, `www${JOINER}.`)
  );
}

const cell = neutralise;

/** Only where the record went, never why publishing failed (that sentence may name local paths or tokens' sources). */
function publishedLine(published: RunState['published']): string | undefined {
  if (!published) return undefined;
  return published.ok ? published.message.replace(/^Published to /, 'published to ') : 'waits in the outbox to be published';
}

/** Who approved, or NOT APPROVED with the break-glass reason. */
function approvalLine(a: ApprovalRecord): string {
  if (a.withoutApproval !== undefined) return notApprovedLine(a.withoutApproval, 'label');
  return `approved by ${a.approvals.map((x) => `@${x.approver}`).join(', ')}${a.planDigest ? ` (plan ${a.planDigest})` : ''}`;
}

const startedAtText = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z'));

/** The comment's body. `waiting` stands in for the approval line before there is one: who is asked, and the command. */
export function renderStatus(state: RunState, waiting?: string): string {
  const ended = state.outcome !== undefined;
  const startedAt = startedAtText(state.startedAt);
  const published = publishedLine(state.published);
  const lines = [
    `### handrail: ${cell(state.title)} — ${state.mode === 'rehearsal' ? 'rehearsal' : 'LIVE'} — ${state.outcome ?? 'running'}`,
    '',
    `Runbook \`${state.id ?? ''}\` v${cell(state.version)} · operator ${cell(state.operator ?? 'unknown')}${state.githubLogin ? ` (@${cell(state.githubLogin)})` : ''}${startedAt ? ` · started ${startedAt}` : ''}`,
    '',
    '| # | Step | Status | Duration |',
    '|---|---|---|---|',
    ...state.steps.map(
      (row, i) =>
        `| ${i + 1} | ${cell(row.title)} | ${statusGlyph(row.status, ended)} ${statusWord(row.status, ended)} | ${formatDuration(row.durationMs)} |`,
    ),
    '',
  ];
  const approval = state.approval ? approvalLine(state.approval) : waiting;
  if (approval) lines.push(`**Approval:** ${cell(approval)}`, '');
  const now = state.steps[state.current];
  if (!ended && now) lines.push(`**Now:** step ${state.current + 1}, ${cell(now.title)}`);
  if (ended) lines.push(`**Outcome:** ${state.outcome}`);
  if (state.recordPath) lines.push(`**Record:** \`${cell(state.recordPath)}\`${published ? ` — ${cell(published)}` : ''}`);
  lines.push('', '<sub>Kept current by handrail while the run goes; statuses and titles only.</sub>');
  return `${lines.join('\n')}\n`;
}

/** How soon an event is worth an edit: at once (the start, a step's end, the end), soon, or not at all. */
const URGENCY: Partial<Record<RunEvent['type'], 'now' | 'soon'>> = {
  'run-started': 'now',
  'step-finished': 'now',
  'run-ended': 'now',
  'approval-checked': 'soon',
  'github-login': 'soon',
  'step-started': 'soon',
  'record-written': 'soon',
  'record-published': 'soon',
};

export interface StatusReporter {
  /** Sends the last state and waits for it, at most `finishWithinMs`; never throws. */
  finish(): Promise<void>;
}

/** The hidden first line of every status comment: how handrail finds the comment a lost answer made. */
export function statusMarker(runId: string): string {
  return `<!-- handrail-status run=${runId.replace(/[^A-Za-z0-9-]/g, '')} -->`;
}

/** The run's end waits this long for the last update: a hung comment API cannot hold it longer. */
const FINISH_WITHIN_MS = 3000;
/** One request's bound: the comment is a courtesy, never worth a long wait. */
const REQUEST_TIMEOUT_MS = 10_000;

export function startStatusReporter(
  bus: EventBus,
  options: {
    gh: TeamGithub;
    issue: IssueRef;
    warn: (message: string) => void;
    minIntervalMs?: number;
    finishWithinMs?: number;
    commentId?: number;
  },
): StatusReporter {
  const interval = options.minIntervalMs ?? 3000;
  const { owner, repo } = splitRepo(options.issue.repo);
  const where = `${options.issue.repo}#${options.issue.number}`;
  let view = blankState();
  const stop = new AbortController();
  let marker = '';
  // The comment that already said the run waits for approval, when there was one: kept, not doubled.
  let commentId: number | undefined = options.commentId;
  /** A POST was sent and its answer lost: it may have made the comment, so look before posting again. */
  let posted = false;
  let dirty = false;
  let lastSent = 0;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  const request = (route: string, rest: { params: Record<string, string | number>; data?: unknown }) =>
    options.gh.request(route, { ...rest, signal: stop.signal });

  /** The comment an earlier POST of this run made, found by its marker, if GitHub has it. */
  const findPosted = async (): Promise<number | undefined> => {
    const { data } = await request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      params: {
        owner,
        repo,
        issue_number: options.issue.number,
        per_page: 100,
        ...(view.startedAt !== undefined ? { since: new Date(view.startedAt).toISOString() } : {}),
      },
    });
    const found = (Array.isArray(data) ? data : []).find(
      (c: { id?: unknown; body?: unknown }) => typeof c?.body === 'string' && c.body.startsWith(marker),
    );
    return typeof found?.id === 'number' ? found.id : undefined;
  };

  const send = async () => {
    if (!dirty || failures >= 3 || stop.signal.aborted) return;
    dirty = false;
    lastSent = Date.now();
    const body = `${marker}\n${renderStatus(view)}`;
    try {
      if (commentId === undefined && posted) commentId = await findPosted();
      if (commentId === undefined) {
        posted = true;
        const { data } = await request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          params: { owner, repo, issue_number: options.issue.number },
          data: { body },
        });
        commentId = (data as { id: number }).id;
      } else {
        await request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
          params: { owner, repo, comment_id: commentId },
          data: { body },
        });
      }
      failures = 0;
    } catch (error) {
      failures += 1;
      dirty = true;
      if (stop.signal.aborted) return;
      if (failures === 1) options.warn(`the status comment on ${where} was not updated: ${errorReason(error)}; the run goes on.`);
      if (failures === 3) options.warn(`the status comment on ${where} is no longer updated after 3 failures; the run goes on.`);
    }
  };
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    chain = chain.then(send);
  };
  const unsubscribe = bus.subscribe((event) => {
    if (event.type === 'run-started') marker = statusMarker(event.runId);
    view = reduce(view, event);
    const urgency = URGENCY[event.type] ?? 'none';
    if (urgency === 'none' || !marker) return;
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
      if (!marker) return;
      dirty = true;
      flush();
      let late: NodeJS.Timeout | undefined;
      const bounded = new Promise<'late'>(
        (resolve) => (late = setTimeout(() => resolve('late'), options.finishWithinMs ?? FINISH_WITHIN_MS)),
      );
      const result = await Promise.race([chain.then(() => 'done' as const), bounded]);
      clearTimeout(late);
      if (result === 'late') {
        // Whatever is still in flight is abandoned, so nothing keeps the process waiting on GitHub.
        stop.abort();
        options.warn(`the status comment on ${where} was not brought up to date: GitHub did not answer in time.`);
      }
    },
  };
}

export { REQUEST_TIMEOUT_MS as STATUS_REQUEST_TIMEOUT_MS };
