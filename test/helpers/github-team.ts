// The loopback GitHub's team routes (issue 15): the Contents API, the git trees and blobs that
// `handrail records --repo` reads, and issue comments. Shapes and status codes follow GitHub's REST
// docs ("Repository contents", "Git trees", "Git blobs", "Issue comments").
import { createHash } from 'node:crypto';

export interface RepoFiles {
  branch: string;
  /** Path → file bytes, on the default branch. */
  files: Record<string, Buffer>;
  /** The branch head: a new commit sha after every write. */
  head: string;
  /**
   * Hold PUTs until this many are waiting, then apply them in arrival order. Each PUT is based on
   * the head it arrived at, as a GitHub commit is, so all but the first of a held batch answer 409:
   * the race of two operators publishing at once, made certain instead of likely.
   */
  holdPuts?: number;
  /** Logins that may write; undefined = every authenticated user. */
  writers?: string[];
}

export interface IssueComment {
  id: number;
  body: string;
  user: string;
  created_at: string;
  updated_at: string;
}

export interface TeamState {
  /** `owner/repo` → its files (Contents API and git trees); a repo missing here answers 404. */
  files: Record<string, RepoFiles>;
  /** `owner/repo#number` → the issue's comments; an issue missing here answers 404. */
  issues: Record<string, IssueComment[]>;
  /** When true (or true for a request), the connection is dropped unanswered: GitHub unreachable. */
  down: boolean | ((request: { method: string; path: string }) => boolean);
}

export function initialTeamState(): TeamState {
  return { files: {}, issues: {}, down: false };
}

/** A repository for `state.files`, with optional initial files. */
export function repoFiles(files: Record<string, string | Buffer> = {}, branch = 'main'): RepoFiles {
  const out: Record<string, Buffer> = {};
  for (const [path, content] of Object.entries(files)) out[path] = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return { branch, files: out, head: sha1(`init ${Object.keys(out).join(',')}`) };
}

