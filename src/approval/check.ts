// Which approvals count (SPEC §6.6). An approval counts only when its SSH signature verifies and the
// key is the approver's on GitHub, the approver is not the operator (by login and by key), the
// approver is one of `from` (a team's membership asked of GitHub), it is for this plan, and it was
// made within `within`. Everything else is named with its reason and ignored.
import parseDuration from 'parse-duration';
import type { ApprovalEntry } from '../core/approval-record';
import { parsePublicKeyLine, type SshPublicKey } from '../record/ssh-format';
import { sshVerify } from '../record/ssh-keygen';
import { GITHUB_LOGIN } from '../github/signing-keys';
import { GithubStatusError, type TeamGithub } from '../team/github';
import { APPROVAL_NAMESPACE, APPROVAL_TYPE, approvalSchema, openDocument, type Envelope } from './document';
import { errorReason } from '../core/errors';

export interface ApprovalConfig {
  required: number;
  from: string[] | string;
  within: string;
}

export interface Ignored {
  file: string;
  reason: string;
}

export interface Counted {
  counted: ApprovalEntry[];
  ignored: Ignored[];
}

/** A clock this far ahead of ours is skew; further is a future date, which never counts. */
const SKEW_MS = 5 * 60_000;

export function withinMs(within: string): number {
  return parseDuration(within) ?? 0;
}

/** "@bob or @carol" / "members of @craton-co/release-managers". */
export function describeFrom(from: string[] | string): string {
  if (typeof from === 'string') return `members of ${from}`;
  const logins = from.map((l) => `@${l.replace(/^@/, '')}`);
  return logins.length <= 1 ? (logins[0] ?? 'nobody') : `${logins.slice(0, -1).join(', ')} or ${logins.at(-1)}`;
}

export interface CheckContext {
  planDigest: string;
  runbookId: string;
  config: ApprovalConfig;
  operator: { login?: string; fingerprint: string };
  /** The SSH signing keys GitHub lists for a login (one request per login). */
  keysFor: (login: string) => Promise<string[]>;
  /** Authenticated, for team membership. */
  gh: TeamGithub;
  now?: Date;
}

/** Why `login` may not approve under `from`, or undefined when they may (a team is asked of GitHub). */
export async function notInFrom(
  ctx: Pick<CheckContext, 'gh'> & { config: Pick<ApprovalConfig, 'from'> },
  login: string,
): Promise<string | undefined> {
  const { from } = ctx.config;
  if (Array.isArray(from)) {
    if (from.some((l) => l.replace(/^@/, '').toLowerCase() === login.toLowerCase())) return undefined;
    return `@${login} is not one of those who may approve (${describeFrom(from)})`;
  }
  const [org, team] = from.slice(1).split('/') as [string, string];
  try {
    const { data } = await ctx.gh.request('GET /orgs/{org}/teams/{team_slug}/memberships/{username}', {
      params: { org, team_slug: team, username: login },
    });
    const state = (data as { state?: unknown } | null)?.state;
    return state === 'active'
      ? undefined
      : `@${login}'s membership of ${from} is ${typeof state === 'string' ? state : 'not active'}, not active`;
  } catch (error) {
    if (error instanceof GithubStatusError && error.status === 404) return `@${login} is not a member of ${from} (GitHub says so)`;
    return `whether @${login} is a member of ${from} could not be asked of GitHub: ${errorReason(error)}`;
  }
}

async function onGithub(ctx: CheckContext, login: string, key: SshPublicKey, armored: string, data: Buffer): Promise<string | undefined> {
  let lines: string[];
  try {
    lines = await ctx.keysFor(login);
  } catch (error) {
    return `@${login}'s SSH signing keys could not be read from GitHub: ${errorReason(error)}`;
  }
  const keys = lines.map(parsePublicKeyLine).filter((k): k is SshPublicKey => k !== undefined);
  if (!keys.some((k) => k.fingerprint === key.fingerprint))
    return `SSH key ${key.fingerprint} is not one of @${login}'s GitHub SSH signing keys`;
  // Once more as an auditor would: against the allowed-signers lines GitHub's answer makes.
  const allowed = keys.map((k) => `${login} namespaces="${APPROVAL_NAMESPACE}" ${k.line}`).join('\n') + '\n';
  const good = await sshVerify({ allowedSigners: allowed, principal: login, armored, data, namespace: APPROVAL_NAMESPACE });
  return good.ok ? undefined : `ssh-keygen refused the signature for @${login}: ${good.message}`;
}

/** Checks one approval file; the entry to embed, or why it does not count. */
export async function checkApproval(
  ctx: CheckContext,
  file: string,
  text: string | Envelope,
): Promise<{ entry: ApprovalEntry } | { reason: string }> {
  const opened = await openDocument(text, APPROVAL_TYPE, approvalSchema);
  const who = opened.payload?.approver && GITHUB_LOGIN.test(opened.payload.approver) ? `@${opened.payload.approver}` : 'someone';
  if (!opened.ok) return { reason: `${who}: ${opened.reason}` };
  const { payload, key } = opened;
  const login = payload.approver;
  if (!GITHUB_LOGIN.test(login)) return { reason: `${JSON.stringify(login)} is not a GitHub login` };
  if (payload.planDigest !== ctx.planDigest)
    return { reason: `@${login} approved another plan (${payload.planDigest}), not this one (${ctx.planDigest})` };
  if (payload.runbook.id !== ctx.runbookId) return { reason: `@${login} approved runbook ${payload.runbook.id}, not ${ctx.runbookId}` };
  if (ctx.operator.login && login.toLowerCase() === ctx.operator.login.toLowerCase())
    return { reason: `@${login} is the operator: nobody approves their own run` };
  if (key.fingerprint === ctx.operator.fingerprint)
    return { reason: `@${login}'s approval is signed with the operator's own SSH key ${key.fingerprint}: nobody approves their own run` };
  const now = (ctx.now ?? new Date()).getTime();
  const at = Date.parse(payload.at);
  const when = payload.at.replace(/\.\d+Z$/, 'Z');
  if (at > now + SKEW_MS) return { reason: `@${login}'s approval is dated ${when}, in the future` };
  if (now - at > withinMs(ctx.config.within))
    return { reason: `@${login}'s approval of ${when} is older than ${ctx.config.within} (approval.within): it has expired` };
  const outside = await notInFrom(ctx, login);
  if (outside) return { reason: outside };
  const notTheirs = await onGithub(ctx, login, key, opened.armored, opened.data);
  if (notTheirs) return { reason: notTheirs };
  return { entry: { approver: login, at: payload.at, fingerprint: key.fingerprint, file, envelope: opened.envelope } };
}

/** Every approval file of the plan's folder, checked; one approval per approver counts. */
export async function countApprovals(ctx: CheckContext, files: { file: string; text: string }[]): Promise<Counted> {
  const counted: ApprovalEntry[] = [];
  const ignored: Ignored[] = [];
  for (const { file, text } of files) {
    const verdict = await checkApproval(ctx, file, text);
    if ('reason' in verdict) ignored.push({ file, reason: verdict.reason });
    else if (!counted.some((c) => c.approver.toLowerCase() === verdict.entry.approver.toLowerCase())) counted.push(verdict.entry);
  }
  return { counted, ignored };
}
