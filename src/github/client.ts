// The one way handrail builds a GitHub client. Every request goes through `guardedFetch`, so the
// rules of SPEC §5.1 hold for every caller, old or new: nothing is sent to a host the operator did
// not choose (even an absolute URL in a route), and a token's source and destination are announced
// before the first request that carries it.
import { Octokit } from '@octokit/rest';
import { HandrailError } from '../core/errors';
import { announceCredential, type Credential } from './credential';
import { assertChosenHost, isChosenHost, originOf } from './hosts';
import { HostNotChosenError, MAX_BYTES_HEADER, MAX_RESPONSE_BYTES, ResponseTooLargeError } from './errors';

export type { Credential } from './credential';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** GitHub redirects a renamed or moved repository once; a chain this long is not GitHub. */
const MAX_REDIRECTS = 5;

/** Octokit's logger, silenced: failures reach the operator as one sentence, never as octokit's log lines. */
const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export interface ClientOptions {
  baseUrl: string;
  /** The one token every request of this client carries, and where it came from. */
  credential?: Credential;
  /** Who asked for this API, for the refusal: "The runbook's github.api", "The outbox entry …". */
  what?: string;
  /** What the token is used for, shown with its source: "github steps", "the team's records". */
  use?: string;
  /**
   * How long one request may wait for GitHub; none by default (a github step is bounded by its own
   * `timeout=`). Applied here, per request, with the caller's own abort signal if any.
   */
  timeoutMs?: number;
}

export function githubOctokit(options: ClientOptions): Octokit {
  const base = options.baseUrl.replace(/\/+$/, '');
  assertChosenHost(base, options.what ?? `This request to ${base}`);
  const { credential } = options;
  const guardedFetch = (input: Parameters<typeof fetch>[0], init?: RequestInit, hops = 0): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    // Checked per request, not only per base URL: octokit sends a route that is an absolute URL there.
    if (!isChosenHost(url)) return Promise.reject(new HostNotChosenError(url));
    const headers = new Headers(init?.headers);
    // Announced before the first request that carries the token (SPEC §5.1); a hop without it is not.
    if (credential && headers.has('authorization'))
      announceCredential({ source: credential.source, host: originOf(url)!, ...(options.use ? { use: options.use } : {}) });
    const asked = Number(headers.get(MAX_BYTES_HEADER));
    headers.delete(MAX_BYTES_HEADER);
    const maxBytes = Number.isSafeInteger(asked) && asked > 0 ? Math.min(asked, MAX_RESPONSE_BYTES) : MAX_RESPONSE_BYTES;
    const late = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
    const signal = late && init?.signal ? AbortSignal.any([late, init.signal]) : (late ?? init?.signal);
    // Redirects are followed here, not by fetch, so each hop is held to the host rule like the first.
    return fetch(input, { ...init, headers, redirect: 'manual', ...(signal ? { signal } : {}) }).then(async (response) => {
      const location = REDIRECTS.has(response.status) ? response.headers.get('location') : null;
      if (location === null) return bounded(response, url, maxBytes);
      await response.body?.cancel();
      const next = new URL(location, url).href;
      if (hops >= MAX_REDIRECTS) throw new HandrailError(`GitHub redirected ${url} more than ${MAX_REDIRECTS} times; it was not followed.`);
      if (!isChosenHost(next)) throw new HostNotChosenError(next);
      const again = new Headers(headers);
      // As fetch does: the token goes no further than the origin it was given for.
      if (originOf(next) !== originOf(url)) again.delete('authorization');
      again.set(MAX_BYTES_HEADER, String(maxBytes));
      const asGet = response.status === 303 || ((response.status === 301 || response.status === 302) && init?.method === 'POST');
      return guardedFetch(next, { ...init, headers: again, ...(asGet ? { method: 'GET', body: null } : {}) }, hops + 1);
    });
  };
  return new Octokit({
    baseUrl: base,
    auth: credential?.token || undefined,
    userAgent: 'handrail',
    log: silent,
    request: { log: silent, fetch: guardedFetch },
  });
}

/**
 * The answer, read whole but never past `maxBytes`: its Content-Length is not trusted, the bytes are
 * counted. Octokit reads every answer whole anyway, so reading it here costs no extra memory.
 */
async function bounded(response: Response, url: string, maxBytes: number): Promise<Response> {
  if (!response.body || [204, 205, 304].includes(response.status)) return response;
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    await response.body.cancel();
    throw new ResponseTooLargeError(url, maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    length += chunk.byteLength;
    // Leaving the loop early cancels the stream, which closes the connection.
    if (length > maxBytes) throw new ResponseTooLargeError(url, maxBytes);
    chunks.push(chunk);
  }
  const { status, statusText, headers } = response;
  const whole = new Response(Buffer.concat(chunks), { status, statusText, headers });
  Object.defineProperty(whole, 'url', { value: response.url });
  return whole;
}

/** What responseError needs to name the token that was sent. */
export function rejectionOptions(credential: Credential | undefined): { hasToken: boolean; source?: string; fix?: string } {
  return credential
    ? { hasToken: true, source: credential.source, ...(credential.fix ? { fix: credential.fix } : {}) }
    : { hasToken: false };
}
