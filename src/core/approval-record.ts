// What a live record keeps of the approval of its plan (SPEC §6.6): each counted approval's signed
// file, whole, so `handrail verify` can check every approver's signature offline and against GitHub
// long after the run; or the reason it went without (break glass).
import { z } from 'zod';

export const approvalEntrySchema = z.object({
  approver: z.string().describe("the approver's GitHub login"),
  at: z.string().describe('when they approved (RFC 3339), as they signed it'),
  fingerprint: z.string().describe('`SHA256:…` of the SSH key that signed the approval'),
  file: z.string().describe('where the approval was found: OWNER/REPO:path'),
  envelope: z
    .object({
      payloadType: z.string(),
      payload: z.string(),
      signatures: z.array(z.object({ keyid: z.string(), sig: z.string() })),
    })
    .describe('the approval file as committed: an SSH signature (namespace handrail-approval) over DSSE PAE of the payload'),
});

export const approvalRecordSchema = z
  .object({
    required: z.number().int().describe('approvals the runbook requires (front matter approval.required)'),
    from: z.union([z.array(z.string()), z.string()]).describe('who may approve: logins, or "@org/team"'),
    within: z.string().describe('how long an approval counts (front matter approval.within)'),
    planDigest: z.string().optional().describe('sha256:<hex> of the approved plan: the rehearsal this run relied on'),
    request: z.string().optional().describe('the approval request the operator published: OWNER/REPO:path'),
    approvals: z.array(approvalEntrySchema).describe('the approvals that counted when the run started'),
    withoutApproval: z.string().optional().describe('break glass: the reason given with --without-approval; the run was NOT APPROVED'),
  })
  .describe('live runs of a runbook with approval: in its front matter (SPEC 6.6)');

export type ApprovalEntry = z.infer<typeof approvalEntrySchema>;
export type ApprovalRecord = z.infer<typeof approvalRecordSchema>;
