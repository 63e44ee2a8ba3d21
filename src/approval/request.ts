// The operator's side before waiting (SPEC §6.6): who the operator is (GitHub login and SSH key), the
// approval request for the plan, and publishing it beside the plan's approvals — once per plan while
// it is open, so running again does not pile up requests.
import { hostname, userInfo } from 'node:os';
import { errorReason, HandrailError, UsageError } from '../core/errors';
import type { Runbook } from '../core/model';
import { findSshIdentity, type SshSigner } from '../record/ssh-identity';
import type { TeamGithub } from '../team/github';
import { putFile } from '../team/put';
import type { RecordsTarget } from '../team/target';
import { withinMs, type ApprovalConfig } from './check';
import { REQUEST_TYPE, openDocument, requestSchema, signDocument, type ApprovalRequest } from './document';
import type { RehearsalPlan, RepoText } from './repo';

export interface Operator {
  login?: string;
  signer: SshSigner;
}

/** The operator's SSH signing key (it signs the request) and GitHub login (from the records token). */
export async function findOperator(gh: TeamGithub): Promise<Operator> {
  const identity = await findSshIdentity();
  if (identity.status === 'none')
    throw new UsageError(
      `an approval request is signed with your SSH signing key, and ${identity.setup.replace(/^records are not signed as you: /, 'none is set up: ')}`,
    );
  if (identity.status === 'problem') throw new UsageError(identity.message);
  let login: string | undefined;
  try {
    const { data } = await gh.request('GET /user');
    const named = (data as { login?: unknown } | null)?.login;
    if (typeof named === 'string') login = named;
  } catch {
    // Without a login the operator is still known by key: self-approval is refused by key alone.
  }
  return { signer: identity.signer, ...(login ? { login } : {}) };
}

function user(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

export function buildRequest(
  runbook: Runbook,
  plan: RehearsalPlan,
  operator: Operator,
  config: ApprovalConfig,
  ref: { recordSha256: string; location: string },
  drift: string[],
  now = new Date(),
): ApprovalRequest {
  const p = plan.predicate;
  return {
    runbook: { id: runbook.meta.id, title: runbook.meta.title, version: runbook.meta.version, sha256: runbook.sha256 },
    planDigest: plan.digest,
    plan: plan.plan,
    rehearsal: {
      recordSha256: ref.recordSha256,
      location: ref.location,
      operator: p.operator.githubLogin ? `@${p.operator.githubLogin}` : `${p.operator.user}@${p.operator.host}`,
      at: p.end,
      outcome: p.outcome,
      steps: p.steps.map((s) => ({ id: s.id, title: s.title, status: s.status, ...(s.output?.tail ? { tail: s.output.tail } : {}) })),
    },
    operator: {
      ...(operator.login ? { login: operator.login } : {}),
      user: user(),
      host: hostname(),
      fingerprint: operator.signer.key.fingerprint,
    },
    approval: { required: config.required, from: config.from, within: config.within },
    requestedAt: now.toISOString(),
    openUntil: new Date(now.getTime() + withinMs(config.within)).toISOString(),
    drift,
  };
}

/** An open request of this plan signed by this operator's key, already in the folder. */
export async function openRequestBy(requests: RepoText[], fingerprint: string, now = new Date()): Promise<RepoText | undefined> {
  for (const request of requests) {
    const opened = await openDocument(request.text, REQUEST_TYPE, requestSchema);
    if (opened.ok && opened.key.fingerprint === fingerprint && Date.parse(opened.payload.openUntil) > now.getTime()) return request;
  }
  return undefined;
}

/** Signs and commits the request as `<folder>/request.json` (or `request-2.json`, … beside older ones). */
export async function publishRequest(
  gh: TeamGithub,
  target: RecordsTarget,
  folder: string,
  request: ApprovalRequest,
  signer: SshSigner,
): Promise<string> {
  const text = await signDocument(REQUEST_TYPE, request, signer);
  const who = request.operator.login ? `@${request.operator.login}` : `${request.operator.user}@${request.operator.host}`;
  try {
    const put = await putFile(
      gh,
      target.repo,
      `${folder}/request.json`,
      Buffer.from(text, 'utf8'),
      `${request.runbook.id} ${request.runbook.version}: ${who} asks for approval of plan ${request.planDigest}`,
    );
    return put.path;
  } catch (error) {
    throw new HandrailError(`the approval request could not be published to ${target.repo}: ${errorReason(error)}; nothing was run.`);
  }
}
