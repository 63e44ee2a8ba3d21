// Publishing a finished run's record (SPEC §6.2). Never changes the run's outcome and never loses
// the record: whatever goes wrong, the record waits in the outbox.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Predicate } from '../record/predicate';
import { operatorName } from '../record/read';
import type { Credential } from '../github/credential';
import { localPublicKeys } from '../record/keys';
import { findCredential, NO_TOKEN_ADVICE } from './auth';
import { teamGithub } from './github';
import { enqueue, listOutbox, removeEntry, type OutboxEntry } from './outbox';
import { outboxEntryProblem, sealEntry } from './outbox-check';
import { putFile } from './put';
import { recordRepoPath, type RecordsTarget } from './target';
import { errorReason } from '../core/errors';

export interface Published {
  ok: boolean;
  /** One sentence for the end screen. */
  message: string;
}

/** The commit message: runbook, mode, outcome, operator. */
export function commitMessage(p: Pick<Predicate, 'runbook' | 'mode' | 'outcome' | 'operator'>): string {
  return `${p.runbook.id} ${p.runbook.version}: ${p.mode} run ${p.outcome}, by ${operatorName(p)}`;
}

export async function publishRecord(options: {
  target: RecordsTarget;
  apiUrl: string;
  localPath: string;
  predicate: Pick<Predicate, 'runbook' | 'mode' | 'outcome' | 'operator'>;
  /** The run's own token, when its records secret was resolved during the run. */
  credential?: Credential;
  state?: string;
}): Promise<Published> {
  const { target, apiUrl, localPath, predicate } = options;
  const bytes = readFileSync(localPath);
  const path = recordRepoPath(target, predicate.runbook.id, basename(localPath));
  const entry: OutboxEntry = {
    format: 1,
    repo: target.repo,
    path,
    apiUrl,
    message: commitMessage(predicate),
    ...(target.token ? { token: target.token } : {}),
    localPath,
    record: bytes.toString('base64'),
    queuedAt: new Date().toISOString(),
    lastError: '',
  };
  const sent = await send(entry, options.credential);
  if (sent.ok) return { ok: true, message: `Published to ${target.repo}: ${sent.path}` };
  try {
    enqueue(await sealEntry({ ...entry, lastError: sent.error }), options.state);
  } catch (error) {
    // The outbox could not take it (a full disk): the record itself is still where it was written.
    const why = errorReason(error);
    return {
      ok: false,
      message: `Not published to ${target.repo} (${sent.error}), and the outbox could not keep it (${why}); the record is kept at ${localPath}.`,
    };
  }
  return {
    ok: false,
    message: `Not published to ${target.repo} (${sent.error}); it waits in the outbox — \`handrail records publish\` sends it.`,
  };
}

/** One credential, the first by the documented order: a rejection is reported, never retried with another token. */
async function send(
  entry: OutboxEntry,
  runCredential?: Credential,
): Promise<{ ok: true; already: boolean; path: string } | { ok: false; error: string }> {
  const credential = runCredential ?? (await findCredential(entry.token));
  if (!credential) return { ok: false, error: `no GitHub token: ${NO_TOKEN_ADVICE}` };
  try {
    const gh = teamGithub(entry.apiUrl, credential, { use: "the team's records" });
    const result = await putFile(gh, entry.repo, entry.path, Buffer.from(entry.record, 'base64'), entry.message);
    return { ok: true, already: result.outcome === 'already-there', path: result.path };
  } catch (error) {
    return { ok: false, error: errorReason(error) };
  }
}

/** `handrail records publish`: sends every waiting record, keeping those that fail. */
export async function publishOutbox(options: {
  state?: string;
  onLine: (line: string) => void;
}): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  const keys = await localPublicKeys();
  for (const { file, entry } of listOutbox(options.state)) {
    const problem = await outboxEntryProblem(entry, keys);
    if (problem) {
      // Left as it is, for the operator to look at: an edited entry is never sent, nor silently dropped.
      failed += 1;
      options.onLine(`not sent: ${file} was changed since its run queued it — ${problem}; look at it, then remove it`);
      continue;
    }
    const result = await send(entry);
    if (result.ok) {
      removeEntry(file);
      sent += 1;
      options.onLine(`${result.already ? 'already there' : 'published'}: ${entry.repo} ${result.path}`);
    } else {
      failed += 1;
      enqueue({ ...entry, lastError: result.error }, options.state);
      options.onLine(`still waiting: ${entry.repo} ${entry.path} — ${result.error}`);
    }
  }
  return { sent, failed };
}
