// A live run of a runbook with `approval:` waits here, before anything is shown or run (SPEC §6.6):
// it takes the plan of the rehearsal it relies on, counts the approvals of that plan in the records
// repository, publishes a signed request when they are too few, and waits — polling with backoff —
// until enough count (the run then starts by itself), a key aborts, or --yes's time limit passes.
import { randomUUID } from 'node:crypto';
import parseDuration from 'parse-duration';
import { errorReason, HandrailError, UsageError } from '../core/errors';
import { githubKeyCache } from '../record/identity';
import type { ApprovalRecord } from '../core/approval-record';
import type { RehearsalRef } from '../core/events';
import type { Runbook } from '../core/model';
import { renderStatus, statusMarker, type IssueRef } from '../team/status-comment';
import { initialState } from '../view/run-state';
import { notApprovedLine } from '../view/end-lines';
import { findCredential, NO_TOKEN_ADVICE } from '../team/auth';
import { splitRepo, teamGithub, type TeamGithub } from '../team/github';
import type { RecordsTarget } from '../team/target';
import { countApprovals, describeFrom, type ApprovalConfig, type CheckContext, type Counted } from './check';
import { planFolder, readPlanFolder, rehearsalPlan } from './repo';
import { buildRequest, findOperator, openRequestBy, publishRequest } from './request';
import { waitLines, waitScreen, waitingLine, type WaitStatus } from './wait-view';

export interface GateOptions {
  runbook: Runbook;
  target?: RecordsTarget;
  apiUrl: string;
  reliedOn?: RehearsalRef;
  withoutApproval?: string;
  approvalTimeout?: string;
  yes: boolean;
  /** `screen`: a full-screen wait (q aborts); `lines`: line mode (Ctrl-C aborts). */
  view: 'screen' | 'lines';
  out: NodeJS.WriteStream;
  report?: IssueRef;
}

export interface GateResult {
  record: ApprovalRecord;
  /** Preflight lines: who approved, or NOT APPROVED with the reason. */
  notices: string[];
  /** The status comment already posted while waiting: the run's reporter edits it. */
  commentId?: number;
  /** The operator's GitHub login, as the records token says (GET /user): the record names it. */
  operatorLogin?: string;
}

const DEFAULT_TIMEOUT = '30m';

function configOf(runbook: Runbook): ApprovalConfig {
  const a = runbook.meta.approval!;
  return { required: a.required, from: Array.isArray(a.from) ? a.from.map((l) => l.replace(/^@/, '')) : a.from, within: a.within };
}

