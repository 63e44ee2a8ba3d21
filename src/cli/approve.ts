// `handrail approve OWNER/REPO [RUNBOOK-ID]`, on the approver's machine (SPEC §6.6): lists the plans
// waiting for approval, shows the chosen one in full, asks for the runbook id typed as an explicit
// yes, signs with the approver's SSH signing key (namespace handrail-approval) and commits the
// approval beside the request. Full screen for the plan on a terminal; `--plain` (or no terminal)
// prints it and asks line by line.
import { createInterface } from 'node:readline';
import { errorReason, HandrailError, UsageError } from '../core/errors';
import { githubApiUrl } from '../github/api-url';
import { githubKeyCache } from '../record/identity';
import { planDigest } from '../core/plan';
import { findSshIdentity } from '../record/ssh-identity';
import { parsePublicKeyLine } from '../record/ssh-format';
import { findCredential, NO_TOKEN_ADVICE } from '../team/auth';
import { splitRepo, teamGithub, type TeamGithub } from '../team/github';
import { listTree } from '../team/read';
import { putFile } from '../team/put';
import { terminalSafeLine } from '../core/terminal-safe';
import { wrapText } from '../core/wrap';
import {
  APPROVAL_TYPE,
  REQUEST_TYPE,
  approvalFileName,
  isRequestName,
  openDocument,
  requestSchema,
  signDocument,
  type Approval,
  type ApprovalRequest,
} from '../approval/document';
import { listRequests } from '../approval/repo';
import { notInFrom } from '../approval/check';
import { operatorOf, reviewLines, summaryLines } from '../approval/review';
import { page } from '../approval/pager';

export interface ApproveOptions {
  path?: string;
  plain?: boolean;
  githubApi?: string;
}

interface Waiting {
  folder: string;
  location: string;
  request: ApprovalRequest;
  operatorKey: string;
  approvedBy: string[];
}

/** Lines typed on stdin, one at a time, with a prompt; undefined at the end of input. */
function lineReader(out: NodeJS.WriteStream) {
  const rl = createInterface({ input: process.stdin, terminal: false });
  const queue: string[] = [];
  const waiters: ((line: string | undefined) => void)[] = [];
  let closed = false;
  rl.on('line', (line) => (waiters.length ? waiters.shift()!(line) : queue.push(line)));
  rl.on('close', () => {
    closed = true;
    for (const w of waiters.splice(0)) w(undefined);
  });
  return {
    ask(prompt: string): Promise<string | undefined> {
      out.write(prompt);
      if (queue.length) return Promise.resolve(queue.shift());
      if (closed) return Promise.resolve(undefined);
      return new Promise((resolve) => waiters.push(resolve));
    },
    close: () => rl.close(),
  };
}

/** Requests that are open, verify, and name the plan their folder is named after; the newest per plan. */
async function waitingPlans(
  gh: TeamGithub,
  repo: string,
  path: string,
  runbookId: string | undefined,
  say: (line: string) => void,
): Promise<Waiting[]> {
  const now = Date.now();
  const out: Waiting[] = [];
  const tree = (await listTree(gh, repo, runbookId ? `${path}/${runbookId}` : path)).files;
  for (const { folder, requests } of await listRequests(gh, repo, path, runbookId)) {
    let best: Waiting | undefined;
    for (const r of requests) {
      const opened = await openDocument(r.text, REQUEST_TYPE, requestSchema);
      if (!opened.ok) {
        say(`Not offered: ${repo}:${r.path}: ${opened.reason}.`);
        continue;
      }
      const p = opened.payload;
      if (planDigest(p.plan) !== p.planDigest || !folder.endsWith(p.planDigest.replace(/^sha256:/, ''))) {
        say(`Not offered: ${repo}:${r.path}: its plan does not match the digest it names.`);
        continue;
      }
      if (Date.parse(p.openUntil) <= now || (best && best.request.requestedAt > p.requestedAt)) continue;
      const approvedBy = tree
        .filter((f) => f.path.startsWith(`${folder}/`) && !isRequestName(f.name))
        .map((f) => `@${f.name.replace(/-\d{8}T\d{6}Z\.json$/, '')}`);
      best = { folder, location: `${repo}:${r.path}`, request: p, operatorKey: opened.key.line, approvedBy: [...new Set(approvedBy)] };
    }
    if (best) out.push(best);
  }
  return out.sort((a, b) => (a.request.requestedAt < b.request.requestedAt ? 1 : -1));
}

/** Whose key signed the request, in words, checked against GitHub. */
async function signedBy(w: Waiting, apiUrl: string): Promise<string> {
  const key = parsePublicKeyLine(w.operatorKey)!;
  const login = w.request.operator.login;
  if (!login) return `signed with SSH key ${key.fingerprint}; it names no GitHub login to check it against`;
  try {
    const keys = (await githubKeyCache(apiUrl)(login)).map(parsePublicKeyLine);
    return keys.some((k) => k?.fingerprint === key.fingerprint)
      ? `signed by @${login}, GitHub SSH signing key ${key.fingerprint}`
      : `NOT @${login}'s: signed with SSH key ${key.fingerprint}, which GitHub does not list for @${login}`;
  } catch (error) {
    return `signed with SSH key ${key.fingerprint}; GitHub could not be asked whose it is (${errorReason(error)})`;
  }
}

