// A loopback stand-in for GitHub's REST API (api.github.com cannot be reached from tests).
// Shapes, status codes and headers follow GitHub's REST docs for the routes the bundled runbooks
// use; tests change `state` to set the scene and read `requests` to see exactly what was sent.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { initialTeamState, teamRoutes, type TeamState } from './github-team';

export interface GithubUser {
  login: string;
  id?: number;
  /** Classic token scopes, sent as `X-OAuth-Scopes`; undefined = a fine-grained token (header omitted). */
  scopes?: string[];
}

export interface PackageVersion {
  id: number;
  /** The image digest, e.g. `sha256:…`. */
  name: string;
  tags: string[];
  created_at?: string;
}

export interface ContainerPackage {
  visibility: 'public' | 'private' | 'internal';
  versions: PackageVersion[];
}

export interface Repo {
  private: boolean;
  default_branch: string;
  /** `GET …/actions/permissions/workflow`. */
  workflowPermissions: { default_workflow_permissions: 'read' | 'write'; can_approve_pull_request_reviews: boolean };
  /** Branch → protection object; a branch missing here answers 404 "Branch not protected". */
  protection: Record<string, Record<string, unknown>>;
  /** Workflow ids / file names that can be dispatched; undefined = any. */
  workflows?: string[];
}

export interface GithubState {
  /** Token → user. A token not listed here answers 401 "Bad credentials". */
  tokens: Record<string, GithubUser>;
  /** `org/user` → membership. */
  memberships: Record<string, { state: 'active' | 'pending'; role: 'admin' | 'member' }>;
  /** `org/package` → container package. */
  packages: Record<string, ContainerPackage>;
  /** `owner/repo` → repository. */
  repos: Record<string, Repo>;
  /** Workflow dispatches received, in order. */
  dispatches: { repo: string; workflow: string; ref: string; inputs?: Record<string, unknown> }[];
  /** Orgs whose resources answer 403 with `X-GitHub-SSO: required; url=…` (token not SSO-authorised). */
  ssoOrgs: string[];
  rateLimit: {
    limit: number;
    remaining: number;
    /** epoch seconds */ reset: number;
    /** 403 (primary) or 429 (secondary) when exhausted */ status: 403 | 429;
  };
  /** Team routes (issue 15): records repositories, issue comments, an unreachable GitHub. See github-team.ts. */
  team: TeamState;
  /** Login → the user's SSH signing keys (`GET /users/{login}/ssh_signing_keys`); a login not listed answers 404. */
  sshSigningKeys: Record<string, SshSigningKey[]>;
}

// --- SSH signing keys (issue #14): GET /users/{login}/ssh_signing_keys, public, no token needed. ---
export interface SshSigningKey {
  /** `ssh-ed25519 AAAA…`, as GitHub returns it (no comment). */
  key: string;
  id?: number;
  title?: string;
  created_at?: string;
}

function sshSigningKeyRoutes(): Route[] {
  return [
    compile(
      'GET',
      '/users/{login}/ssh_signing_keys',
      ({ params, query, state }) => {
        const login = Object.keys(state.sshSigningKeys).find((l) => l.toLowerCase() === decodeURIComponent(params.login).toLowerCase());
        if (login === undefined) return notFound();
        const perPage = Math.min(Number(query.per_page ?? 30) || 30, 100);
        const page = Math.max(Number(query.page ?? 1) || 1, 1);
        const keys = state.sshSigningKeys[login].slice((page - 1) * perPage, page * perPage);
        return {
          status: 200,
          body: keys.map((k, i) => ({
            // The key text only: GitHub drops the comment a .pub file carries.
            key: k.key.trim().split(/\s+/).slice(0, 2).join(' '),
            id: k.id ?? 700 + i,
            title: k.title ?? `key ${i + 1}`,
            created_at: k.created_at ?? '2024-01-01T00:00:00Z',
          })),
        };
      },
      false,
    ),
  ];
}
// --- end SSH signing keys ---