export async function approvalGate(options: GateOptions): Promise<GateResult> {
  const { runbook } = options;
  const config = configOf(runbook);
  const base = { required: config.required, from: config.from, within: config.within };
  if (options.withoutApproval !== undefined) {
    const reason = options.withoutApproval.trim();
    return { record: { ...base, approvals: [], withoutApproval: reason }, notices: [notApprovedLine(reason)] };
  }
  const how = 'or give `--without-approval "REASON"` to start anyway (break glass; the record says NOT APPROVED)';
  if (!options.target)
    throw new UsageError(
      `${runbook.path} needs approval, which is kept in the team's records repository, and none is set (records.repo); ${how}.`,
    );
  if (!options.reliedOn)
    throw new UsageError(
      `${runbook.path} needs approval of the rehearsal it relies on, and there is none; rehearse it with \`handrail run ${runbook.path} --dry-run\`, ${how}.`,
    );
  const target = options.target;
  const credential = await findCredential(target.token);
  if (!credential) throw new UsageError(`asking for approval in ${target.repo} needs a GitHub token: ${NO_TOKEN_ADVICE}.`);
  const gh = teamGithub(options.apiUrl, credential, { use: 'the approval request' });
  const plan = await rehearsalPlan(options.reliedOn, { gh, repo: target.repo }).catch((error: unknown) => {
    throw new UsageError(`${runbook.path} needs approval of its plan, but ${error instanceof Error ? error.message : String(error)}`);
  });
  const operator = await findOperator(gh);
  const folder = planFolder(target.path, runbook.meta.id, plan.digest);
  const ctx: CheckContext = {
    planDigest: plan.digest,
    runbookId: runbook.meta.id,
    config,
    operator: { ...(operator.login ? { login: operator.login } : {}), fingerprint: operator.signer.key.fingerprint },
    keysFor: githubKeyCache(options.apiUrl),
    gh,
  };
  const check = async (): Promise<Counted & { requests: { path: string; text: string }[] }> => {
    const files = await readPlanFolder(gh, target.repo, folder);
    return {
      ...(await countApprovals(
        ctx,
        files.approvals.map((a) => ({ file: `${target.repo}:${a.path}`, text: a.text })),
      )),
      requests: files.requests,
    };
  };
  const done = (counted: Counted, request?: string): GateResult => ({
    ...(operator.login ? { operatorLogin: operator.login } : {}),
    record: { ...base, planDigest: plan.digest, ...(request ? { request } : {}), approvals: counted.counted },
    notices: [
      ...counted.counted.map(
        (c) => `Approved by @${c.approver} (SSH key ${c.fingerprint}) at ${c.at.replace(/\.\d+Z$/, 'Z')}, plan ${plan.digest}`,
      ),
      // Named even when enough others counted: a refused approval may be someone's mistake to mend.
      ...counted.ignored.map((i) => `Not counted: ${i.reason}`),
    ],
  });

  let state = await check();
  if (state.counted.length >= config.required) return done(state);

  const existing = await openRequestBy(state.requests, operator.signer.key.fingerprint);
  const requestPath =
    existing?.path ??
    (await publishRequest(gh, target, folder, buildRequest(runbook, plan, operator, config, options.reliedOn, []), operator.signer));
  const request = `${target.repo}:${requestPath}`;
  const status: WaitStatus = {
    title: runbook.meta.title,
    runbookId: runbook.meta.id,
    version: runbook.meta.version,
    planDigest: plan.digest,
    rehearsedBy: `${options.reliedOn.operator} at ${options.reliedOn.at.replace(/\.\d+Z$/, 'Z')}`,
    required: config.required,
    who: describeFrom(config.from),
    command: `handrail approve ${target.repo}`,
    request,
    counted: [],
    ignored: [],
  };
  const commentId = options.report ? await postWaiting(gh, options.report, runbook, waitingLine(status)) : undefined;
  const timeoutText = options.approvalTimeout ?? (options.yes ? DEFAULT_TIMEOUT : undefined);
  const deadline = timeoutText ? Date.now() + (parseDuration(timeoutText) ?? 0) : undefined;
  if (deadline) status.deadline = new Date(deadline).toISOString();

  const waiter = startWaiting(options, status);
  try {
    let interval = Number(process.env.HANDRAIL_APPROVAL_POLL_MS) || 5000;
    const cap = interval * 12;
    for (;;) {
      status.counted = state.counted.map((c) => `@${c.approver}`);
      status.ignored = state.ignored.map((i) => i.reason);
      status.checkedAt = new Date().toISOString();
      waiter.show();
      if (state.counted.length >= config.required) return { ...done(state, request), ...(commentId ? { commentId } : {}) };
      const wait = deadline ? Math.min(interval, deadline - Date.now()) : interval;
      if (wait <= 0)
        throw new HandrailError(
          `no approval came within ${timeoutText} (--approval-timeout); nothing was run. The request stays open: run again once it is approved.`,
        );
      const woke = await waiter.sleep(wait);
      if (woke === 'abort')
        throw new HandrailError('aborted while waiting for approval; nothing was run. The request stays open: run again to wait for it.');
      if (woke === 'timer') interval = Math.min(cap, Math.round(interval * 1.5));
      try {
        state = await check();
        delete status.problem;
      } catch (error) {
        status.problem = errorReason(error);
      }
    }
  } finally {
    waiter.close();
  }
}

