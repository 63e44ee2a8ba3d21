// Rehearse before you run it live (SPEC §6.3): the newest completed rehearsal of a runbook, from
// the local records and the team's repository, and whether a live run may start without one.
//
// A rehearsal counts only when its record verifies (record/evidence.ts: this machine's record key,
// or an SSH signature GitHub lists for the operator it names). Its time is the signed `end`: one
// dated more than CLOCK_SKEW ahead does not count, nor one older than `within`, whatever its file
// is called. Records that claim to be a rehearsal and do not count are named in a warning. How the
// records are read, and the bounds that keep junk from hiding a real one: rehearsal-sources.ts.
import { createHash } from 'node:crypto';
import parseDuration from 'parse-duration';
import type { RehearsalRef as RecordedRehearsal } from '../core/events';
import { keyId } from '../record/dsse';
import { recordEvidence, type Evidence } from '../record/evidence';
import { githubKeyCache } from '../record/identity';
import { localPublicKeys } from '../record/keys';
import { operatorName, predicateOf, timeInName } from '../record/read';
import type { Runbook } from '../core/model';
import { terminalSafeLine } from '../core/terminal-safe';
import type { Plan } from '../core/plan';
import type { TeamGithub } from './github';
import { BOUNDS, byNameHint, localSources, Reader, teamSources, type ReadRecord } from './rehearsal-sources';
import { JudgedBlobs } from './judged-blobs';
import type { RecordsTarget } from './target';

export interface RehearsalRef extends RecordedRehearsal {
  /** Whether it rehearsed the same runbook bytes as this run. */
  sameBytes: boolean;
  /** The plan that rehearsal signed (SPEC §6.5), when its record carries one. */
  plan?: Plan;
}

export interface RehearsalFinding {
  newest?: RehearsalRef;
  /** The newest completed rehearsal of these same bytes within the window: what a live run relies on. */
  reliedOn?: RehearsalRef;
  /** Records that do not count, reading bounds that were hit, a team folder that could not be read. */
  warnings: string[];
}

/** A date-time as RFC 3339 writes it (what toISOString gives, or an offset). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** A record dated this far ahead of this machine's clock still counts; further ahead, it does not. */
export const CLOCK_SKEW_MS = 5 * 60_000;
/**
 * At most this many records are checked by ssh-keygen or GitHub. A record refused by this machine's
 * Ed25519 check alone (unsigned, another key and no SSH signature, edited) costs next to nothing and
 * is not counted: otherwise a hundred unsigned claims newer than a real rehearsal would hide it on
 * every run.
 */
const CHECKS = 100;
/** Records that do not count are named up to this many; the rest are counted. */
const NAMED = 3;

/** How far back a rehearsal counts, in ms; undefined = any time. */
export function rehearsalWindowMs(runbook: Runbook): number | undefined {
  const within = runbook.meta.rehearsal?.within;
  return within ? (parseDuration(within) ?? undefined) : undefined;
}

interface Judged {
  newest?: RehearsalRef;
  reliedOn?: RehearsalRef;
  uncounted: Map<string, string>;
  checksHit: boolean;
}

