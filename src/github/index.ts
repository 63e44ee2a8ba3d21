// The `github` step and `GET /user`, over @octokit/rest. Placeholders are filled here (URL-encoded)
// before octokit sees the route, so a variable's value can never become another path or parameter.
import { Octokit } from '@octokit/rest';
import { HandrailError } from '../errors';
export { DEFAULT_GITHUB_API, githubApiUrl } from './api-url';
import type { GithubFactory, GithubResult, GithubRunner } from '../engine/ports';
import type { GithubStep } from '../runbook/model';
import { captureValues, checkExpectations } from './expect';
import { networkError, responseError } from './errors';
import { describeFields, fillFields, fillRoute } from './route';
import { parseScopes } from './scopes';
import { readAllPages } from './pages';

export { missingScopes, parseScopes, effectiveScopes } from './scopes';


/** --github-api, then HANDRAIL_GITHUB_API, then the runbook's `github.api`, then api.github.com. */

/** Octokit's logger, silenced: failures reach the operator as one sentence, never as octokit's log lines. */
export const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface OctokitLikeError {
  status?: number;
  message?: string;
  name?: string;
  response?: { status: number; headers: Record<string, string | number | undefined>; data: unknown };
}

/** Response headers with lower-case names and string values. */
export function headersOf(raw: Record<string, string | number | undefined> | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(raw ?? {})) out[k.toLowerCase()] = v === undefined ? undefined : String(v);
  return out;
}

function queryString(fields: unknown): string {
  if (!fields || typeof fields !== 'object') return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || v === null) continue;
    params.append(k, Array.isArray(v) ? v.join(',') : typeof v === 'object' ? JSON.stringify(v) : String(v));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

interface Prepared {
  method: string;
  path: string;
  body?: unknown;
  shown: string;
}

function prepare(step: GithubStep, variables: Readonly<Record<string, string>>): Prepared {
  const method = step.method.toUpperCase();
  const fields = step.fields === undefined ? undefined : fillFields(step.fields, variables);
  const route = fillRoute(step.route, variables);
  const sendsBody = BODY_METHODS.has(method);
  const path = sendsBody ? route : `${route}${queryString(fields)}`;
  const extra = sendsBody ? describeFields(fields) : '';
  return { method, path, body: sendsBody ? fields : undefined, shown: `${method} ${path}${extra ? ` ${extra}` : ''}` };
}

export const createGithubRunner: GithubFactory = ({ baseUrl, token }) => {
  const base = baseUrl.replace(/\/+$/, '');
  const octokit = new Octokit({ baseUrl: base, auth: token || undefined, userAgent: 'handrail', log: silent, request: { log: silent } });

  async function send(method: string, path: string, body: unknown, signal?: AbortSignal, expectStatus?: number): Promise<GithubResult> {
    const request = `${method} ${path}`;
    let status: number;
    let headers: Record<string, string | undefined>;
    let data: unknown;
    try {
      const response = await octokit.request(request, {
        ...(body !== undefined ? { data: body } : {}),
        request: { signal },
      });
      ({ status, data } = response);
      headers = headersOf(response.headers as Record<string, string | number | undefined>);
    } catch (caught) {
      const error = caught as OctokitLikeError;
      if (signal?.aborted || error?.name === 'AbortError') {
        throw new HandrailError(`${request} was stopped before GitHub answered (timeout or abort).`);
      }
      if (!error?.response) throw networkError(request, base, error?.message ?? String(caught));
      ({ status, data } = error.response);
      headers = headersOf(error.response.headers);
      if (status !== expectStatus) throw responseError(request, { status, headers, data }, { hasToken: token !== undefined && token !== '' });
    }
    if (data === '' || data === undefined) data = null;
    if (expectStatus !== undefined && status !== expectStatus) {
      throw new HandrailError(`${request} answered ${status}, but the step expects status ${expectStatus}.`);
    }
    return { status, headers, data };
  }

  const runner: GithubRunner = {
    async whoami() {
      const result = await send('GET', '/user', undefined);
      const login = (result.data as { login?: unknown } | null)?.login;
      if (typeof login !== 'string') throw new HandrailError(`GET /user at ${base} did not say who the token belongs to; check --github-api.`);
      return { login, scopes: parseScopes(result.headers['x-oauth-scopes']) };
    },

    async execute(step, variables, { signal }) {
      const prepared = prepare(step, variables);
      const first = await send(prepared.method, prepared.path, prepared.body, signal, step.status);
      const result = step.paginate ? await readAllPages(base, first, (path) => send('GET', path, undefined, signal, step.status)) : first;
      checkExpectations(result.data, step.expect);
      return { result, captures: captureValues(result.data, step.capture) };
    },

    describe(step, variables) {
      try {
        return prepare(step, variables).shown;
      } catch {
        // Not every placeholder has a value yet (e.g. shown before an earlier capture ran): what is
        // known is filled (a rehearsal of a DELETE names its org and package), the rest stays {NAME}.
        const route = step.route.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (written, name: string) =>
          variables[name] === undefined ? written : encodeURIComponent(variables[name]),
        );
        return `${step.method.toUpperCase()} ${route}`;
      }
    },
  };
  return runner;
};