/** The status comment, posted now with the waiting line; the run's reporter edits it later. */
async function postWaiting(gh: TeamGithub, issue: IssueRef, runbook: Runbook, line: string): Promise<number | undefined> {
  const { owner, repo } = splitRepo(issue.repo);
  // Marked, as the reporter's comments are: a POST whose answer was lost may still have made it.
  const marker = statusMarker(randomUUID());
  const since = new Date().toISOString();
  const body = `${marker}\n${renderStatus(initialState(runbook, 'live'), line)}`;
  try {
    const { data } = await gh.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      params: { owner, repo, issue_number: issue.number },
      data: { body },
    });
    return (data as { id?: number }).id;
  } catch {
    // A reporting failure never stops a run; the reporter warns when it tries again. Before it
    // posts anew, the comment this POST may have made is looked for, so the issue never gets two.
    try {
      const { data } = await gh.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        params: { owner, repo, issue_number: issue.number, per_page: 100, since },
      });
      const found = (Array.isArray(data) ? data : []).find(
        (c: { body?: unknown }) => typeof c?.body === 'string' && c.body.startsWith(marker),
      ) as { id?: unknown } | undefined;
      return typeof found?.id === 'number' ? found.id : undefined;
    } catch {
      return undefined;
    }
  }
}

type Woke = 'timer' | 'now' | 'abort';

/** The screen or the lines, and the keys and signals that end or hurry the wait. */
function startWaiting(options: GateOptions, status: WaitStatus): { show(): void; sleep(ms: number): Promise<Woke>; close(): void } {
  const { out } = options;
  let wake: ((why: Woke) => void) | undefined;
  let aborted = false;
  const abort = () => {
    aborted = true;
    wake?.('abort');
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, abort);
  const stdin = process.stdin;
  const screen = options.view === 'screen' && stdin.isTTY === true;
  const onKey = (data: Buffer) => {
    const key = data.toString('utf8');
    if (key === 'q' || key === '\x03') abort();
    else if (key === 'r') wake?.('now');
  };
  if (screen) {
    out.write('\x1b[?1049h\x1b[?25l');
    stdin.setRawMode(true);
    stdin.on('data', onKey);
    stdin.resume();
  }
  let printed = { lines: [] as string[] };
  return {
    show() {
      if (screen) {
        out.write(waitScreen(status, out.columns || 80, out.rows || 24));
        return;
      }
      // Line mode: the whole picture once, then only what changed.
      // Wrapped for a terminal; one line per thing for a file or a pipe.
      const lines = waitLines(status, out.isTTY ? out.columns || 80 : Infinity).filter((l) => !l.startsWith('Last checked'));
      const fresh = printed.lines.length === 0 ? lines : lines.filter((l) => l.trim() && !printed.lines.includes(l));
      if (fresh.length)
        out.write(
          `${fresh.join('\n')}\n${printed.lines.length === 0 ? `${options.yes ? `(--yes: waits until ${status.deadline?.replace(/\.\d+Z$/, 'Z')})` : 'Ctrl-C aborts (nothing is run).'}\n` : ''}`,
        );
      printed = { lines: [...printed.lines, ...fresh] };
    },
    sleep(ms) {
      if (aborted) return Promise.resolve('abort');
      return new Promise<Woke>((resolve) => {
        const timer = setTimeout(() => finish('timer'), ms);
        const finish = (why: Woke) => {
          clearTimeout(timer);
          wake = undefined;
          resolve(why);
        };
        wake = finish;
      });
    },
    close() {
      for (const s of signals) process.off(s, abort);
      if (screen) {
        stdin.off('data', onKey);
        stdin.setRawMode(false);
        stdin.pause();
        out.write('\x1b[?25h\x1b[?1049l');
        // What happened stays in the scrollback once the screen is gone.
        out.write(
          `${waitLines(status, out.columns || 80)
            .slice(0, 1)
            .join('\n')}: ${status.counted.length >= status.required ? `approved by ${status.counted.join(', ')}` : 'stopped waiting'}\n`,
        );
      }
    },
  };
}
