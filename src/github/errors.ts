// GitHub failures as one sentence an operator can act on; the raw response stays out of sight. Every
// client's failed request comes here (failedResponse), so each failure reads the same wherever it
// happened. Loads no octokit: checking signing keys offline must not pay for it.
import { HandrailError } from '../core/errors';
import { howToTrust, originOf } from './hosts';
import { REJECTED_TOKEN_ADVICE, RUNBOOK_TOKEN_ADVICE } from '../core/token-advice';

/** A failed response, with its HTTP status, so callers can tell a conflict (409) or absence (404) from the rest. */
export class GithubStatusError extends HandrailError {
  constructor(
    what: string,
    readonly status: number,
    fix?: string,
  ) {
    super(what, fix === undefined ? {} : { fix });
    this.name = 'GithubStatusError';
  }
}

export interface FailedResponse {
  status: number;
  headers: Record<string, string | undefined>;
  data: unknown;
}

/** What octokit throws: a non-2xx answer (with `response`), or no answer (with the fetch error as `cause`). */
export interface OctokitLikeError {
  status?: number;
  message?: string;
  name?: string;
  cause?: unknown;
  response?: { status: number; headers: Record<string, string | number | undefined>; data: unknown };
}

export class HostNotChosenError extends HandrailError {
  constructor(url: string) {
    super(`handrail sends nothing to ${originOf(url) ?? url}, a GitHub API host you have not chosen; ${howToTrust(url)}.`, 2);
    this.name = 'HostNotChosenError';
  }
}

/**
 * No answer handrail asks GitHub for comes near this (a recursive tree of 100 000 entries does not):
 * a larger one is cut off where it passes the bound, so a hostile or broken host cannot fill memory.
 */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** A request asks for a tighter bound on its answer with this header; the client removes it before sending. */
export const MAX_BYTES_HEADER = 'x-handrail-max-response-bytes';

/** An answer larger than the request allows: cut off unread past the bound, whatever it said its size was. */
export class ResponseTooLargeError extends HandrailError {
  constructor(
    url: string,
    readonly maxBytes: number,
  ) {
    super(
      `GitHub's answer from ${originOf(url) ?? url} is larger than ${mebibytes(maxBytes)}, more than handrail reads for this request; it was not used.`,
    );
    this.name = 'ResponseTooLargeError';
  }
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Response headers with lower-case names and string values. */
export function headersOf(raw: Record<string, string | number | undefined> | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(raw ?? {})) out[k.toLowerCase()] = v === undefined ? undefined : String(v);
  return out;
}

/**
 * What GitHub answered to a request octokit failed, for the caller to judge (a 304, a step's expected
 * status, a 404 it words itself, else responseError). Without an answer it throws the one sentence: a
 * host refused before sending, the caller's `signal` stopping it, or the network.
 */
export function failedResponse(
  caught: unknown,
  request: string,
  baseUrl: string,
  options: { signal?: AbortSignal | undefined } = {},
): FailedResponse {
  const error = caught as OctokitLikeError | undefined;
  if (error?.cause instanceof HostNotChosenError || error?.cause instanceof ResponseTooLargeError) throw error.cause;
  // The client's own time limit (AbortSignal.timeout) arrives wrapped by octokit, as the cause.
  const cause = (error as { cause?: { name?: unknown } } | undefined)?.cause;
  if (error?.name === 'TimeoutError' || cause?.name === 'TimeoutError')
    throw new HandrailError(`GitHub did not answer ${request} in time (${baseUrl}); check the network or --github-api, then try again.`);
  if (options.signal?.aborted || error?.name === 'AbortError')
    throw new HandrailError(`${request} was stopped before GitHub answered (timeout or abort).`);
  if (!error?.response) throw networkError(request, baseUrl, error?.message ?? String(caught));
  return { status: error.response.status, headers: headersOf(error.response.headers), data: error.response.data };
}

function githubMessage(data: unknown): string | undefined {
  if (data && typeof data === 'object' && 'message' in data && typeof data.message === 'string') {
    return data.message.split('\n')[0].replace(/\.$/, '');
  }
  return undefined;
}

function resetTime(headers: Record<string, string | undefined>, now: Date): string {
  const retryAfter = Number(headers['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter > 0) return `in ${retryAfter}s`;
  const reset = Number(headers['x-ratelimit-reset']);
  if (!Number.isFinite(reset) || reset <= 0) return 'later';
  const when = new Date(reset * 1000);
  const minutes = Math.max(0, Math.ceil((when.getTime() - now.getTime()) / 60_000));
  return `at ${when.toISOString().replace(/\.\d{3}Z$/, 'Z')} (in ${minutes} min)`;
}

/**
 * `request` is what was sent, e.g. `GET /user`; the sentence names it. `source` (where the token came
 * from) and `fix` (what to do about that token) name the one credential that was sent: handrail never
 * tries another token after a rejection (SPEC §5.1). Without a `fix`, a rejection gives the generic
 * REJECTED_TOKEN_ADVICE.
 */
export function responseError(
  request: string,
  response: FailedResponse,
  options: { hasToken: boolean; source?: string; fix?: string; now?: Date },
): GithubStatusError {
  const now = options.now ?? new Date();
  const from = options.source ? ` from ${options.source}` : '';
  const { status, headers } = response;
  const failed = (what: string, fix?: string) => new GithubStatusError(what, status, fix);
  const message = githubMessage(response.data);
  if (status === 429 || ((status === 403 || status === 429) && headers['x-ratelimit-remaining'] === '0')) {
    return failed(`GitHub's rate limit is used up (${request})`, `it resets ${resetTime(headers, now)} — retry then`);
  }
  if (status === 401 && !options.hasToken) return failed(`GitHub needs a token for ${request} (401)`, RUNBOOK_TOKEN_ADVICE);
  if (status === 401)
    return failed(
      `GitHub rejected the token${from} (401 ${message ?? 'Bad credentials'}) for ${request}`,
      options.fix ?? REJECTED_TOKEN_ADVICE,
    );
  const sso = headers['x-github-sso'];
  if (status === 403 && sso) {
    const url = /url=(\S+)/.exec(sso)?.[1];
    return failed(
      `The organisation requires SAML SSO for this token (${request})`,
      `authorise the token${url ? ` at ${url}` : ' for the organisation in GitHub settings'}, then retry`,
    );
  }
  // For 403 and 404 the advice says what may be wrong, then the token's own fix when it has one.
  const tokenFix = options.fix ? `: ${options.fix}` : '';
  if (status === 403)
    return failed(
      `GitHub refused ${request} (403${message ? ` ${message}` : ''})`,
      `the token${from} lacks a permission or scope this needs${tokenFix}`,
    );
  if (status === 404) {
    return failed(
      `GitHub found nothing at ${request} (404${message && message !== 'Not Found' ? ` ${message}` : ''})`,
      `check the names, or whether the token${from} can see it${tokenFix}`,
    );
  }
  return failed(`GitHub answered ${status}${message ? ` ${message}` : ''} for ${request}.`);
}

export function networkError(request: string, baseUrl: string, cause: string): HandrailError {
  return new HandrailError(`Could not reach GitHub at ${baseUrl} for ${request} (${cause})`, { fix: 'check the network or --github-api' });
}