export interface RecordedRequest {
  method: string;
  /** Path without the query string, as received (still percent-encoded). */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  rawBody: string;
}

export interface RouteContext {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  headers: IncomingHttpHeaders;
  /** The authenticated user, if a valid token was sent. */
  user?: GithubUser;
  state: GithubState;
}

export interface RouteReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Writes the body itself after the headers (a slow, endless or oversized answer); `body` is ignored. */
  stream?: (res: ServerResponse) => void;
}

export type RouteHandler = (context: RouteContext) => RouteReply | Promise<RouteReply>;

export interface GithubServerOptions {
  /** Initial state; missing parts start empty. */
  state?: Partial<GithubState>;
}

export interface GithubServer {
  /** Base URL, e.g. `http://127.0.0.1:41234` (use as --github-api). */
  url: string;
  requests: RecordedRequest[];
  state: GithubState;
  /** Adds a route (checked before the built-in ones); `pattern` uses `{name}` placeholders. */
  route(method: string, pattern: string, handler: RouteHandler): void;
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';

function error(status: number, message: string, headers?: Record<string, string>): RouteReply {
  return { status, body: { message, documentation_url: DOCS, status: String(status) }, headers };
}

const notFound = (): RouteReply => error(404, 'Not Found');

/**
 * One page of a list as GitHub serves it: `per_page` (default 30, at most 100) and `page`, with a
 * `Link` header naming the next, last, first and previous pages by absolute URL on this server.
 */
export function paged(items: unknown[], { query, headers }: Pick<RouteContext, 'query' | 'headers'>, path: string): RouteReply {
  const perPage = Math.min(Math.max(Number(query.per_page ?? 30) || 30, 1), 100);
  const page = Math.max(Number(query.page ?? 1) || 1, 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const url = (n: number) => {
    const params = new URLSearchParams({ ...query, per_page: String(perPage), page: String(n) });
    return `<http://${headers.host}${path}?${params}>`;
  };
  const links = [
    ...(page < last ? [`${url(page + 1)}; rel="next"`, `${url(last)}; rel="last"`] : []),
    ...(page > 1 ? [`${url(1)}; rel="first"`, `${url(page - 1)}; rel="prev"`] : []),
  ];
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    ...(links.length ? { headers: { Link: links.join(', ') } } : {}),
  };
}

interface Route {
  method: string;
  regex: RegExp;
  names: string[];
  handler: RouteHandler;
  /** Built-in routes need a token; added routes decide for themselves. */
  auth: boolean;
}

function compile(method: string, pattern: string, handler: RouteHandler, auth: boolean): Route {
  const names: string[] = [];
  const source = pattern
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const m = /^\{([^}]+)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      // `{+name}` spans slashes (a file path), as in RFC 6570's reserved expansion.
      if (m[1].startsWith('+')) {
        names.push(m[1].slice(1));
        return '(.+)';
      }
      names.push(m[1]);
      return '([^/]+)';
    })
    .join('');
  return { method: method.toUpperCase(), regex: new RegExp(`^${source}$`), names, handler, auth };
}

/**
 * `GET /users/{login}` answers for users and organisations alike, with `type`. A login that holds a
 * token is a User; one that owns packages or has members and holds no token is an Organization.
 */
function ownerType(state: GithubState, login: string): 'User' | 'Organization' | undefined {
  if (Object.values(state.tokens).some((u) => u.login === login)) return 'User';
  const owns = (key: string) => key.split('/')[0] === login;
  if (Object.keys(state.packages).some(owns) || Object.keys(state.memberships).some(owns)) return 'Organization';
  return undefined;
}

function versionJson(org: string, pkg: string, v: PackageVersion, owners: 'orgs' | 'users' = 'orgs'): Record<string, unknown> {
  const when = v.created_at ?? '2024-01-01T00:00:00Z';
  return {
    id: v.id,
    name: v.name,
    url: `https://api.github.com/${owners}/${org}/packages/container/${pkg}/versions/${v.id}`,
    package_html_url: `https://github.com/${owners}/${org}/packages/container/package/${pkg}`,
    created_at: when,
    updated_at: when,
    html_url: `https://github.com/${owners}/${org}/packages/container/${pkg}/${v.id}`,
    metadata: { package_type: 'container', container: { tags: v.tags } },
  };
}

