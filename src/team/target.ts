// Which repository a run's record goes to (SPEC §6.2): front matter `records:`, overridden by
// --records-repo and HANDRAIL_RECORDS_REPO. Either of those alone also publishes a runbook that has
// no `records:` — a team can point every run at its repository from the shell.
import { UsageError } from '../core/errors';
import { REPO_NAME } from '../core/schema';
import type { Runbook } from '../core/model';
import type { TokenSource } from './auth';

export interface RecordsTarget {
  repo: string;
  /** Folder in the repository; records go to `<path>/<runbook id>/<file>`. */
  path: string;
  /** The runbook's secret that authenticates publishing, when it names one. */
  token?: TokenSource;
}

export const DEFAULT_RECORDS_PATH = 'records';

export function recordsTarget(runbook: Runbook, options: { flag?: string; env?: NodeJS.ProcessEnv }): RecordsTarget | undefined {
  const envRepo = (options.env ?? process.env).HANDRAIL_RECORDS_REPO || undefined;
  const records = runbook.meta.records;
  const repo = options.flag || envRepo || records?.repo;
  if (!repo) return undefined;
  if (!REPO_NAME.test(repo)) {
    throw new UsageError(`${options.flag ? '--records-repo' : 'HANDRAIL_RECORDS_REPO'} is not OWNER/REPO: ${repo}.`);
  }
  const secret = records?.token ?? runbook.meta.github?.token;
  const spec = secret ? runbook.meta.secrets?.[secret] : undefined;
  return {
    repo,
    path: records?.path ?? DEFAULT_RECORDS_PATH,
    ...(secret && spec
      ? { token: { secret, ...(spec.env ? { env: spec.env } : {}), ...(spec.keychain ? { keychain: spec.keychain } : {}) } }
      : {}),
  };
}

/** Where a record file lands in the repository. */
export function recordRepoPath(target: Pick<RecordsTarget, 'path'>, runbookId: string, fileName: string): string {
  return `${target.path}/${runbookId}/${fileName}`;
}

export { MAX_RECORDS_PATH, recordsPathProblem } from '../core/schema';
