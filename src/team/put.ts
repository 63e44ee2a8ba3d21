// Commits one record file through the Contents API, idempotently: a file already there with the
// same bytes counts as sent, and a conflict (another operator's commit moved the branch) is retried.
import { HandrailError } from '../core/errors';
import { GithubStatusError, splitRepo, type TeamGithub } from './github';

export interface PutResult {
  outcome: 'created' | 'already-there';
  /** Where the file is: `path`, or `…-2.json` when another operator's record already had that name. */
  path: string;
}

const ATTEMPTS = 6;

export async function putFile(gh: TeamGithub, repoName: string, wanted: string, bytes: Buffer, message: string): Promise<PutResult> {
  const { owner, repo } = splitRepo(repoName);
  let path = wanted;
  let taken = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      // One request in the usual case: a new file needs no sha.
      await gh.request('PUT /repos/{owner}/{repo}/contents/{path}', {
        params: { owner, repo, path },
        data: { message, content: bytes.toString('base64') },
      });
      return { outcome: 'created', path };
    } catch (error) {
      if (!(error instanceof GithubStatusError)) throw error;
      // 422: a file is already at that path (no sha was given) — ours, from an earlier try, or not.
      if (error.status === 422) {
        const existing = await readFile(gh, owner, repo, path);
        if (existing?.equals(bytes)) return { outcome: 'already-there', path };
        if (existing) {
          // Two operators' records of the same runbook ending in the same second share a name:
          // never overwrite, take the next free one, as the local records folder does.
          if (++taken > 20)
            throw new HandrailError(
              `${repoName} already has different files at ${wanted} and its numbered variants; nothing was overwritten.`,
            );
          path = wanted.replace(/(\.json)?$/, `-${taken + 1}$1`);
          attempt = 0;
          continue;
        }
      } else if (error.status !== 409 || attempt >= ATTEMPTS) {
        throw error;
      }
      if (attempt >= ATTEMPTS) throw error;
      // 409: the branch moved under us (someone else committed at the same moment); try again shortly.
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt + Math.floor(Math.random() * 200)));
    }
  }
}

async function readFile(gh: TeamGithub, owner: string, repo: string, path: string): Promise<Buffer | undefined> {
  try {
    const { data } = await gh.request('GET /repos/{owner}/{repo}/contents/{path}', { params: { owner, repo, path } });
    const content = (data as { content?: unknown } | null)?.content;
    return typeof content === 'string' ? Buffer.from(content, 'base64') : undefined;
  } catch (error) {
    if (error instanceof GithubStatusError && error.status === 404) return undefined;
    throw error;
  }
}
