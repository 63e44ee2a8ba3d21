// An outbox entry is a file anyone with the operator's account could have edited: before it is sent,
// its record must still verify with this machine's record key, and its destination must be one the
// operator's settings allow now — a GitHub host they chose, a repository name, and a path inside
// `<records path>/<the record's own runbook id>/`, never `.github/` (where a file becomes a workflow).
import { isChosenHost, originOf } from '../github/hosts';
import { localPublicKeys } from '../record/keys';
import { verifyRecord } from '../record/verify';
import { REPO_NAME } from '../runbook/schema';
import type { OutboxEntry } from './outbox';
import { recordsPathProblem } from './target';

/** Why the entry must not be sent, in one sentence's tail, or undefined when it may go. */
export async function outboxEntryProblem(entry: OutboxEntry, keys?: Awaited<ReturnType<typeof localPublicKeys>>): Promise<string | undefined> {
  if (typeof entry.repo !== 'string' || !REPO_NAME.test(entry.repo)) return `its repository ${JSON.stringify(entry.repo)} is not OWNER/REPO`;
  if (typeof entry.apiUrl !== 'string' || !isChosenHost(entry.apiUrl)) {
    return `its GitHub API ${originOf(String(entry.apiUrl)) ?? JSON.stringify(entry.apiUrl)} is not a host you chose (--github-api, HANDRAIL_GITHUB_API or github_hosts in config.yaml)`;
  }
  const outcome = verifyRecord(Buffer.from(entry.record, 'base64').toString('utf8'), keys ?? (await localPublicKeys()));
  if (!outcome.ok) return `its record does not verify with this machine's record key (${outcome.reason.replace(/\.$/, '')})`;
  const id = outcome.statement.predicate.runbook.id;
  const parts = typeof entry.path === 'string' ? entry.path.split('/') : [];
  const file = parts.pop();
  const runbook = parts.pop();
  const folder = parts.join('/');
  if (!file || !/^[^/\\]+\.json$/.test(file) || runbook !== id || recordsPathProblem(folder) !== undefined) {
    return `its path ${JSON.stringify(entry.path)} is not <records path>/${id}/<record>.json in an allowed folder`;
  }
  return undefined;
}