function packageJson(org: string, pkg: string, p: ContainerPackage): Record<string, unknown> {
  return {
    id: 1000 + pkg.length,
    name: pkg,
    package_type: 'container',
    owner: { login: org, type: 'Organization' },
    version_count: p.versions.length,
    visibility: p.visibility,
    url: `https://api.github.com/orgs/${org}/packages/container/${pkg}`,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    html_url: `https://github.com/orgs/${org}/packages/container/package/${pkg}`,
  };
}

function builtinRoutes(): Route[] {
  const r = (method: string, pattern: string, handler: RouteHandler) => compile(method, pattern, handler, true);
  return [
    r('GET', '/user', ({ user }) => ({
      status: 200,
      body: { login: user!.login, id: user!.id ?? 1, type: 'User', site_admin: false },
    })),
    r('GET', '/orgs/{org}/memberships/{user}', ({ params, state }) => {
      const m = state.memberships[`${params.org}/${params.user}`];
      if (!m) return notFound();
      return {
        status: 200,
        body: {
          url: `https://api.github.com/orgs/${params.org}/memberships/${params.user}`,
          state: m.state,
          role: m.role,
          organization_url: `https://api.github.com/orgs/${params.org}`,
          organization: { login: params.org },
          user: { login: params.user },
        },
      };
    }),
    // "List packages for an organization": package_type is required, as on GitHub.
    r('GET', '/orgs/{org}/packages', ({ params, query, state }) => {
      if (!query.package_type) return error(400, 'package_type is required.');
      const prefix = `${params.org}/`;
      const owned = Object.entries(state.packages).filter(([key]) => key.startsWith(prefix));
      return {
        status: 200,
        body: query.package_type === 'container' ? owned.map(([key, p]) => packageJson(params.org, key.slice(prefix.length), p)) : [],
      };
    }),
    r('GET', '/orgs/{org}/packages/container/{pkg}', ({ params, state }) => {
      const p = state.packages[`${params.org}/${params.pkg}`];
      return p ? { status: 200, body: packageJson(params.org, params.pkg, p) } : error(404, 'Package not found.');
    }),
    r('PATCH', '/orgs/{org}/packages/container/{pkg}', ({ params, state, body }) => {
      const p = state.packages[`${params.org}/${params.pkg}`];
      if (!p) return error(404, 'Package not found.');
      const visibility = (body as { visibility?: unknown } | undefined)?.visibility;
      if (visibility !== 'public' && visibility !== 'private' && visibility !== 'internal') {
        return error(422, 'Invalid request.\n\n"visibility" must be one of public, private, internal.');
      }
      p.visibility = visibility;
      return { status: 200, body: packageJson(params.org, params.pkg, p) };
    }),
    r('GET', '/orgs/{org}/packages/container/{pkg}/versions', ({ params, state, query, headers }) => {
      const p = state.packages[`${params.org}/${params.pkg}`];
      if (!p) return error(404, 'Package not found.');
      const all = p.versions.map((v) => versionJson(params.org, params.pkg, v));
      return paged(all, { query, headers }, `/orgs/${params.org}/packages/container/${params.pkg}/versions`);
    }),
    // A user's packages live under /users/…; `packages` keys them `login/package` like an org's.
    r('GET', '/users/{user}/packages/container/{pkg}/versions', ({ params, state, query, headers }) => {
      const p = state.packages[`${params.user}/${params.pkg}`];
      if (!p || ownerType(state, params.user) !== 'User') return error(404, 'Package not found.');
      const all = p.versions.map((v) => versionJson(params.user, params.pkg, v, 'users'));
      return paged(all, { query, headers }, `/users/${params.user}/packages/container/${params.pkg}/versions`);
    }),
    r('GET', '/users/{user}', ({ params, state }) => {
      const type = ownerType(state, params.user);
      if (!type) return notFound();
      return {
        status: 200,
        body: { login: params.user, id: 7000 + params.user.length, type, site_admin: false, html_url: `https://github.com/${params.user}` },
      };
    }),
    r('GET', '/orgs/{org}/packages/container/{pkg}/versions/{id}', ({ params, state }) => {
      const v = state.packages[`${params.org}/${params.pkg}`]?.versions.find((x) => String(x.id) === params.id);
      return v ? { status: 200, body: versionJson(params.org, params.pkg, v) } : notFound();
    }),
    r('DELETE', '/orgs/{org}/packages/container/{pkg}/versions/{id}', ({ params, state }) => {
      const p = state.packages[`${params.org}/${params.pkg}`];
      const index = p?.versions.findIndex((x) => String(x.id) === params.id) ?? -1;
      if (!p || index < 0) return notFound();
      p.versions.splice(index, 1);
      return { status: 204 };
    }),
    r('GET', '/repos/{owner}/{repo}', ({ params, state }) => {
      const repo = state.repos[`${params.owner}/${params.repo}`];
      if (!repo) return notFound();
      return {
        status: 200,
        body: {
          id: 4242,
          name: params.repo,
          full_name: `${params.owner}/${params.repo}`,
          owner: { login: params.owner },
          private: repo.private,
          visibility: repo.private ? 'private' : 'public',
          default_branch: repo.default_branch,
          html_url: `https://github.com/${params.owner}/${params.repo}`,
        },
      };
    }),
    r('GET', '/repos/{owner}/{repo}/actions/permissions/workflow', ({ params, state }) => {
      const repo = state.repos[`${params.owner}/${params.repo}`];
      return repo ? { status: 200, body: repo.workflowPermissions } : notFound();
    }),
    r('GET', '/repos/{owner}/{repo}/branches/{branch}/protection', ({ params, state }) => {
      const repo = state.repos[`${params.owner}/${params.repo}`];
      if (!repo) return notFound();
      const protection = repo.protection[decodeURIComponent(params.branch)];
      return protection ? { status: 200, body: protection } : error(404, 'Branch not protected');
    }),
    r('POST', '/repos/{owner}/{repo}/actions/workflows/{id}/dispatches', ({ params, state, body }) => {
      const key = `${params.owner}/${params.repo}`;
      const repo = state.repos[key];
      const workflow = decodeURIComponent(params.id);
      if (!repo || (repo.workflows && !repo.workflows.includes(workflow))) return notFound();
      const b = (body ?? {}) as { ref?: unknown; inputs?: Record<string, unknown> };
      if (typeof b.ref !== 'string') return error(422, 'Invalid request.\n\n"ref" wasn\'t supplied.');
      state.dispatches.push({ repo: key, workflow, ref: b.ref, inputs: b.inputs });
      return { status: 204 };
    }),
    // Team routes (issue 15): Contents API, git trees and blobs, issue comments.
    ...teamRoutes().map(({ method, pattern, handler }) => r(method, pattern, handler as RouteHandler)),
  ];
}

