// What `handrail run` adds for the team (SPEC §6.2–6.4), kept out of run.ts: the records
// repository, the outbox and rehearsal lines for the preflight, the refusal of an unrehearsed live
// run, the status comment on the incident issue, and publishing the record at the end.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventBus } from '../core/bus';
import type { Mode, RehearsalRef } from '../core/events';
import type { SecretResolver } from '../core/ports';
import { UsageError } from '../core/errors';
import { stateDir } from '../core/paths';
import { parseIssueRef, startStatusReporter, STATUS_REQUEST_TIMEOUT_MS, type StatusReporter } from '../team/status-comment';
import type { Runbook } from '../core/model';
import { envCredential, keychainCredential, typedCredential, type Credential } from '../github/credential';
import { findCredential, NO_TOKEN_ADVICE, type TokenSource } from '../team/auth';
import { teamGithub } from '../team/github';
import { outboxNotice } from '../team/outbox';
// Loaded only by a run that looks for a rehearsal or publishes its record: with them come classic zod and
// the record reader, which a run of a runbook without a team layer never needs.
import type { RehearsalRef as FoundRehearsal } from '../team/rehearsal';
import type { HeldTo } from '../engine/drift';
import { planDigest } from '../core/plan-digest';
import { recordsTarget, type RecordsTarget } from '../team/target';
import { terminalSafeLine } from '../core/terminal-safe';

export interface TeamOptions {
  recordsRepo?: string;
  reportTo?: string;
  withoutRehearsal?: string;
  recordDir?: string;
}

export interface TeamPlan {
  target?: RecordsTarget;
  notices: string[];
  warnings: string[];
  rehearsal?: { reliedOn?: RehearsalRef; withoutRehearsal?: string };
  /** The relied-on rehearsal's plan: the live run is held to it (SPEC §6.5). */
  heldTo?: HeldTo;
}

/** The secret that authenticates the team layer: `records.token`, else `github.token`. */
export function tokenSource(runbook: Runbook): TokenSource | undefined {
  const secret = runbook.meta.records?.token ?? runbook.meta.github?.token;
  const spec = secret ? runbook.meta.secrets?.[secret] : undefined;
  if (!secret || !spec) return undefined;
  return { secret, ...(spec.env ? { env: spec.env } : {}), ...(spec.keychain ? { keychain: spec.keychain } : {}) };
}

/** Checked before anything is shown or run: bad flags and an unrehearsed required live run exit 2. */
export async function planTeam(runbook: Runbook, options: TeamOptions, mode: Mode, apiUrl: string): Promise<TeamPlan> {
  if (options.withoutRehearsal !== undefined && !options.withoutRehearsal.trim()) {
    throw new UsageError('--without-rehearsal needs a reason, e.g. --without-rehearsal "prod is down; no time to rehearse".');
  }
  const target = recordsTarget(runbook, { flag: options.recordsRepo });
  const notices: string[] = [];
  const warnings: string[] = [];
  const waiting = outboxNotice();
  if (waiting) notices.push(waiting);
  let rehearsal: TeamPlan['rehearsal'];
  let heldTo: HeldTo | undefined;
  if (mode === 'live' && runbook.meta.rehearsal) {
    const credential = target ? await findCredential(target.token ?? tokenSource(runbook)) : undefined;
    const { describeRehearsal, findRehearsal, refusal } = await import('../team/rehearsal');
    const finding = await findRehearsal({
      runbook,
      recordDirs: [options.recordDir ?? join(stateDir(), 'records'), join(stateDir(), 'records')],
      ...(target ? { team: { gh: teamGithub(apiUrl, credential, { use: "the team's records" }), target } } : {}),
      githubApi: apiUrl,
    });
    warnings.push(...finding.warnings);
    notices.push(describeRehearsal(finding, runbook));
    const refused = refusal(finding, runbook);
    if (refused && options.withoutRehearsal === undefined) {
      // No view has started yet: the records that did not count are said here, before the refusal.
      for (const warning of finding.warnings) process.stderr.write(`handrail: warning: ${terminalSafeLine(warning)}\n`);
      throw new UsageError(refused);
    }
    const held = finding.reliedOn ? heldPlan(finding.reliedOn, warnings) : undefined;
    if (held) {
      heldTo = held;
      notices.push(`This run is held to that rehearsal's plan (${held.digest}): a difference stops it before the next change.`);
    }
    const reliedOn = finding.reliedOn
      ? {
          recordSha256: finding.reliedOn.recordSha256,
          operator: finding.reliedOn.operator,
          at: finding.reliedOn.at,
          location: finding.reliedOn.location,
          ...(held ? { planDigest: held.digest } : {}),
        }
      : undefined;
    rehearsal = {
      ...(reliedOn ? { reliedOn } : {}),
      ...(options.withoutRehearsal !== undefined ? { withoutRehearsal: options.withoutRehearsal.trim() } : {}),
    };
    if (options.withoutRehearsal !== undefined) notices.push(`Running live without a rehearsal: ${options.withoutRehearsal.trim()}`);
  }
  return { ...(target ? { target } : {}), notices, warnings, ...(rehearsal ? { rehearsal } : {}), ...(heldTo ? { heldTo } : {}) };
}

