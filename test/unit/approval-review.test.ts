// The plan an approver reads (SPEC §6.6) comes from someone else's request: it must reach the
// terminal without a control sequence, fit 80 columns, and scroll whole in the pager.
import { describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../src/approval/document';
import { pagerFrame } from '../../src/approval/pager';
import { remaining, reviewLines } from '../../src/approval/review';
import { columnsOf } from '../../src/core/wrap';

const request = (steps: number, text = 'echo hello'): ApprovalRequest => ({
  runbook: { id: 'demo', title: 'Demo \x1b]0;owned\x07', version: '1.0.0', sha256: 'a'.repeat(64) },
  planDigest: `sha256:${'b'.repeat(64)}`,
  plan: {
    inputs: { ORG: 'craton-co' },
    steps: Array.from({ length: steps }, (_, i) => ({
      id: `s${i}`,
      kind: 'run',
      title: `Step ${i + 1}`,
      text,
      captured: { DIGEST: `sha256:${'c'.repeat(64)}` },
    })),
  },
  rehearsal: {
    recordSha256: 'd'.repeat(64),
    location: 'o/r:records/demo/x.json',
    operator: '@alice',
    at: '2026-01-01T00:00:00Z',
    outcome: 'completed',
    steps: [{ id: 's0', title: 'Step 1', status: 'rehearsed', tail: 'line one\n\x1b[31mred\x1b[0m\n' }],
  },
  operator: { login: 'alice', user: 'alice', host: 'laptop', fingerprint: 'SHA256:x' },
  approval: { required: 1, from: ['bob', 'carol'], within: '4h' },
  requestedAt: '2026-01-01T00:00:00Z',
  openUntil: '2026-01-01T04:00:00Z',
  drift: [],
});

describe('the plan under review', () => {
  it('shows every control character as a placeholder and fits 80 columns', () => {
    const lines = reviewLines(
      request(2, 'printf "\x1b[2J"; rm -rf /tmp/x # a long comment that goes well past the eightieth column of the terminal'),
      { location: 'o/r:p', signedBy: 'signed by @alice', approvedBy: [], now: new Date('2026-01-01T01:00:00Z') },
      80,
    );
    const text = lines.join('\n');
    expect(text).not.toContain('\x1b');
    expect(text).not.toContain('\x07');
    expect(text).toContain('Demo ␛]0;owned␇');
    expect(text).toContain('│ printf "␛[2J"');
    expect(text).toContain('┊ ␛[31mred␛[0m');
    expect(text).toContain('  ORG = craton-co');
    expect(text).toContain('open until 2026-01-01T04:00:00Z (3h more)');
    for (const line of lines) expect(columnsOf(line), line).toBeLessThanOrEqual(80);
  });

  it('scrolls whole in the pager: the status line says which lines show', () => {
    const lines = reviewLines(request(20), { location: 'o/r:p', signedBy: 's', approvedBy: ['@bob'] }, 80);
    expect(lines.length).toBeGreaterThan(23);
    expect(pagerFrame(lines, 0, 80, 24)).toContain(`lines 1-23 of ${lines.length} ↓`);
    const last = lines.length - 23;
    const frame = pagerFrame(lines, last, 80, 24);
    expect(frame).toContain(`lines ${last + 1}-${lines.length} of ${lines.length}`);
    expect(frame).toContain('Drift already known');
  });

  it('says how long a request stays open in words', () => {
    expect(remaining(3 * 3600_000 + 58 * 60_000)).toBe('3h 58m');
    expect(remaining(40_000)).toBe('40s');
    expect(remaining(-1)).toBe('closed');
  });
});
