// A small GitHub client for the team layer (records repository, status comment): one request
// function over @octokit/rest that turns every failure into a sentence an operator can act on.
import { HandrailError } from '../core/errors';
import type { Credential } from '../github/client';
import { assertChosenHost } from '../github/hosts';
import { failedResponse, headersOf, responseError } from '../github/errors';
export { GithubStatusError } from '../github/errors';
import { REPO_NAME } from '../core/schema';

export interface TeamGithub {
  baseUrl: string;
  /** Sends `METHOD /path`; resolves for 2xx and 304, throws HandrailError otherwise. */
  request(
    route: string,
    options?: { data?: unknown; headers?: Record<string, string>; params?: Record<string, string | number>; signal?: AbortSignal },
  ): Promise<{ status: number; data: unknown; headers: Record<string, string | undefined> }>;
}

const TIMEOUT_MS = 15_000;

/** `use` says what the token is for, with its source, before it is first sent: "the team's records". */
export function teamGithub(
  baseUrl: string,
  credential: Credential | undefined,
  options: { use?: string; timeoutMs?: number } = {},
): TeamGithub {
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
      const { githubOctokit, rejectionOptions } = await (client ??= import('../github/client'));
      octokit ??= githubOctokit({ baseUrl: base, ...(credential ? { credential } : {}), ...(use ? { use } : {}), timeoutMs });
      const shown = route.replace(/\{(\w+)\}/g, (_, name: string) => String(options.params?.[name] ?? `{${name}}`));
      try {
        const response = await octokit.request(route, {
          ...options.params,
          ...(options.data !== undefined ? { data: options.data } : {}),
          headers: options.headers ?? {},
          ...(options.signal ? { request: { signal: options.signal } } : {}),
        });
        return {
          status: response.status,
          data: response.data,
          headers: headersOf(response.headers as Record<string, string | number | undefined>),
        };
      } catch (caught) {
        // Not modified: octokit throws on 304, but for a conditional request it is an answer.
        if ((caught as { status?: unknown } | undefined)?.status === 304 && !(caught as { response?: unknown }).response)
          return { status: 304, data: undefined, headers: {} };
        const failed = failedResponse(caught, shown, base);
        if (failed.status === 304) return { status: 304, data: undefined, headers: failed.headers };
        throw responseError(shown, failed, rejectionOptions(credential));
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
