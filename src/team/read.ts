// Reading the team's records repository while sparing GitHub's rate limit: one listing request
// (a folder through the Contents API, or the whole tree through the git trees API, asked
// conditionally with its ETag), and each record's bytes fetched once ever — a git blob is named by
// its content, so a blob cached under its sha never needs asking again.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir, writePrivateFileAtomic } from '../paths';
import { GithubStatusError, splitRepo, type TeamGithub } from './github';

export interface RemoteFile {
  /** Path in the repository. */
  path: string;
  name: string;
  /** Git blob sha. */
  sha: string;
}

function cacheDir(state = stateDir()): string {
  return join(state, 'cache', 'github');
}

/** The files directly in one folder; empty when the folder does not exist yet. */
export async function listFolder(gh: TeamGithub, repoName: string, path: string): Promise<RemoteFile[]> {
  const { owner, repo } = splitRepo(repoName);
  try {
    const { data } = await gh.request('GET /repos/{owner}/{repo}/contents/{path}', { params: { owner, repo, path } });
    if (!Array.isArray(data)) return [];
    return (data as { type?: string; path: string; name: string; sha: string }[])
      .filter((e) => e.type === 'file')
      .map((e) => ({ path: e.path, name: e.name, sha: e.sha }));
  } catch (error) {
    if (error instanceof GithubStatusError && error.status === 404) return [];
    throw error;
  }
}

/** Every file under `prefix/` on the default branch, in one request (a 304 when nothing changed). */
export async function listTree(gh: TeamGithub, repoName: string, prefix: string, state?: string): Promise<{ files: RemoteFile[]; truncated: boolean }> {
  const { owner, repo } = splitRepo(repoName);
  const cacheFile = join(cacheDir(state), `tree-${createHash('sha256').update(`${gh.baseUrl} ${repoName}`).digest('hex').slice(0, 24)}.json`);
  let cached: { etag: string; tree: { path: string; type: string; sha: string }[]; truncated: boolean } | undefined;
  try {
    cached = JSON.parse(readFileSync(cacheFile, 'utf8'));
  } catch {
    cached = undefined;
  }
  let tree: { path: string; type: string; sha: string }[];
  let truncated: boolean;
  try {
    // HEAD names the default branch, so no request is spent asking which branch that is.
    const response = await gh.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
      params: { owner, repo, tree_sha: 'HEAD', recursive: 1 },
      ...(cached?.etag ? { headers: { 'if-none-match': cached.etag } } : {}),
    });
    if (response.status === 304 && cached) {
      ({ tree, truncated } = cached);
    } else {
      const data = response.data as { tree: { path: string; type: string; sha: string }[]; truncated: boolean };
      tree = data.tree;
      truncated = data.truncated;
      const etag = response.headers.etag;
      if (etag) writePrivateFileAtomic(cacheFile, JSON.stringify({ etag, tree, truncated }));
    }
  } catch (error) {
    // An empty repository has no tree yet.
    if (error instanceof GithubStatusError && (error.status === 404 || error.status === 409)) return { files: [], truncated: false };
    throw error;
  }
  const files = tree
    .filter((e) => e.type === 'blob' && e.path.startsWith(`${prefix}/`))
    .map((e) => ({ path: e.path, name: e.path.split('/').at(-1)!, sha: e.sha }));
  return { files, truncated };
}

/** A file's bytes by its blob sha, from the local cache or (once) from GitHub. */
export async function readBlob(gh: TeamGithub, repoName: string, sha: string, state?: string): Promise<Buffer> {
  const file = join(cacheDir(state), 'blobs', sha.replace(/[^0-9a-f]/g, ''));
  try {
    return readFileSync(file);
  } catch {
    // Not cached yet.
  }
  const { owner, repo } = splitRepo(repoName);
  const { data } = await gh.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { params: { owner, repo, file_sha: sha } });
  const bytes = Buffer.from(String((data as { content?: unknown }).content ?? ''), 'base64');
  writePrivateFileAtomic(file, bytes);
  return bytes;
}
