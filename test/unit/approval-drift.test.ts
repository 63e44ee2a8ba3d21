// Drift after approval (SPEC §6.6): the flag the drift check reads.
import { describe, expect, it } from 'vitest';
import { runApproved } from '../../src/approval/drift';
import type { ApprovalRecord } from '../../src/core/approval-record';

const approved: ApprovalRecord = {
  required: 1,
  from: ['bob'],
  within: '4h',
  planDigest: `sha256:${'a'.repeat(64)}`,
  approvals: [
    {
      approver: 'bob',
      at: '2026-01-01T00:00:00Z',
      fingerprint: 'SHA256:x',
      file: 'o/r:p',
      envelope: { payloadType: 't', payload: '', signatures: [] },
    },
  ],
};

describe('drift after approval', () => {
  it('is a run on approvals only when approvals counted and glass was not broken', () => {
    expect(runApproved(approved)).toBe(true);
    expect(runApproved(undefined)).toBe(false);
    expect(runApproved({ ...approved, approvals: [], withoutApproval: 'prod is down' })).toBe(false);
  });
});
