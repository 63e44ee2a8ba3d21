// Publishing a finished run's record (SPEC §6.2). Never changes the run's outcome and never loses
// the record: whatever goes wrong, the record waits in the outbox.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Predicate } from '../record/predicate';
import { operatorName } from '../record/read';
import { findTokens, NO_TOKEN_ADVICE } from './auth';
import { GithubStatusError, teamGithub } from './github';
import { enqueue, listOutbox, removeEntry, type OutboxEntry } from './outbox';
import { putFile } from './put';
import { recordRepoPath, type RecordsTarget } from './target';

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
  token?: string;
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
  const sent = await send(entry, options.token);
  if (sent.ok) return { ok: true, message: `Published to ${target.repo}: ${sent.path}` };
  enqueue({ ...entry, lastError: sent.error }, options.state);
  return { ok: false, message: `Not published to ${target.repo} (${sent.error}); it waits in the outbox — \`handrail records publish\` sends it.` };
}

async function send(entry: OutboxEntry, runToken?: string): Promise<{ ok: true; already: boolean; path: string } | { ok: false; error: string }> {
  const found = await findTokens(entry.token);
  const tokens = runToken ? [runToken, ...found.filter((t) => t !== runToken)] : found;
  if (tokens.length === 0) return { ok: false, error: `no GitHub token: ${NO_TOKEN_ADVICE}` };
  let failure = '';
  for (const token of tokens) {
    try {
      const result = await putFile(teamGithub(entry.apiUrl, token), entry.repo, entry.path, Buffer.from(entry.record, 'base64'), entry.message);
      return { ok: true, already: result.outcome === 'already-there', path: result.path };
    } catch (error) {
      failure = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
      // A token that cannot write there (a run's packages-only PAT): the next one may. Anything else
      // (GitHub unreachable, a conflict) would fail the same way with every token.
      if (!(error instanceof GithubStatusError && [401, 403, 404].includes(error.status))) break;
    }
  }
  return { ok: false, error: failure };
}

/** `handrail records publish`: sends every waiting record, keeping those that fail. */
export async function publishOutbox(options: { state?: string; onLine: (line: string) => void }): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  for (const { file, entry } of listOutbox(options.state)) {
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