/** Git's blob id: sha1 of `blob <size>\0<bytes>`. */
export function blobSha(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Context {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  user?: { login: string; id?: number };
  state: { team: TeamState };
}

type Handler = (context: Context) => Reply | Promise<Reply>;

const DOCS = 'https://docs.github.com/rest';
const err = (status: number, message: string): Reply => ({ status, body: { message, documentation_url: DOCS, status: String(status) } });
const API = 'https://api.github.com';

function fileJson(repo: string, path: string, content: Buffer, withContent: boolean): Record<string, unknown> {
  const sha = blobSha(content);
  const name = path.split('/').at(-1)!;
  return {
    type: 'file',
    name,
    path,
    sha,
    size: content.length,
    url: `${API}/repos/${repo}/contents/${path}`,
    git_url: `${API}/repos/${repo}/git/blobs/${sha}`,
    html_url: `https://github.com/${repo}/blob/main/${path}`,
    download_url: `https://raw.githubusercontent.com/${repo}/main/${path}`,
    ...(withContent ? { encoding: 'base64', content: content.toString('base64').replace(/.{60}/g, '$&\n') } : {}),
    _links: { self: `${API}/repos/${repo}/contents/${path}` },
  };
}

function dirJson(repo: string, path: string): Record<string, unknown> {
  return {
    type: 'dir',
    name: path.split('/').at(-1)!,
    path,
    sha: sha1(`dir ${path}`),
    size: 0,
    url: `${API}/repos/${repo}/contents/${path}`,
  };
}

const pending = new WeakMap<RepoFiles, (() => void)[]>();

export function teamRoutes(): { method: string; pattern: string; handler: Handler }[] {
  const repoOf = (state: Context['state'], params: Record<string, string>) => {
    const name = `${params.owner}/${params.repo}`;
    return { name, repo: state.team.files[name] };
  };

  const getContents: Handler = ({ params, state }) => {
    const { name, repo } = repoOf(state, params);
    if (!repo) return err(404, 'Not Found');
    const path = decodeURIComponent(params.path ?? '').replace(/^\/+|\/+$/g, '');
    const file = repo.files[path];
    if (file) return { status: 200, body: fileJson(name, path, file, true) };
    const prefix = path ? `${path}/` : '';
    const children = new Map<string, Record<string, unknown>>();
    for (const [p, content] of Object.entries(repo.files)) {
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length).split('/');
      const childPath = prefix + rest[0];
      children.set(childPath, rest.length === 1 ? fileJson(name, childPath, content, false) : dirJson(name, childPath));
    }
    if (children.size === 0) return err(404, 'Not Found');
    return { status: 200, body: [...children.values()].sort((a, b) => String(a.name).localeCompare(String(b.name))) };
  };

  const putContents: Handler = async ({ params, state, body, user }) => {
    const { name, repo } = repoOf(state, params);
    if (!repo) return err(404, 'Not Found');
    if (repo.writers && !repo.writers.includes(user!.login)) return err(403, 'Resource not accessible by personal access token');
    const path = decodeURIComponent(params.path ?? '').replace(/^\/+|\/+$/g, '');
    const b = (body ?? {}) as { message?: unknown; content?: unknown; sha?: unknown; branch?: unknown };
    if (typeof b.message !== 'string') return err(422, 'Invalid request.\n\n"message" wasn\'t supplied.');
    if (typeof b.content !== 'string') return err(422, 'Invalid request.\n\n"content" wasn\'t supplied.');
    const baseHead = repo.head;
    if (repo.holdPuts) {
      const queue = pending.get(repo) ?? [];
      pending.set(repo, queue);
      await new Promise<void>((resolve) => {
        queue.push(resolve);
        if (queue.length >= repo.holdPuts!) {
          repo.holdPuts = undefined;
          pending.delete(repo);
          for (const release of queue) release();
        }
      });
    }
    if (repo.head !== baseHead) {
      return err(409, `Conflict: refs/heads/${repo.branch} is at ${repo.head} but expected ${baseHead}`);
    }
    const existing = repo.files[path];
    if (existing && b.sha === undefined) return err(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
    if (existing && b.sha !== blobSha(existing)) return err(409, `${path} does not match ${String(b.sha)}`);
    if (!existing && b.sha !== undefined) return err(422, `Invalid request.\n\n"sha" does not match any file at ${path}.`);
    const content = Buffer.from(b.content, 'base64');
    repo.files[path] = content;
    repo.head = sha1(`${repo.head} ${path} ${blobSha(content)}`);
    const now = new Date().toISOString();
    return {
      status: existing ? 200 : 201,
      body: {
        content: fileJson(name, path, content, false),
        commit: {
          sha: repo.head,
          message: b.message,
          author: { name: user!.login, date: now },
          committer: { name: user!.login, date: now },
          html_url: `https://github.com/${name}/commit/${repo.head}`,
        },
      },
    };
  };

  const getTree: Handler = ({ params, state, query, headers }) => {
    const { name, repo } = repoOf(state, params);
    if (!repo) return err(404, 'Not Found');
    const ref = decodeURIComponent(params.tree);
    if (ref !== repo.branch && ref !== repo.head && ref !== 'HEAD') return err(404, 'Not Found');
    const etag = `"${sha1(`tree ${repo.head} ${query.recursive ?? ''}`)}"`;
    // A conditional request whose tree has not changed: 304, which GitHub does not count against the rate limit.
    if (headers['if-none-match'] === etag) return { status: 304, headers: { ETag: etag } };
    const entries = new Map<string, Record<string, unknown>>();
    for (const [p, content] of Object.entries(repo.files)) {
      const parts = p.split('/');
      if (query.recursive)
        for (let i = 1; i < parts.length; i++) {
          const dir = parts.slice(0, i).join('/');
          entries.set(dir, {
            path: dir,
            mode: '040000',
            type: 'tree',
            sha: sha1(`dir ${dir}`),
            url: `${API}/repos/${name}/git/trees/${sha1(`dir ${dir}`)}`,
          });
        }
      if (!query.recursive && parts.length > 1) {
        entries.set(parts[0], { path: parts[0], mode: '040000', type: 'tree', sha: sha1(`dir ${parts[0]}`) });
        continue;
      }
      const sha = blobSha(content);
      entries.set(p, { path: p, mode: '100644', type: 'blob', sha, size: content.length, url: `${API}/repos/${name}/git/blobs/${sha}` });
    }
    return {
      status: 200,
      headers: { ETag: etag },
      body: {
        sha: sha1(`tree ${repo.head}`),
        url: `${API}/repos/${name}/git/trees/${repo.head}`,
        tree: [...entries.values()],
        truncated: false,
      },
    };
  };

  const getBlob: Handler = ({ params, state }) => {
    const { name, repo } = repoOf(state, params);
    if (!repo) return err(404, 'Not Found');
    const content = Object.values(repo.files).find((c) => blobSha(c) === params.sha);
    if (!content) return err(404, 'Not Found');
    return {
      status: 200,
      body: {
        sha: params.sha,
        node_id: `B_${params.sha}`,
        size: content.length,
        url: `${API}/repos/${name}/git/blobs/${params.sha}`,
        content: content.toString('base64'),
        encoding: 'base64',
      },
    };
  };

  let nextCommentId = 9000;
  const commentJson = (repo: string, issue: string, c: IssueComment) => ({
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${API}/repos/${repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${repo}/issues/${issue}#issuecomment-${c.id}`,
    issue_url: `${API}/repos/${repo}/issues/${issue}`,
    body: c.body,
    user: { login: c.user, type: 'User' },
    created_at: c.created_at,
    updated_at: c.updated_at,
    author_association: 'MEMBER',
  });
  const findComment = (state: Context['state'], repo: string, id: string) => {
    for (const [key, comments] of Object.entries(state.team.issues)) {
      if (!key.startsWith(`${repo}#`)) continue;
      const c = comments.find((x) => String(x.id) === id);
      if (c) return { issue: key.slice(repo.length + 1), comment: c };
    }
    return undefined;
  };
  const bodyText = (body: unknown): string | undefined => {
    const text = (body as { body?: unknown } | undefined)?.body;
    return typeof text === 'string' ? text : undefined;
  };

  return [
    { method: 'GET', pattern: '/repos/{owner}/{repo}/contents', handler: getContents },
    { method: 'GET', pattern: '/repos/{owner}/{repo}/contents/{+path}', handler: getContents },
    { method: 'PUT', pattern: '/repos/{owner}/{repo}/contents/{+path}', handler: putContents },
    { method: 'GET', pattern: '/repos/{owner}/{repo}/git/trees/{tree}', handler: getTree },
    { method: 'GET', pattern: '/repos/{owner}/{repo}/git/blobs/{sha}', handler: getBlob },
    {
      method: 'GET',
      pattern: '/repos/{owner}/{repo}/issues/{number}/comments',
      handler: ({ params, state }) => {
        const repo = `${params.owner}/${params.repo}`;
        const comments = state.team.issues[`${repo}#${params.number}`];
        if (!comments) return err(404, 'Not Found');
        return { status: 200, body: comments.map((c) => commentJson(repo, params.number, c)) };
      },
    },
    {
      method: 'POST',
      pattern: '/repos/{owner}/{repo}/issues/{number}/comments',
      handler: ({ params, state, body, user }) => {
        const repo = `${params.owner}/${params.repo}`;
        const comments = state.team.issues[`${repo}#${params.number}`];
        if (!comments) return err(404, 'Not Found');
        const text = bodyText(body);
        if (text === undefined) return err(422, 'Invalid request.\n\n"body" wasn\'t supplied.');
        const now = new Date().toISOString();
        const comment: IssueComment = { id: nextCommentId++, body: text, user: user!.login, created_at: now, updated_at: now };
        comments.push(comment);
        return {
          status: 201,
          body: commentJson(repo, params.number, comment),
          headers: { Location: `${API}/repos/${repo}/issues/comments/${comment.id}` },
        };
      },
    },
    {
      method: 'GET',
      pattern: '/repos/{owner}/{repo}/issues/comments/{id}',
      handler: ({ params, state }) => {
        const repo = `${params.owner}/${params.repo}`;
        const found = findComment(state, repo, params.id);
        return found ? { status: 200, body: commentJson(repo, found.issue, found.comment) } : err(404, 'Not Found');
      },
    },
    {
      method: 'PATCH',
      pattern: '/repos/{owner}/{repo}/issues/comments/{id}',
      handler: ({ params, state, body, user }) => {
        const repo = `${params.owner}/${params.repo}`;
        const found = findComment(state, repo, params.id);
        if (!found) return err(404, 'Not Found');
        if (found.comment.user !== user!.login) return err(403, 'Must have admin rights to Repository.');
        const text = bodyText(body);
        if (text === undefined) return err(422, 'Invalid request.\n\n"body" wasn\'t supplied.');
        found.comment.body = text;
        found.comment.updated_at = new Date().toISOString();
        return { status: 200, body: commentJson(repo, found.issue, found.comment) };
      },
    },
  ];
}
