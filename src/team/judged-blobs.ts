// Team blobs already found never to count as a rehearsal of a runbook, remembered by their git sha
// (SPEC §6.3: junk in the team's folder cannot hide a real rehearsal). Every reading bound can be
// filled by junk; what makes the next run read on is that junk read once is not read again. Only
// verdicts that the bytes alone decide are kept (not a record, not a completed rehearsal of this
// runbook, unsigned, changed after signing): never one that depends on the clock or on GitHub.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { stateDir, writePrivateFileAtomic } from '../core/paths';
import { readBoundedFile } from './bounded-file';

declare const HANDRAIL_VERSION: string;
/** What counts as a record may change with handrail's version: each version judges afresh. */
const VERSION = typeof HANDRAIL_VERSION === 'string' ? HANDRAIL_VERSION : '0.0.0-dev';

/** Kept per runbook; beyond this many, nothing more is remembered (the file stays under ~4 MB). */
const MAX_ENTRIES = 20_000;
const SHA = /^[0-9a-f]{40}$/;

interface Verdict {
  /** Why it does not count; '' for a record that is not a rehearsal claim at all (said nowhere). */
  reason: string;
  /** It would count after all if one of these Ed25519 keyids became this machine's record key. */
  unless: string[];
}

export class JudgedBlobs {
  /** Blob sha → its verdict. */
  readonly verdicts = new Map<string, Verdict>();
  private changed = false;
  private readonly file: string;

  constructor(id: string, state = stateDir()) {
    this.file = join(
      state,
      'cache',
      'github',
      `not-rehearsals-${createHash('sha256').update(`${VERSION}\0${id}`).digest('hex').slice(0, 24)}.json`,
    );
    try {
      const saved = JSON.parse(readBoundedFile(this.file, 8 * 1024 * 1024).toString('utf8')) as unknown;
      if (typeof saved !== 'object' || saved === null) return;
      for (const [sha, entry] of Object.entries(saved)) {
        if (!SHA.test(sha) || !Array.isArray(entry) || !entry.every((e) => typeof e === 'string') || entry.length === 0) continue;
        const [reason, ...unless] = entry as string[];
        this.verdicts.set(sha, { reason: reason!.slice(0, 200), unless });
      }
    } catch {
      // None yet, or damaged: as good as none; the blobs are judged again.
    }
  }

  /** Whether any remembered verdict would be undone by this machine's key: then its keyids are needed. */
  get needsKeyids(): boolean {
    return [...this.verdicts.values()].some((v) => v.unless.length > 0);
  }

  /** Why `sha` does not count, unless one of `localKeyids` could make it count. */
  known(sha: string, localKeyids: ReadonlySet<string>): string | undefined {
    const verdict = this.verdicts.get(sha);
    return verdict && !verdict.unless.some((k) => localKeyids.has(k)) ? verdict.reason : undefined;
  }

  remember(sha: string | undefined, reason: string, unless: string[] = []): void {
    if (!sha || this.verdicts.has(sha) || this.verdicts.size >= MAX_ENTRIES) return;
    this.verdicts.set(sha, { reason: reason.slice(0, 200), unless: unless.slice(0, 4).map((k) => k.slice(0, 100)) });
    this.changed = true;
  }

  save(): void {
    if (!this.changed) return;
    try {
      writePrivateFileAtomic(
        this.file,
        JSON.stringify(Object.fromEntries([...this.verdicts].map(([sha, v]) => [sha, [v.reason, ...v.unless]]))),
      );
    } catch {
      // A cache that cannot be written costs reading again next time, nothing more.
    }
  }
}
