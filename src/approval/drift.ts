// Drift after approval (SPEC §6.5, §6.6): what a second person approved was the plan, so drift from
// it cannot be accepted by the operator alone. The run marks the plan it is held to as approved when
// `runApproved`, and the drift check (src/engine/drift.ts) then stops instead of offering "continue",
// in every mode, --accept-drift included.
import type { ApprovalRecord } from '../core/approval-record';

/** Whether the run started on approvals (not break glass): then drift needs a new approval. */
export function runApproved(approval: ApprovalRecord | undefined): boolean {
  return approval !== undefined && approval.withoutApproval === undefined && approval.approvals.length > 0;
}
