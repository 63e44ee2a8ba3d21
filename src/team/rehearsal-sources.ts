// Where rehearsal records are read from (SPEC §6.3), within bounds that names cannot game.
//
// A file's name is only a hint of its time, and anyone who can write to the team's folder chooses
// names. So names decide only the ORDER of reading, never whether or when a rehearsal counts (that
// is the signed `end`, checked in rehearsal.ts):
// - local records and team records already cached (a blob is cached by its content, once checked
//   against its sha) cost no request and are all read, up to READS files and BYTES in all;
// - records not yet fetched are fetched newest name first, names dated beyond the clock skew or
//   with no date last, at most FETCHES per run. One named older than the window (or than a
//   rehearsal of these bytes already found) is not fetched: a rename can only hide it, not make it
//   count.
// When a bound stops the reading, the caller is told how many were left; what was fetched stays
// cached, and a team record whose bytes alone say it never counts is remembered by its sha and not
// read again (judged-blobs.ts), so the next run reads on from there and a flood of junk delays a
// real rehearsal, never hides it for good.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { timeInName } from '../record/read';
import { readBoundedFile } from './bounded-file';
import type { TeamGithub } from './github';
import { blobIsCached, listTree, MAX_RECORD_BYTES, readBlob } from './read';
import { recordRepoPath, type RecordsTarget } from './target';
import { errorReason } from '../core/errors';

export const BOUNDS = { fetches: 100, reads: 500, bytes: 32 * 1024 * 1024 };

export interface ReadRecord {
  /** A local path, or `OWNER/REPO:path`. */
  location: string;
  name: string;
  bytes: Buffer;
  /** A team record's git blob sha. */
  blob?: string;
}

export interface Unreadable {
  location: string;
  reason: string;
}

interface Source {
  location: string;
  name: string;
  nameTime?: number;
  /** Costs a request to GitHub. */
  fetch: boolean;
  /** A team record's git blob sha: what it was found to be is remembered by it. */
  blob?: string;
  load(): Promise<Buffer>;
}

export interface Sources {
  /** Read now, at no cost: local records and cached team records. */
  free: Source[];
  /** Team records not fetched yet. */
  remote: Source[];
}

/** Completed runs of this runbook, by name: `<id>-<time>-completed.json`. */
export function completedName(id: string, name: string): boolean {
  return name.startsWith(`${id}-`) && /-completed(-\d+)?\.json$/.test(name);
}

export function localSources(id: string, dirs: string[]): Source[] {
  const sources: Source[] = [];
  for (const dir of new Set(dirs)) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => completedName(id, n));
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(dir, name);
      sources.push({
        location: path,
        name,
        ...timed(name),
        fetch: false,
        // Anyone who can write to the folder chooses what is there: a FIFO or a link to a device is named, never read.
        load: async () => readBoundedFile(path, MAX_RECORD_BYTES),
      });
    }
  }
  return sources;
}

export async function teamSources(
  id: string,
  team: { gh: TeamGithub; target: RecordsTarget; state?: string },
): Promise<{ sources: Source[]; truncated: boolean }> {
  const { gh, target } = team;
  const folder = recordRepoPath(target, id, '').replace(/\/$/, '');
  const { files, truncated } = await listTree(gh, target.repo, folder, team.state);
  const sources = files
    .filter((f) => completedName(id, f.name))
    .map((f) => ({
      location: `${target.repo}:${f.path}`,
      name: f.name,
      ...timed(f.name),
      fetch: !blobIsCached(f.sha, team.state),
      blob: f.sha,
      load: () => readBlob(gh, target.repo, f, team.state),
    }));
  return { sources, truncated };
}

function timed(name: string): { nameTime?: number } {
  const t = timeInName(name);
  return t === undefined ? {} : { nameTime: t };
}

/** Newest name first; names dated beyond `latest` or undated after every plausible one. */
export function byNameHint(latest: number): (a: Source, b: Source) => number {
  const rank = (s: Source) => (s.nameTime !== undefined && s.nameTime <= latest ? s.nameTime : -Infinity);
  return (a, b) => rank(b) - rank(a) || a.location.localeCompare(b.location);
}

export class Reader {
  readonly records: ReadRecord[] = [];
  readonly unreadable: Unreadable[] = [];
  fetches = 0;
  bytes = 0;
  /** Sources the bounds left unread. */
  unread = 0;
  /** Team records skipped unread: an earlier run found their bytes never count (judged-blobs.ts). */
  readonly known: Unreadable[] = [];

  /** `skip`: whether a blob is already known not to count; such a source costs no bound. */
  constructor(private readonly skip: (blob: string) => string | undefined = () => undefined) {}

  /** Reads `sources` in order until a bound is reached. */
  async read(sources: Source[]): Promise<void> {
    for (const source of sources) {
      const known = source.blob === undefined ? undefined : this.skip(source.blob);
      if (known !== undefined) {
        this.known.push({ location: source.location, reason: known });
        continue;
      }
      if (
        this.records.length + this.unreadable.length >= BOUNDS.reads ||
        this.bytes >= BOUNDS.bytes ||
        (source.fetch && this.fetches >= BOUNDS.fetches)
      ) {
        this.unread++;
        continue;
      }
      if (source.fetch) this.fetches++;
      try {
        const bytes = await source.load();
        this.bytes += bytes.length;
        this.records.push({ location: source.location, name: source.name, bytes, ...(source.blob ? { blob: source.blob } : {}) });
      } catch (error) {
        this.unreadable.push({ location: source.location, reason: errorReason(error) });
      }
    }
  }
}
