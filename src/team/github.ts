// A small GitHub client for the team layer (records repository, status comment): one request
// function over @octokit/rest that turns every failure into a sentence an operator can act on.
import { HandrailError } from '../errors';
import type { Credential, OctokitLikeError } from '../github/client';
import { assertChosenHost } from '../github/hosts';
import { networkError, responseError } from '../github/errors';
import { REPO_NAME } from '../runbook/schema';

export interface TeamGithub {
  baseUrl: string;
  /** Sends `METHOD /path`; resolves for 2xx and 304, throws HandrailError otherwise. */
  request(
    route: string,
    options?: { data?: unknown; headers?: Record<string, string>; params?: Record<string, string | number>; signal?: AbortSignal },
  ): Promise<{ status: number; data: unknown; headers: Record<string, string | undefined> }>;
}

/** Thrown with the HTTP status, so callers can tell a conflict (409) or absence (404) from the rest. */
export class GithubStatusError extends HandrailError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'GithubStatusError';
  }
}

const TIMEOUT_MS = 15_000;

/** `use` says what the token is for, with its source, before it is first sent: "the team's records". */
export function teamGithub(baseUrl: string, credential: Credential | undefined, options: { use?: string; timeoutMs?: number } = {}): TeamGithub {
  const base = baseUrl.replace(/\/+$/, '');
  // Refused here, as making the client would: the client itself (@octokit, a fifth of what a run loads
  // at start-up) is loaded at the first request, so a run that sends none never loads it.
  assertChosenHost(base, `This request to ${base}`);
  let client: Promise<typeof import('../github/client')> | undefined;
  let octokit: ReturnType<typeof import('../github/client').githubOctokit> | undefined;
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  const use = options.use;
  return {
    baseUrl: base,
    async request(route, options = {}) {
      const { githubOctokit, headersOf, hostRefusal, rejectionOptions } = await (client ??= import('../github/client'));
      octokit ??= githubOctokit({ baseUrl: base, ...(credential ? { credential } : {}), ...(use ? { use } : {}) });
      const shown = route.replace(/\{(\w+)\}/g, (_, name: string) => String(options.params?.[name] ?? `{${name}}`));
      try {
        const response = await octokit.request(route, {
          ...options.params,
          ...(options.data !== undefined ? { data: options.data } : {}),
          headers: options.headers ?? {},
          request: { signal: options.signal ? AbortSignal.any([AbortSignal.timeout(timeoutMs), options.signal]) : AbortSignal.timeout(timeoutMs) },
        });
        return { status: response.status, data: response.data, headers: headersOf(response.headers as Record<string, string | number | undefined>) };
      } catch (caught) {
        const error = caught as OctokitLikeError;
        const refused = hostRefusal(error);
        if (refused) throw refused;
        if (error?.response?.status === 304 || error?.status === 304) {
          return { status: 304, data: undefined, headers: headersOf(error.response?.headers) };
        }
        if (!error?.response) throw networkError(shown, base, error?.message ?? String(caught));
        const failed = responseError(shown, { status: error.response.status, headers: headersOf(error.response.headers), data: error.response.data }, rejectionOptions(credential));
        throw new GithubStatusError(failed.message, error.response.status);
      }
    },
  };
}

/** `OWNER/REPO` split, or a usage error naming where it came from. */
export function splitRepo(repo: string): { owner: string; repo: string } {
  if (!REPO_NAME.test(repo)) throw new HandrailError(`"${repo}" is not a repository; write it as OWNER/REPO.`, 2);
  const [owner, name] = repo.split('/') as [string, string];
  return { owner, repo: name };
}
