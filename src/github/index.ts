// The `github` step and `GET /user`, over @octokit/rest. Placeholders are filled here (URL-encoded)
// before octokit sees the route, so a variable's value can never become another path or parameter.
import { HandrailError } from '../core/errors';
import { DEFAULT_GITHUB_API } from './hosts';
export { DEFAULT_GITHUB_API, githubApiUrl } from './hosts';
import { githubOctokit } from './client';
import type { GithubFactory, GithubResult, GithubRunner } from '../core/ports';
import type { GithubStep } from '../core/model';
import { captureValues, checkExpectations } from './expect';
import { failedResponse, headersOf, MAX_BYTES_HEADER, responseError } from './errors';
import { describeFields, fillFields, fillRoute } from './route';
import { missingScopes, parseScopes } from './scopes';
import { MAX_PAGE_BYTES, readAllPages } from './pages';

export { missingScopes, parseScopes, effectiveScopes } from './scopes';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

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

/** The request shown with the values there are; a name without one stays `{NAME}`. */
function partlyFilled(step: GithubStep, variables: Readonly<Record<string, string>>): string {
  const mark = (name: string) => `\u0001${name}\u0001`;
  const missing = [...`${step.route} ${JSON.stringify(step.fields ?? {})}`.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)]
    .map((m) => m[1]!)
    .filter((name) => !Object.hasOwn(variables, name));
  const marked = { ...variables, ...Object.fromEntries(missing.map((name) => [name, mark(name)])) };
  return prepare(step, marked).shown.replace(/(?:%01|\\u0001|\u0001)([A-Za-z_][A-Za-z0-9_]*)(?:%01|\\u0001|\u0001)/g, '{$1}');
}

export const createGithubRunner: GithubFactory = ({ baseUrl = DEFAULT_GITHUB_API, token, source, use, fix, timeoutMs }) => {
  const base = baseUrl.replace(/\/+$/, '');
  // Without a source (a caller that did not say), the token is announced as the run's. Without a
  // fix, a rejection gives the generic advice; the preflight passes the secret's own ways.
  const credential = token ? { token, source: source ?? "the runbook's github.token" } : undefined;
  const octokit = githubOctokit({
    baseUrl: base,
    ...(credential ? { credential } : {}),
    what: "The runbook's GitHub API",
    use: use ?? 'github steps and token checks',
    ...(timeoutMs ? { timeoutMs } : {}),
  });

  async function send(
    method: string,
    path: string,
    body: unknown,
    signal?: AbortSignal,
    expectStatus?: number,
    maxBytes?: number,
  ): Promise<GithubResult> {
    const request = `${method} ${path}`;
    let status: number;
    let headers: Record<string, string | undefined>;
    let data: unknown;
    try {
      const response = await octokit.request(request, {
        ...(body !== undefined ? { data: body } : {}),
        ...(maxBytes !== undefined ? { headers: { [MAX_BYTES_HEADER]: String(maxBytes) } } : {}),
        request: { signal },
      });
      ({ status, data } = response);
      headers = headersOf(response.headers as Record<string, string | number | undefined>);
    } catch (caught) {
      ({ status, headers, data } = failedResponse(caught, request, base, { signal }));
      if (status !== expectStatus)
        throw responseError(
          request,
          { status, headers, data },
          { hasToken: credential !== undefined, ...(source ? { source } : {}), ...(fix ? { fix } : {}) },
        );
    }
    if (data === '' || data === undefined) data = null;
    if (expectStatus !== undefined && status !== expectStatus) {
      throw new HandrailError(`${request} answered ${status}, but the step expects status ${expectStatus}.`);
    }
    return { status, headers, data };
  }

  const runner: GithubRunner = {
    async whoami(options = {}) {
      const result = await send('GET', '/user', undefined);
      const login = (result.data as { login?: unknown } | null)?.login;
      if (typeof login !== 'string')
        throw new HandrailError(`GET /user at ${base} did not say who the token belongs to`, { fix: 'check --github-api' });
      const scopes = parseScopes(result.headers['x-oauth-scopes']);
      return { login, scopes, ...(options.required && scopes ? { missing: missingScopes(options.required, scopes) } : {}) };
    },

    async execute(step, variables, { signal }) {
      const prepared = prepare(step, variables);
      const pageBound = step.paginate ? MAX_PAGE_BYTES : undefined;
      const first = await send(prepared.method, prepared.path, prepared.body, signal, step.status, pageBound);
      const result = step.paginate
        ? await readAllPages(base, first, (path) => send('GET', path, undefined, signal, step.status, pageBound))
        : first;
      checkExpectations(result.data, step.expect);
      return { result, captures: captureValues(result.data, step.capture) };
    },

    describe(step, variables) {
      try {
        return prepare(step, variables).shown;
      } catch {
        // Not every placeholder has a value yet (a rehearsal shows a request whose id a skipped step
        // would find): those stay {NAME} and the rest are filled, so the live run's text compares.
        try {
          return partlyFilled(step, variables);
        } catch {
          return `${step.method.toUpperCase()} ${step.route}`;
        }
      }
    },
  };
  return runner;
};