function initialState(partial: Partial<GithubState> = {}): GithubState {
  return {
    tokens: {},
    memberships: {},
    packages: {},
    repos: {},
    dispatches: [],
    ssoOrgs: [],
    rateLimit: { limit: 5000, remaining: 4999, reset: Math.floor(Date.now() / 1000) + 3600, status: 403 },
    team: initialTeamState(),
    sshSigningKeys: {},
    ...partial,
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function tokenOf(headers: IncomingHttpHeaders): string | undefined {
  const m = /^(?:token|bearer)\s+(.+)$/i.exec(headers.authorization ?? '');
  return m?.[1];
}

/** The org a path belongs to, for SSO enforcement. */
function orgOf(path: string): string | undefined {
  return /^\/(?:orgs|repos)\/([^/]+)/.exec(path)?.[1];
}

export async function startGithubServer(options: GithubServerOptions = {}): Promise<GithubServer> {
  const state = initialState(options.state);
  const requests: RecordedRequest[] = [];
  const added: Route[] = [];
  const builtins = [...builtinRoutes(), ...sshSigningKeyRoutes()];

  async function handle(req: IncomingMessage): Promise<RouteReply> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rawBody = await readBody(req);
    let body: unknown;
    if (rawBody) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = rawBody;
      }
    }
    const query = Object.fromEntries(url.searchParams);
    const method = (req.method ?? 'GET').toUpperCase();
    requests.push({ method, path: url.pathname, query, headers: req.headers, body, rawBody });

    const token = tokenOf(req.headers);
    const user = token === undefined ? undefined : state.tokens[token];
    if (token !== undefined && !user) return error(401, 'Bad credentials');

    if (state.rateLimit.remaining <= 0) {
      return error(
        state.rateLimit.status,
        state.rateLimit.status === 429
          ? 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
          : `API rate limit exceeded for user ID ${user?.id ?? 1}.`,
      );
    }
    state.rateLimit.remaining -= 1;

    for (const route of [...added, ...builtins]) {
      if (route.method !== method) continue;
      const m = route.regex.exec(url.pathname);
      if (!m) continue;
      if (route.auth && !user) return error(401, 'Requires authentication');
      const org = orgOf(url.pathname);
      if (user && org && state.ssoOrgs.includes(org)) {
        return error(
          403,
          'Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.',
          { 'X-GitHub-SSO': `required; url=https://github.com/orgs/${org}/sso?authorization_request=TEST` },
        );
      }
      const params = Object.fromEntries(route.names.map((name, i) => [name, m[i + 1]]));
      const reply = await route.handler({ params, query, body, headers: req.headers, user, state });
      // A conditional request answered 304 is free: GitHub does not count it against the rate limit.
      if (reply.status === 304) state.rateLimit.remaining += 1;
      return reply;
    }
    return notFound();
  }

  function send(req: IncomingMessage, res: ServerResponse, reply: RouteReply): void {
    const token = tokenOf(req.headers);
    const user = token === undefined ? undefined : state.tokens[token];
    const headers: Record<string, string> = {
      'X-GitHub-Media-Type': 'github.v3; format=json',
      'X-GitHub-Request-Id': `TEST:${requests.length}`,
      'X-RateLimit-Limit': String(state.rateLimit.limit),
      'X-RateLimit-Remaining': String(Math.max(0, state.rateLimit.remaining)),
      'X-RateLimit-Reset': String(state.rateLimit.reset),
      'X-RateLimit-Used': String(state.rateLimit.limit - Math.max(0, state.rateLimit.remaining)),
      'X-RateLimit-Resource': 'core',
    };
    // GitHub reports a classic token's scopes on every authenticated response; fine-grained tokens get none.
    if (user?.scopes) headers['X-OAuth-Scopes'] = user.scopes.join(', ');
    if (reply.status === 429) headers['Retry-After'] = '60';
    Object.assign(headers, reply.headers);
    if (reply.stream) {
      res.writeHead(reply.status, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
      reply.stream(res);
      return;
    }
    if (reply.status === 204 || reply.status === 304 || reply.body === undefined) {
      res.writeHead(reply.status, headers).end();
      return;
    }
    headers['Content-Type'] = 'application/json; charset=utf-8';
    res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
  }

  const server = createServer((req, res) => {
    // GitHub unreachable (issue 15): the connection is dropped before any answer.
    const down = state.team.down;
    if (down === true || (typeof down === 'function' && down({ method: req.method ?? 'GET', path: req.url ?? '/' }))) {
      req.socket.destroy();
      return;
    }
    handle(req).then(
      (reply) => send(req, res, reply),
      (err: unknown) => send(req, res, error(500, `test server error: ${String(err)}`)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    state,
    route(method, pattern, handler) {
      added.push(compile(method, pattern, handler, false));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
