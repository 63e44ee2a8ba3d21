// Which GitHub API a run talks to, checked before anything runs. Kept apart from the client so
// that resolving it never loads octokit.
import { UsageError } from '../errors';

export const DEFAULT_GITHUB_API = 'https://api.github.com';

export function githubApiUrl(options: { flag?: string; env?: NodeJS.ProcessEnv; runbook?: string }): string {
  const env = (options.env ?? process.env).HANDRAIL_GITHUB_API;
  const url = options.flag || env || options.runbook || DEFAULT_GITHUB_API;
  // A typo here would otherwise surface as a confusing token or network failure mid-run.
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    const from = options.flag ? '--github-api' : env ? 'HANDRAIL_GITHUB_API' : 'github.api in the runbook';
    throw new UsageError(`${from} is not an http(s) URL: ${url}; give the API base, e.g. https://api.github.com.`);
  }
  return url.replace(/\/+$/, '');
}
