// Approval's files in the team's records repository, read through the git trees API (one listing
// request, free when nothing changed) and blobs cached by their sha, as the records are read.
import { createHash } from 'node:crypto';
import { readBoundedFile, UnreadableFile } from '../team/bounded-file';
import { HandrailError } from '../core/errors';
import type { RehearsalRef } from '../core/events';
import { planDigest, type Plan } from '../core/plan';
import type { Predicate } from '../record/predicate';
import { predicateOf } from '../record/read';
import type { TeamGithub } from '../team/github';
import { listTree, MAX_RECORD_BYTES, readBlob } from '../team/read';
import { isRequestName, planFolder } from './document';

export interface RepoText {
  /** Path in the repository. */
  path: string;
  text: string;
}

/** The request(s) and approvals in one plan's folder. */
export async function readPlanFolder(
  gh: TeamGithub,
  repo: string,
  folder: string,
): Promise<{ requests: RepoText[]; approvals: RepoText[] }> {
  const { files } = await listTree(gh, repo, folder);
  const requests: RepoText[] = [];
  const approvals: RepoText[] = [];
  for (const file of files) {
    if (file.path.slice(folder.length + 1).includes('/') || !file.name.endsWith('.json')) continue;
    // One unreadable file never hides the others.
    const text = await readBlob(gh, repo, file)
      .then((b) => b.toString('utf8'))
      .catch(() => undefined);
    if (text === undefined) continue;
    (isRequestName(file.name) ? requests : approvals).push({ path: file.path, text });
  }
  return { requests, approvals };
}

/** Every plan folder with a request under `<recordsPath>/` (one runbook's, when `runbookId` is given). */
export async function listRequests(
  gh: TeamGithub,
  repo: string,
  recordsPath: string,
  runbookId?: string,
): Promise<{ folder: string; requests: RepoText[] }[]> {
  const prefix = runbookId ? `${recordsPath}/${runbookId}` : recordsPath;
  const { files } = await listTree(gh, repo, prefix);
  const folders = new Map<string, RepoText[]>();
  for (const file of files) {
    const m = /^(.+\/approvals\/[0-9a-f]{64})\/([^/]+)$/.exec(file.path);
    if (!m || !isRequestName(m[2]!)) continue;
    const text = await readBlob(gh, repo, file)
      .then((b) => b.toString('utf8'))
      .catch(() => undefined);
    if (text === undefined) continue;
    folders.set(m[1]!, [...(folders.get(m[1]!) ?? []), { path: file.path, text }]);
  }
  return [...folders].map(([folder, requests]) => ({ folder, requests }));
}

export interface RehearsalPlan {
  predicate: Predicate;
  plan: Plan;
  digest: string;
}

/**
 * The plan of the rehearsal a live run relies on: its record read again from where it was found,
 * checked to be the same bytes (its sha256), and its plan to match the digest it names.
 */
export async function rehearsalPlan(ref: RehearsalRef, team?: { gh: TeamGithub; repo: string }): Promise<RehearsalPlan> {
  let bytes: Buffer;
  const remote = /^([^:]+\/[^:]+):(.+)$/.exec(ref.location);
  if (remote && team && remote[1] === team.repo) {
    const folder = remote[2]!.split('/').slice(0, -1).join('/');
    const file = (await listTree(team.gh, team.repo, folder)).files.find((f) => f.path === remote[2]);
    if (!file) throw new HandrailError(`the rehearsal ${ref.location} is no longer in ${team.repo}; rehearse again.`);
    bytes = await readBlob(team.gh, team.repo, file);
  } else {
    try {
      // Read as the rehearsal lookup read it: never through a link, never a FIFO, never over 1 MB.
      bytes = readBoundedFile(ref.location, MAX_RECORD_BYTES);
    } catch (error) {
      const why = error instanceof UnreadableFile ? error.message : ((error as NodeJS.ErrnoException).code ?? String(error));
      throw new HandrailError(`the rehearsal ${ref.location} cannot be read again (${why}); rehearse again.`);
    }
  }
  if (createHash('sha256').update(bytes).digest('hex') !== ref.recordSha256)
    throw new HandrailError(`the rehearsal ${ref.location} changed since it was found; run again.`);
  const predicate = predicateOf(bytes);
  if (!predicate?.plan || !predicate.planDigest)
    throw new HandrailError(
      `the rehearsal it relies on (${ref.location}) carries no plan to approve (it was made by an older handrail); rehearse again with \`--dry-run\`.`,
    );
  const digest = planDigest(predicate.plan);
  if (digest !== predicate.planDigest)
    throw new HandrailError(`the rehearsal ${ref.location} names plan ${predicate.planDigest}, but its plan is ${digest}; rehearse again.`);
  return { predicate, plan: predicate.plan, digest };
}

export { planFolder };
