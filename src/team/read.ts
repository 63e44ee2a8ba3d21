// Reading the team's records repository while sparing GitHub's rate limit: one listing request
// (the whole tree through the git trees API, asked conditionally with its ETag, so an unchanged
// repository costs a free 304; no 1000-entry cap as a Contents API folder has), and each record's
// bytes fetched once ever — a git blob is named by
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
    // An empty repository has no tree yet (409 "Git Repository is empty"); a 404 is a wrong name or a token that cannot see it.
    if (error instanceof GithubStatusError && error.status === 409) return { files: [], truncated: false };
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