export async function findRehearsal(options: {
  runbook: Runbook;
  recordDirs: string[];
  team?: { gh: TeamGithub; target: RecordsTarget; state?: string };
  /** The GitHub API whose SSH signing keys vouch for a teammate's record (no token is sent). */
  githubApi?: string;
  now?: Date;
}): Promise<RehearsalFinding> {
  const { runbook } = options;
  const id = runbook.meta.id;
  const now = (options.now ?? new Date()).getTime();
  const window = rehearsalWindowMs(runbook);
  const since = window === undefined ? -Infinity : now - window;
  const latest = now + CLOCK_SKEW_MS;
  const warnings: string[] = [];
  // Asked of the keychain only when there is a record to check.
  let localKeys: ReturnType<typeof localPublicKeys> | undefined;
  const github = options.githubApi
    ? { baseUrl: options.githubApi, keysFor: githubKeyCache(options.githubApi), asked: new Set<string>() }
    : undefined;
  const evidence = new Map<string, Promise<Evidence>>();
  const check = (record: ReadRecord, sha: string) => {
    let found = evidence.get(sha);
    if (!found) {
      localKeys ??= localPublicKeys();
      const keys = localKeys;
      evidence.set(
        sha,
        (found = keys.then((k) => recordEvidence(record.bytes.toString('utf8'), { localKeys: k, ...(github ? { github } : {}) }))),
      );
    }
    return found;
  };

  /** The newest rehearsal that counts, and the newest of these bytes, checking newest-first by claimed end. */
  const judge = async (records: ReadRecord[]): Promise<Judged> => {
    const uncounted = new Map<string, string>();
    const claims: { record: ReadRecord; sha: string; end: number; ref: RehearsalRef }[] = [];
    const seen = new Set<string>();
    for (const record of records) {
      const sha = createHash('sha256').update(record.bytes).digest('hex');
      if (seen.has(sha)) continue;
      seen.add(sha);
      const p = predicateOf(record.bytes);
      if (!p) {
        uncounted.set(record.location, 'it is not a handrail record');
        judgedBlobs?.remember(record.blob, 'it is not a handrail record');
        continue;
      }
      if (p.runbook.id !== id || p.mode !== 'rehearsal' || p.outcome !== 'completed') {
        judgedBlobs?.remember(record.blob, '');
        continue;
      }
      // Only RFC 3339, as handrail writes it: Date.parse also reads "Dec 7 2026 (any text)", and `at` is shown and recorded.
      const end = RFC3339.test(p.end) ? Date.parse(p.end) : NaN;
      if (Number.isNaN(end)) uncounted.set(record.location, `its end ${JSON.stringify(p.end)} is not an RFC 3339 time`);
      else if (!RFC3339.test(p.start)) uncounted.set(record.location, `its start ${JSON.stringify(p.start)} is not an RFC 3339 time`);
      else if (Date.parse(p.start) > end) uncounted.set(record.location, `it ends (${p.end}) before it starts (${p.start})`);
      else if (end > latest) uncounted.set(record.location, `it is dated ${p.end}, in the future`);
      else if (end < since) {
        // Old rehearsals are simply old; one whose file name says otherwise was renamed, so it is named.
        if ((timeInName(record.name) ?? -Infinity) >= since)
          uncounted.set(
            record.location,
            `it ended ${p.end}, outside the ${runbook.meta.rehearsal?.within} window, whatever its file name says`,
          );
      } else {
        const ref: RehearsalRef = {
          recordSha256: sha,
          operator: operatorName(p),
          at: p.end,
          sameBytes: p.runbook.sha256 === runbook.sha256,
          location: record.location,
          // The plan a live run is held to (SPEC §6.5): read from the record whose signature is checked below.
          ...(p.plan ? { plan: p.plan } : {}),
          ...(p.planDigest ? { planDigest: p.planDigest } : {}),
        };
        claims.push({ record, sha, end, ref });
      }
    }
    claims.sort((a, b) => b.end - a.end);
    let newest: RehearsalRef | undefined;
    let checks = 0;
    for (const claim of claims) {
      // Past the newest that counts, only these bytes still matter.
      if (newest && !claim.ref.sameBytes) continue;
      if (checks >= CHECKS) return { ...(newest ? { newest } : {}), uncounted, checksHit: true };
      const verdict = await check(claim.record, claim.sha);
      if (verdict.costly) checks++;
      if (!verdict.counts) {
        uncounted.set(claim.record.location, verdict.reason);
        if (verdict.lasting) judgedBlobs?.remember(claim.record.blob, verdict.reason, verdict.lasting.unlessKeyids);
        continue;
      }
      newest ??= claim.ref;
      if (claim.ref.sameBytes) return { newest, reliedOn: claim.ref, uncounted, checksHit: false };
    }
    return { ...(newest ? { newest } : {}), uncounted, checksHit: false };
  };

  // Team records an earlier run found never to count are not read again, unless this machine's key could make them count.
  const judgedBlobs = options.team ? new JudgedBlobs(id, options.team.state) : undefined;
  let localKeyids = new Set<string>();
  if (judgedBlobs?.needsKeyids) localKeyids = new Set((await (localKeys ??= localPublicKeys())).map((k) => keyId(k.key)));
  const reader = new Reader((blob) => judgedBlobs?.known(blob, localKeyids));
  const free = localSources(id, options.recordDirs);
  let remote: Awaited<ReturnType<typeof teamSources>>['sources'] = [];
  if (options.team) {
    try {
      const team = await teamSources(id, options.team);
      free.push(...team.sources.filter((s) => !s.fetch));
      remote = team.sources.filter((s) => s.fetch);
      if (team.truncated)
        warnings.push(
          `${options.team.target.repo} has more files than GitHub lists in one tree, so some of its rehearsals may not be seen.`,
        );
    } catch (error) {
      // GitHub's own message is part of the sentence: one line, and cut short.
      const message = error instanceof Error ? error.message : String(error);
      warnings.push(
        terminalSafeLine(
          `the team's rehearsals in ${options.team.target.repo} could not be read: ${message.length > 2 * CLIP ? `${message.slice(0, 2 * CLIP - 1)}…` : message}`,
        ),
      );
    }
  }
  await reader.read(free.sort(byNameHint(latest)));
  let judged = await judge(reader.records);
  // Only what could be newer than the rehearsal of these bytes already found is worth a request.
  const floor = judged.reliedOn ? Date.parse(judged.reliedOn.at) - 1000 : since;
  const wanted = remote.filter((s) => s.nameTime === undefined || s.nameTime >= floor);
  if (wanted.length > 0) {
    await reader.read(wanted.sort(byNameHint(latest)));
    judged = await judge(reader.records);
  }

  for (const u of reader.unreadable) judged.uncounted.set(u.location, u.reason);
  for (const k of reader.known) if (k.reason) judged.uncounted.set(k.location, k.reason);
  judgedBlobs?.save();
  if (judged.uncounted.size > 0) warnings.push(uncountedWarning(judged.uncounted, id));
  if (reader.unread > 0)
    warnings.push(
      `${reader.unread} of the records that may be rehearsals of ${id} were not read: at most ${BOUNDS.fetches} are fetched from GitHub per run (and ${BOUNDS.reads} records or ${BOUNDS.bytes / (1024 * 1024)} MB read in all); what was fetched is kept, so the next run reads on.`,
    );
  if (judged.checksHit) warnings.push(`only the newest ${CHECKS} SSH-signed rehearsal records of ${id} were checked; older ones were not.`);
  return { ...(judged.newest ? { newest: judged.newest } : {}), ...(judged.reliedOn ? { reliedOn: judged.reliedOn } : {}), warnings };
}

