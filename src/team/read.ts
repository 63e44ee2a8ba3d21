// Reading the team's records repository while sparing GitHub's rate limit: one listing request
// (the whole tree through the git trees API, asked conditionally with its ETag, so an unchanged
// repository costs a free 304; no 1000-entry cap as a Contents API folder has), and each record's
// bytes fetched once ever — a git blob is named by its content, so a blob cached under its sha
// never needs asking again.
//
// GitHub's answers are untrusted input: a tree entry of the wrong shape is dropped, a blob is used
// (and cached) only when its bytes hash to the sha it was asked by, and a record over 1 MB is
// refused by the size the tree gives before it is fetched, and by its bytes after. Every odd
// answer is one sentence (a HandrailError), never a TypeError.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HandrailError } from '../core/errors';
import { stateDir, writePrivateFileAtomic } from '../core/paths';
import { readBoundedFile } from './bounded-file';
import { MAX_BYTES_HEADER, ResponseTooLargeError } from '../github/errors';
import { GithubStatusError, splitRepo, type TeamGithub } from './github';

/** No handrail record comes near this; anything larger is refused unread. */
export const MAX_RECORD_BYTES = 1024 * 1024;
/** A blob's answer carries its bytes in base64 (4 for every 3, with line breaks), in a little JSON. */
const MAX_BLOB_ANSWER_BYTES = Math.ceil(((MAX_RECORD_BYTES * 4) / 3) * 1.05) + 4096;
/** GitHub's own limit for a recursive tree; a longer list is not a GitHub answer. */
const MAX_TREE_ENTRIES = 100_000;
/** The cached tree of MAX_TREE_ENTRIES entries with long paths stays well under this. */
const MAX_TREE_CACHE_BYTES = 64 * 1024 * 1024;

export interface RemoteFile {
  /** Path in the repository. */
  path: string;
  name: string;
  /** Git blob sha. */
  sha: string;
  /** Bytes, as the tree says. */
  size: number;
}

interface TreeEntry {
  path: string;
  type: string;
  sha: string;
  size?: number;
}

function cacheDir(state = stateDir()): string {
  return join(state, 'cache', 'github');
}

function blobFile(sha: string, state?: string): string {
  return join(cacheDir(state), 'blobs', sha);
}

const SHA = /^[0-9a-f]{40}$/;

/** Git's blob id: sha1 of `blob <size>\0<bytes>`. */
export function gitBlobSha(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

function isEntry(e: unknown): e is TreeEntry {
  const x = e as Partial<TreeEntry> | null;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.path === 'string' &&
    typeof x.type === 'string' &&
    typeof x.sha === 'string' &&
    SHA.test(x.sha) &&
    (x.size === undefined || (typeof x.size === 'number' && Number.isSafeInteger(x.size) && x.size >= 0))
  );
}

/** The tree of an answer (or of the cache), or a sentence saying why it is not one. */
function treeOf(data: unknown, what: string): { tree: TreeEntry[]; truncated: boolean } {
  const d = data as { tree?: unknown; truncated?: unknown } | null | undefined;
  if (typeof d !== 'object' || d === null || !Array.isArray(d.tree))
    throw new HandrailError(`${what} is not a git tree (no \`tree\` list); try again later.`);
  if (d.tree.length > MAX_TREE_ENTRIES)
    throw new HandrailError(`${what} lists ${d.tree.length} entries, more than GitHub's ${MAX_TREE_ENTRIES}; it was not used.`);
  return { tree: d.tree.filter(isEntry), truncated: d.truncated === true };
}

