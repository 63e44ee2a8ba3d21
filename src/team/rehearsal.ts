// Rehearse before you run it live (SPEC §6.3): the newest completed rehearsal of a runbook, from
// the local records and the team's repository, and whether a live run may start without one.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import parseDuration from 'parse-duration';
import { operatorName, predicateOf, timeInName } from '../record/read';
import type { Runbook } from '../runbook/model';
import type { Plan } from '../record/plan';
import type { RehearsalRef as RecordedRehearsal } from '../engine/events';
import type { TeamGithub } from './github';
import { listTree, readBlob } from './read';
import { recordRepoPath, type RecordsTarget } from './target';

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
  /** Why the team's records could not be read, if they could not. */
  warning?: string;
}

/** How far back a rehearsal counts, in ms; undefined = any time. */
export function rehearsalWindowMs(runbook: Runbook): number | undefined {
  const within = runbook.meta.rehearsal?.within;
  return within ? (parseDuration(within) ?? undefined) : undefined;
}

/** At most this many team records are read looking for a rehearsal of these bytes. */
const TEAM_READS = 20;

export async function findRehearsal(options: {
  runbook: Runbook;
  recordDirs: string[];
  team?: { gh: TeamGithub; target: RecordsTarget };
  now?: Date;
}): Promise<RehearsalFinding> {
  const { runbook } = options;
  const id = runbook.meta.id;
  const window = rehearsalWindowMs(runbook);
  const since = window === undefined ? -Infinity : (options.now ?? new Date()).getTime() - window;
  const candidates: RehearsalRef[] = [];
  const consider = (bytes: Buffer, location: string) => {
    const p = predicateOf(bytes);
    if (!p || p.runbook.id !== id || p.mode !== 'rehearsal' || p.outcome !== 'completed') return;
    candidates.push({
      recordSha256: createHash('sha256').update(bytes).digest('hex'),
      operator: operatorName(p),
      at: p.end,
      sameBytes: p.runbook.sha256 === runbook.sha256,
      location,
      ...(p.plan ? { plan: p.plan } : {}),
      ...(p.planDigest ? { planDigest: p.planDigest } : {}),
    });
  };
  // Only completed runs of this runbook, by their file names: `<id>-<time>-completed.json`.
  const named = (name: string) => name.startsWith(`${id}-`) && /-completed(-\d+)?\.json$/.test(name) && (timeInName(name) ?? 0) >= since;

  for (const dir of new Set(options.recordDirs)) {
    let names: string[] = [];
    try {
      names = readdirSync(dir).filter(named);
    } catch {
      continue;
    }
    for (const name of names) {
      try {
        consider(readFileSync(join(dir, name)), join(dir, name));
      } catch {
        // Unreadable files are not rehearsals.
      }
    }
  }

  let warning: string | undefined;
  if (options.team) {
    const { gh, target } = options.team;
    try {
      const folder = recordRepoPath(target, id, '').replace(/\/$/, '');
      const files = (await listTree(gh, target.repo, folder)).files.filter((f) => named(f.name)).sort((a, b) => (a.name < b.name ? 1 : -1));
      for (const file of files.slice(0, TEAM_READS)) {
        consider(await readBlob(gh, target.repo, file.sha), `${target.repo}:${file.path}`);
        if (candidates.some((c) => c.sameBytes && c.location.startsWith(`${target.repo}:`))) break;
      }
    } catch (error) {
      warning = `the team's rehearsals in ${target.repo} could not be read: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  // The same record may be found locally and in the team's repository: one rehearsal, newest first.
  const newestFirst = candidates.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return {
    ...(newestFirst[0] ? { newest: newestFirst[0] } : {}),
    ...(newestFirst.find((c) => c.sameBytes) ? { reliedOn: newestFirst.find((c) => c.sameBytes)! } : {}),
    ...(warning ? { warning } : {}),
  };
}

/** The preflight line: who rehearsed, when, and whether it was these bytes. */
export function describeRehearsal(finding: RehearsalFinding, runbook: Runbook): string {
  const within = runbook.meta.rehearsal?.within;
  const r = finding.newest;
  if (!r) return `No completed rehearsal of this runbook${within ? ` in the last ${within}` : ''} was found.`;
  const same = r.sameBytes ? 'these same bytes' : 'a different version of this file';
  const line = `Rehearsed by ${r.operator} at ${r.at.replace(/\.\d+Z$/, 'Z')} (${same}; ${r.location}).`;
  if (!r.sameBytes && finding.reliedOn) return `${line} These bytes were rehearsed by ${finding.reliedOn.operator} at ${finding.reliedOn.at.replace(/\.\d+Z$/, 'Z')}.`;
  return line;
}

/** Why a live run may not start, or undefined when it may. */
export function refusal(finding: RehearsalFinding, runbook: Runbook): string | undefined {
  if (runbook.meta.rehearsal?.required !== true || finding.reliedOn) return undefined;
  const within = runbook.meta.rehearsal.within;
  return `${runbook.path} must be rehearsed before a live run, and no completed rehearsal of these bytes${within ? ` within ${within}` : ''} was found; rehearse it first with \`handrail run ${runbook.path} --dry-run\`, or give \`--without-rehearsal "REASON"\` (the reason goes into the record).`;
}
