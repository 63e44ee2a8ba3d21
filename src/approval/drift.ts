// Drift after approval (SPEC §6.5, §6.6): what a second person approved was the plan, so drift from
// it cannot be accepted by the operator alone. The drift check (src/engine) asks `runApproved` before
// it offers "continue", and, when it is true, stops the run with `driftNeedsApproval` instead — in
// every mode, --accept-drift included.
import type { ApprovalRecord } from '../record/approval-record';

/** Whether the run started on approvals (not break glass): then drift needs a new approval. */
export function runApproved(approval: ApprovalRecord | undefined): boolean {
  return approval !== undefined && approval.withoutApproval === undefined && approval.approvals.length > 0;
}

/** The sentence the run stops with when it drifts from an approved plan. */
export function driftNeedsApproval(approval: ApprovalRecord, runbookPath: string): string {
  const by = approval.approvals.map((a) => `@${a.approver}`).join(', ');
  return `this run drifted from the plan ${by} approved (${approval.planDigest ?? 'its rehearsal'}), and drift from an approved plan cannot be accepted here: it needs a new approval — rehearse again (\`handrail run ${runbookPath} --dry-run\`), then run live to ask for approval of the new plan.`;
}