/** Every file under `prefix/` on the default branch, in one request (a 304 when nothing changed). */
export async function listTree(
  gh: TeamGithub,
  repoName: string,
  prefix: string,
  state?: string,
): Promise<{ files: RemoteFile[]; truncated: boolean }> {
  const { owner, repo } = splitRepo(repoName);
  const cacheFile = join(
    cacheDir(state),
    `tree-${createHash('sha256').update(`${gh.baseUrl} ${repoName}`).digest('hex').slice(0, 24)}.json`,
  );
  let cached: { etag: string; tree: TreeEntry[]; truncated: boolean } | undefined;
  try {
    const parsed = JSON.parse(readBoundedFile(cacheFile, MAX_TREE_CACHE_BYTES).toString('utf8')) as { etag?: unknown };
    // A damaged cache is as good as none: the tree is asked for afresh.
    cached = typeof parsed.etag === 'string' ? { etag: parsed.etag, ...treeOf(parsed, 'the cached tree') } : undefined;
  } catch {
    cached = undefined;
  }
  const what = `GitHub's answer for the files of ${repoName}`;
  let tree: TreeEntry[];
  let truncated: boolean;
  try {
    // HEAD names the default branch, so no request is spent asking which branch that is.
    const response = await gh.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
      params: { owner, repo, tree_sha: 'HEAD', recursive: 1 },
      ...(cached ? { headers: { 'if-none-match': cached.etag } } : {}),
    });
    if (response.status === 304) {
      if (!cached) throw new HandrailError(`${what} was "304 Not Modified" to a request that was not conditional; try again.`);
      ({ tree, truncated } = cached);
    } else {
      ({ tree, truncated } = treeOf(response.data, what));
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
    .map((e) => ({ path: e.path, name: e.path.split('/').at(-1)!, sha: e.sha, size: e.size ?? 0 }));
  return { files, truncated };
}

/** Whether a blob's bytes are already here: reading it costs no request. */
export function blobIsCached(sha: string, state?: string): boolean {
  return SHA.test(sha) && existsSync(blobFile(sha, state));
}

/**
 * A record's bytes by its blob sha, from the local cache or (once) from GitHub. Throws one sentence
 * naming the file when it is too large, or GitHub's answer is not those bytes.
 */
export async function readBlob(
  gh: TeamGithub,
  repoName: string,
  file: Pick<RemoteFile, 'sha' | 'path'> & { size?: number },
  state?: string,
): Promise<Buffer> {
  const { sha, path } = file;
  if (!SHA.test(sha)) throw new HandrailError(`${repoName}:${path} has no valid blob sha; skipped.`);
  const tooBig = (size: number) => new HandrailError(`${repoName}:${path} is ${megabytes(size)}; a record over 1 MB is refused.`);
  if (file.size !== undefined && file.size > MAX_RECORD_BYTES) throw tooBig(file.size);
  try {
    // Never through a link or from a FIFO, and bounded: a cache folder can be edited.
    const bytes = readBoundedFile(blobFile(sha, state), MAX_RECORD_BYTES);
    // Written only after its sha was checked; checked again, as a cache folder can be edited.
    if (bytes.length <= MAX_RECORD_BYTES && gitBlobSha(bytes) === sha) return bytes;
  } catch {
    // Not cached yet.
  }
  const { owner, repo } = splitRepo(repoName);
  let data: unknown;
  try {
    // Bounded by what a record may be, not by the size the tree gave: a tree can understate it.
    ({ data } = await gh.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
      params: { owner, repo, file_sha: sha },
      headers: { [MAX_BYTES_HEADER]: String(MAX_BLOB_ANSWER_BYTES) },
    }));
  } catch (error) {
    if (error instanceof ResponseTooLargeError)
      throw new HandrailError(`${repoName}:${path} is over 1 MB, whatever its listing said; a record over 1 MB is refused.`);
    throw error;
  }
  const answer = data as { content?: unknown; encoding?: unknown; size?: unknown } | null | undefined;
  const odd = (why: string) => new HandrailError(`GitHub's answer for ${repoName}:${path} ${why}; it was not used.`);
  if (typeof answer !== 'object' || answer === null || typeof answer.content !== 'string') throw odd('carries no content');
  if (answer.encoding !== undefined && answer.encoding !== 'base64')
    throw odd(`is in ${JSON.stringify(String(answer.encoding))}, not base64`);
  // base64 is 4 characters for 3 bytes (GitHub wraps lines): refused before decoding a giant string.
  if (answer.content.length > (MAX_RECORD_BYTES / 3) * 4 * 1.05 + 64) throw tooBig(Math.floor((answer.content.length * 3) / 4));
  const bytes = Buffer.from(answer.content, 'base64');
  if (bytes.length > MAX_RECORD_BYTES) throw tooBig(bytes.length);
  if (gitBlobSha(bytes) !== sha) throw odd(`is not the blob ${sha} (its bytes hash to ${gitBlobSha(bytes)})`);
  writePrivateFileAtomic(blobFile(sha, state), bytes);
  return bytes;
}

function megabytes(size: number): string {
  return size >= 1024 * 1024 ? `${(size / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(size / 1024)} KB`;
}