/**
 * The plan a live run is held to: the relied-on rehearsal's, under the digest recomputed from it. A
 * record whose stated digest does not match its plan is named, and its plan is still the one held to.
 */
function heldPlan(reliedOn: FoundRehearsal, warnings: string[]): HeldTo | undefined {
  if (!reliedOn.plan) {
    warnings.push(
      `the rehearsal by ${reliedOn.operator} at ${reliedOn.at} carries no plan (an older handrail wrote it), so this live run is not compared with it; rehearse again to be held to a plan.`,
    );
    return undefined;
  }
  const digest = planDigest(reliedOn.plan);
  if (reliedOn.planDigest !== undefined && reliedOn.planDigest !== digest) {
    warnings.push(
      `the rehearsal's record states plan digest ${reliedOn.planDigest}, but its plan's digest is ${digest}; the plan itself is what this run is held to.`,
    );
  }
  return { plan: reliedOn.plan, digest, by: reliedOn.operator, at: reliedOn.at };
}

/** `--report-to` / HANDRAIL_REPORT_TO, checked before anything runs. */
export function reportTarget(options: TeamOptions, env: NodeJS.ProcessEnv = process.env) {
  const text = options.reportTo ?? (env.HANDRAIL_REPORT_TO || undefined);
  if (text === undefined) return undefined;
  return parseIssueRef(text, options.reportTo !== undefined ? '--report-to' : 'HANDRAIL_REPORT_TO');
}

export async function startReport(
  bus: EventBus,
  runbook: Runbook,
  options: TeamOptions,
  apiUrl: string,
  warn: (m: string) => void,
  commentId?: number,
): Promise<StatusReporter | undefined> {
  const issue = reportTarget(options);
  if (!issue) return undefined;
  const credential = await findCredential(tokenSource(runbook));
  if (!credential) {
    warn(`the status comment on ${issue.repo}#${issue.number} needs a GitHub token: ${NO_TOKEN_ADVICE}; the run goes on without it.`);
    return undefined;
  }
  return startStatusReporter(bus, {
    gh: teamGithub(apiUrl, credential, { use: 'the status comment', timeoutMs: STATUS_REQUEST_TIMEOUT_MS }),
    issue,
    warn,
    ...(commentId !== undefined ? { commentId } : {}),
  });
}

/** The run's own token for publishing, when its records secret was found without asking anyone. */
async function runCredential(runbook: Runbook, target: RecordsTarget, secrets: SecretResolver): Promise<Credential | undefined> {
  const name = target.token?.secret;
  const spec = name ? runbook.meta.secrets?.[name] : undefined;
  if (!name || !spec) return undefined;
  try {
    if ((await secrets.lookup(name, spec)).source === 'missing') return undefined;
    const { value, source } = await secrets.resolve(name, spec);
    if (source === 'env' && spec.env) return envCredential(spec.env, value, name);
    if (source === 'keychain' && spec.keychain) return keychainCredential(spec.keychain, value, name);
    return typedCredential(name, value);
  } catch {
    return undefined;
  }
}

/** Publishes the record, or leaves it in the outbox; says which on the bus. Never throws. */
export async function publishAtEnd(options: {
  bus: EventBus;
  runbook: Runbook;
  target: RecordsTarget;
  recordPath: string;
  apiUrl: string;
  secrets: SecretResolver;
}): Promise<void> {
  const { bus, target, recordPath } = options;
  try {
    const [{ predicateOf }, { publishRecord }] = await Promise.all([import('../record/read'), import('../team/publish')]);
    const predicate = predicateOf(readFileSync(recordPath));
    if (!predicate) throw new Error(`${recordPath} is not a readable record`);
    const credential = await runCredential(options.runbook, target, options.secrets);
    const result = await publishRecord({
      target,
      apiUrl: options.apiUrl,
      localPath: recordPath,
      predicate,
      ...(credential ? { credential } : {}),
    });
    bus.emit({ type: 'record-published', at: new Date().toISOString(), ok: result.ok, message: result.message });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    bus.emit({
      type: 'record-published',
      at: new Date().toISOString(),
      ok: false,
      message: `Not published to ${target.repo}: ${message}; the record is kept at ${recordPath}.`,
    });
  }
}
