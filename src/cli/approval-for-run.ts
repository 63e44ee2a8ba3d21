// `handrail run`'s one call into approval (SPEC §6.6), kept out of run.ts: the flags are checked for
// every run, and a live run of a runbook with `approval:` waits for its approvals (or breaks glass).
import parseDuration from 'parse-duration';
import { UsageError } from '../core/errors';
import type { Runbook } from '../core/model';
import type { TeamPlan } from './team-run';
import { reportTarget } from './team-run';
import type { GateResult } from '../approval/gate';

/** Flags checked before anything else: a bad one is bad usage (exit 2). */
export function checkApprovalFlags(options: { withoutApproval?: string; approvalTimeout?: string }): void {
  if (options.withoutApproval !== undefined && !options.withoutApproval.trim())
    throw new UsageError('--without-approval needs a reason, e.g. --without-approval "prod is down; nobody to approve at 3 a.m.".');
  if (options.approvalTimeout !== undefined && !(parseDuration(options.approvalTimeout) ?? 0))
    throw new UsageError(`--approval-timeout is not a duration: "${options.approvalTimeout}"; write it like 30m, 2h or 90s.`);
}

export interface ApprovalFlags {
  yes?: boolean;
  json?: boolean;
  plain?: boolean;
  reportTo?: string;
  withoutApproval?: string;
  approvalTimeout?: string;
}

export async function approvalFor(
  runbook: Runbook,
  options: ApprovalFlags,
  mode: 'live' | 'rehearsal',
  team: TeamPlan,
  apiUrl: string,
): Promise<GateResult | undefined> {
  checkApprovalFlags(options);
  if (mode !== 'live' || !runbook.meta.approval) return undefined;
  const screen = !options.yes && !options.json && !options.plain && process.stdin.isTTY === true && process.stdout.isTTY === true;
  const report = reportTarget(options);
  // Loaded only for a runbook with approval: it brings classic zod and the SSH checks with it.
  const { approvalGate } = await import('../approval/gate');
  return approvalGate({
    runbook,
    ...(team.target ? { target: team.target } : {}),
    apiUrl,
    ...(team.rehearsal?.reliedOn ? { reliedOn: team.rehearsal.reliedOn } : {}),
    ...(options.withoutApproval !== undefined ? { withoutApproval: options.withoutApproval } : {}),
    ...(options.approvalTimeout !== undefined ? { approvalTimeout: options.approvalTimeout } : {}),
    yes: options.yes === true,
    view: screen ? 'screen' : 'lines',
    // With --json, stdout carries only events.
    out: options.json ? process.stderr : process.stdout,
    ...(report ? { report } : {}),
  });
}