export async function approveCommand(repoName: string, runbookId: string | undefined, options: ApproveOptions): Promise<number> {
  const { owner, repo } = splitRepo(repoName);
  const path = options.path ?? 'records';
  const apiUrl = githubApiUrl({ flag: options.githubApi });
  const out = process.stdout;
  // Wrapped at words on a terminal; one line per sentence into a file or a pipe.
  const say = (line: string) => out.write(`${wrapText(terminalSafeLine(line), out.isTTY ? out.columns || 80 : Infinity).join('\n')}\n`);
  const credential = await findCredential(undefined);
  if (!credential) throw new UsageError(`reading ${repoName} and committing an approval needs a GitHub token: ${NO_TOKEN_ADVICE}.`);
  const gh = teamGithub(apiUrl, credential, { use: 'reading plans and committing the approval' });
  const identity = await findSshIdentity();
  if (identity.status === 'none')
    throw new UsageError(
      `an approval is signed with your SSH signing key, and ${identity.setup.replace(/^records are not signed as you: /, 'none is set up: ')}`,
    );
  if (identity.status === 'problem') throw new UsageError(identity.message);
  const { data } = await gh.request('GET /user');
  const login = String((data as { login?: unknown }).login ?? '');

  const plans = await waitingPlans(gh, `${owner}/${repo}`, path, runbookId, say);
  if (plans.length === 0) {
    say(`No plan waits for approval in ${repoName}${runbookId ? ` for ${runbookId}` : ''}.`);
    return 0;
  }
  say(`Plans waiting for approval in ${repoName} (you are @${login}):`);
  plans.forEach((w, i) => summaryLines(w.request, i, w.approvedBy).forEach((l) => out.write(`${l}\n`)));
  const screen = !options.plain && process.stdin.isTTY === true && out.isTTY === true;
  let lines = lineReader(out);
  try {
    const picked = await lines.ask(`Review which plan? (1-${plans.length}, or Enter to leave): `);
    const chosen = plans[Number(picked?.trim()) - 1];
    if (!chosen) {
      say('Nothing approved.');
      return 0;
    }
    const r = chosen.request;
    if (
      (r.operator.login && r.operator.login.toLowerCase() === login.toLowerCase()) ||
      r.operator.fingerprint === identity.signer.key.fingerprint
    )
      throw new HandrailError(`you are the operator of this run (${operatorOf(r)}); someone else must approve it.`);
    // Said before the plan is read, not after it is signed: an approval from outside `from` never counts.
    const outside = await notInFrom({ gh, config: { from: r.approval.from } }, login);
    if (outside) throw new HandrailError(`${outside}, so your approval would not count; nothing was signed.`);
    const review = reviewLines(
      r,
      { location: chosen.location, signedBy: await signedBy(chosen, apiUrl), approvedBy: chosen.approvedBy },
      out.isTTY ? out.columns || 80 : Infinity,
    );
    if (screen) {
      lines.close();
      const choice = await page(review, process.stdin, out);
      lines = lineReader(out);
      if (choice === 'quit') {
        say('Nothing approved.');
        return 0;
      }
    } else {
      for (const l of review) out.write(`${l}\n`);
    }
    say(`You approve the plan of ${r.runbook.id} ${r.runbook.version}, run by ${operatorOf(r)},`);
    say(`  ${r.planDigest}`);
    say(`as @${login}, signing with SSH key ${identity.signer.key.fingerprint}.`);
    const typed = await lines.ask(`Type ${r.runbook.id} to approve, or press Enter to leave it: `);
    if (typed?.trim() !== r.runbook.id) {
      say(typed?.trim() ? `"${typed.trim()}" is not ${r.runbook.id}: nothing approved.` : 'Nothing approved.');
      return typed?.trim() ? 1 : 0;
    }
    const approval: Approval = {
      planDigest: r.planDigest,
      runbook: { id: r.runbook.id, version: r.runbook.version },
      approver: login,
      at: new Date().toISOString(),
    };
    const text = await signDocument(APPROVAL_TYPE, approval, identity.signer);
    const put = await putFile(
      gh,
      `${owner}/${repo}`,
      `${chosen.folder}/${approvalFileName(login, approval.at)}`,
      Buffer.from(text, 'utf8'),
      `${r.runbook.id} ${r.runbook.version}: @${login} approves plan ${r.planDigest}`,
    );
    say(`Approved: committed ${repoName}:${put.path}.`);
    say(`${operatorOf(r)}'s waiting run starts by itself once enough approvals count.`);
    return 0;
  } finally {
    lines.close();
  }
}
