// An outbox entry is a file anyone with the operator's account could have edited: before it is sent,
// its record must still verify with this machine's record key, and its destination must be one the
// operator's settings allow now — a GitHub host they chose, a repository name, and a path inside
// `<records path>/<the record's own runbook id>/`, never `.github/` (where a file becomes a workflow).
import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { isChosenHost, originOf } from '../github/hosts';
import { loadSigningKey, localPublicKeys } from '../record/keys';
import { verifyRecord } from '../record/verify';
import { REPO_NAME } from '../core/schema';
import type { OutboxEntry } from './outbox';
import { recordsPathProblem } from './target';

/** What the seal covers: where the record goes, with which token and message, and the record's digest. */
function sealed(entry: OutboxEntry): Buffer {
  const digest = createHash('sha256').update(String(entry.record)).digest('hex');
  return Buffer.from(
    JSON.stringify(['handrail-outbox-v1', entry.repo, entry.path, entry.apiUrl, entry.message, entry.token ?? null, digest]),
  );
}

/**
 * The entry with a seal: this machine's record key signs its destination, so an entry whose
 * repository, path, API, message or bytes were changed afterwards is not sent. Without a record key
 * (none could be loaded) the entry is kept unsealed, and `records publish` will name it.
 */
export async function sealEntry(entry: OutboxEntry): Promise<OutboxEntry> {
  const key = await loadSigningKey({ create: false }).catch(() => undefined);
  return key ? { ...entry, seal: sign(null, sealed(entry), key.privateKey).toString('base64') } : entry;
}

function sealHolds(entry: OutboxEntry, keys: readonly { key: KeyObject }[]): boolean {
  if (typeof entry.seal !== 'string') return false;
  const signature = Buffer.from(entry.seal, 'base64');
  return keys.some(({ key }) => {
    try {
      return verify(null, sealed(entry), key, signature);
    } catch {
      return false;
    }
  });
}

/** Why the entry must not be sent, in one sentence's tail, or undefined when it may go. */
export async function outboxEntryProblem(
  entry: OutboxEntry,
  keys?: Awaited<ReturnType<typeof localPublicKeys>>,
): Promise<string | undefined> {
  if (typeof entry.repo !== 'string' || !REPO_NAME.test(entry.repo))
    return `its repository ${JSON.stringify(entry.repo)} is not OWNER/REPO`;
  if (typeof entry.apiUrl !== 'string' || !isChosenHost(entry.apiUrl)) {
    return `its GitHub API ${originOf(String(entry.apiUrl)) ?? JSON.stringify(entry.apiUrl)} is not a host you chose (--github-api, HANDRAIL_GITHUB_API or github_hosts in config.yaml)`;
  }
  const known = keys ?? (await localPublicKeys());
  const outcome = verifyRecord(Buffer.from(entry.record, 'base64').toString('utf8'), known);
  if (!outcome.ok) return `its record does not verify with this machine's record key (${outcome.reason.replace(/\.$/, '')})`;
  const id = outcome.statement.predicate.runbook.id;
  const parts = typeof entry.path === 'string' ? entry.path.split('/') : [];
  const file = parts.pop();
  const runbook = parts.pop();
  const folder = parts.join('/');
  if (!file || !/^[^/\\]+\.json$/.test(file) || runbook !== id || recordsPathProblem(folder) !== undefined) {
    return `its path ${JSON.stringify(entry.path)} is not <records path>/${id}/<record>.json in an allowed folder`;
  }
  if (!sealHolds(entry, known)) return "its repository, path, API or message is not what its run sealed with this machine's record key";
  return undefined;
}