/** A named location or reason is cut to this many characters: junk chooses both, and the warning must stay a few lines. */
const CLIP = 120;

/** One warning: how many records do not count, and the first few of them with why. */
function uncountedWarning(uncounted: Map<string, string>, id: string): string {
  // A location keeps its end (the file name), a reason its start (what is wrong).
  const place = (location: string) => (location.length > CLIP ? `…${location.slice(-(CLIP - 1))}` : location);
  const why = (reason: string, max = CLIP) => (reason.length > max ? `${reason.slice(0, max - 1)}…` : reason);
  const listed = [...uncounted]
    .slice(0, NAMED)
    .map(([location, reason]) =>
      reason.includes(location) ? why(reason.replace(location, place(location)), 2 * CLIP) : `${place(location)} (${why(reason)})`,
    );
  const n = uncounted.size;
  const more = n > NAMED ? `; and ${n - NAMED} more` : '';
  return terminalSafeLine(
    `${n === 1 ? '1 record' : `${n} records`} found for ${id} ${n === 1 ? 'does' : 'do'} not count as a rehearsal: ${listed.join('; ')}${more}.`,
  );
}

/** The preflight line: who rehearsed, when, and whether it was these bytes. */
export function describeRehearsal(finding: RehearsalFinding, runbook: Runbook): string {
  const within = runbook.meta.rehearsal?.within;
  const r = finding.newest;
  if (!r) return `No completed rehearsal of this runbook${within ? ` in the last ${within}` : ''} was found.`;
  const same = r.sameBytes ? 'these same bytes' : 'a different version of this file';
  const line = terminalSafeLine(`Rehearsed by ${r.operator} at ${r.at.replace(/\.\d+Z$/, 'Z')} (${same}; ${r.location}).`);
  if (!r.sameBytes && finding.reliedOn)
    return terminalSafeLine(
      `${line} These bytes were rehearsed by ${finding.reliedOn.operator} at ${finding.reliedOn.at.replace(/\.\d+Z$/, 'Z')}.`,
    );
  return line;
}

/** Why a live run may not start, or undefined when it may. */
export function refusal(finding: RehearsalFinding, runbook: Runbook): string | undefined {
  if (runbook.meta.rehearsal?.required !== true || finding.reliedOn) return undefined;
  const within = runbook.meta.rehearsal.within;
  return `${runbook.path} must be rehearsed before a live run, and no completed rehearsal of these bytes${within ? ` within ${within}` : ''} was found; rehearse it first with \`handrail run ${runbook.path} --dry-run\`, or give \`--without-rehearsal "REASON"\` (the reason goes into the record).`;
}
