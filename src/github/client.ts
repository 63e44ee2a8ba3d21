// The one way handrail builds a GitHub client. Every request goes through `guardedFetch`, so the
// rules of SPEC §5.1 hold for every caller, old or new: nothing is sent to a host the operator did
// not choose (even an absolute URL in a route), and a token's source and destination are announced
// before the first request that carries it.
import { Octokit } from '@octokit/rest';
import { announceCredential, type Credential } from './credential';
import { assertChosenHost, isChosenHost, originOf } from './hosts';
import { HostNotChosenError } from './errors';

export type { Credential } from './credential';

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
  const guardedFetch: typeof fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    // Checked per request, not only per base URL: octokit sends a route that is an absolute URL there.
    if (!isChosenHost(url)) return Promise.reject(new HostNotChosenError(url));
    if (credential) announceCredential({ source: credential.source, host: originOf(url)!, ...(options.use ? { use: options.use } : {}) });
    if (options.timeoutMs === undefined) return fetch(input, init);
    const late = AbortSignal.timeout(options.timeoutMs);
    return fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([late, init.signal]) : late });
  };
  return new Octokit({
    baseUrl: base,
    auth: credential?.token || undefined,
    userAgent: 'handrail',
    log: silent,
    request: { log: silent, fetch: guardedFetch },
  });
}

/** What responseError needs to name the token that was sent. */
export function rejectionOptions(credential: Credential | undefined): { hasToken: boolean; source?: string; fix?: string } {
  return credential ? { hasToken: true, source: credential.source, ...(credential.fix ? { fix: credential.fix } : {}) } : { hasToken: false };
}
