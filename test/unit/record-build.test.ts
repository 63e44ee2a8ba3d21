// What the record says about a run, built from its journaled events alone: each step's status and
// why, who accepted a destructive step, the warnings, the rehearsal, and how the run ended.
import { describe, expect, it } from 'vitest';
import type { RunEvent, StepSummary } from '../../src/core/events';
import { buildStatement } from '../../src/record/build';

const PIN = { entries: 9, lastEntrySha256: 'e'.repeat(64) };
const T = (s: number) => new Date(Date.UTC(2025, 0, 2, 3, 0, s)).toISOString();

const STEPS: StepSummary[] = [
  { id: 'check', index: 0, kind: 'check', title: 'Check', section: 'S' },
  { id: 'tag', index: 1, kind: 'run', title: 'Tag {{DIGEST}}', section: 'S' },
  { id: 'push', index: 2, kind: 'run', title: 'Push', section: 'S' },
  { id: 'tick', index: 3, kind: 'confirm', title: 'Tick', section: 'S' },
  { id: 'later', index: 4, kind: 'run', title: 'Later', section: 'S' },
  { id: 'never', index: 5, kind: 'run', title: 'Never', section: 'S' },
];

function started(at: string, steps = STEPS, resumed?: { journalPath: string; fromIndex: number }): RunEvent {
  return {
    type: 'run-started',
    at,
    runId: 'run-1',
    runbook: { path: 'runbooks/deploy.md', id: 'deploy', title: 'Deploy', version: '1.2.0', sha256: 'a'.repeat(64) },
    mode: 'live',
    steps,
    operator: { user: 'ops', host: 'box' },
    tool: { name: 'handrail', version: '0.1.0' },
    ...(resumed ? { resumed } : {}),
  };
}

function finished(
  stepId: string,
  status: 'passed' | 'failed' | 'skipped' | 'confirmed',
  at: number,
  extra: Partial<Record<'exitCode' | 'reason', unknown>> = {},
): RunEvent {
  return { type: 'step-finished', at: T(at), stepId, index: 0, status, startedAt: T(at - 1), durationMs: 1000, ...extra } as RunEvent;
}

const decision = (
  stepId: string,
  d: 'proceed' | 'skip' | 'retry',
  at: number,
  extra: { reason?: string; auto?: boolean } = {},
): RunEvent => ({
  type: 'decision',
  at: T(at),
  stepId,
  decision: d,
  auto: extra.auto ?? false,
  ...(extra.reason !== undefined ? { reason: extra.reason } : {}),
});

describe("the statement built from a run's events", () => {
  it('is not built for a run that never started', () => {
    expect(buildStatement([], PIN)).toBeUndefined();
    expect(buildStatement([{ type: 'warning', at: T(0), message: 'x' }], PIN)).toBeUndefined();
  });

  it('says for each step how it ended and why, and who accepted a destructive step', () => {
    const events: RunEvent[] = [
      started(T(0)),
      { type: 'step-started', at: T(1), stepId: 'check', index: 0, attempt: 1, display: 'x', rehearsal: false },
      finished('check', 'passed', 2, { exitCode: 0 }),
      { type: 'capture', at: T(3), stepId: 'check', name: 'DIGEST', value: 'sha256:abc' },
      decision('tag', 'proceed', 4, { auto: true }),
      { type: 'step-started', at: T(4), stepId: 'tag', index: 1, attempt: 1, display: 'x', rehearsal: false },
      finished('tag', 'failed', 5, { exitCode: 3, reason: 'exit status 3' }),
      decision('tag', 'retry', 6),
      { type: 'step-started', at: T(6), stepId: 'tag', index: 1, attempt: 2, display: 'x', rehearsal: false },
      finished('tag', 'passed', 7, { exitCode: 0 }),
      decision('push', 'skip', 8, { reason: 'pushed by hand' }),
      finished('push', 'skipped', 8),
      decision('tick', 'proceed', 9),
      finished('tick', 'confirmed', 10),
      decision('later', 'skip', 11, { reason: 'not today' }),
      { type: 'warning', at: T(12), message: 'the outbox is full' },
      { type: 'rehearsal-checked', at: T(12), withoutRehearsal: 'first run of this runbook' },
      { type: 'run-ended', at: T(13), outcome: 'completed' },
    ];
    const p = buildStatement(events, PIN)!.predicate;
    expect(p.steps).toEqual([
      { id: 'check', kind: 'check', title: 'Check', status: 'passed', attempts: 1, start: T(1), end: T(2), exitCode: 0 },
      {
        id: 'tag',
        kind: 'run',
        title: 'Tag sha256:abc',
        status: 'passed',
        attempts: 2,
        start: T(6),
        end: T(7),
        exitCode: 0,
        confirmation: 'auto-confirmed',
      },
      { id: 'push', kind: 'run', title: 'Push', status: 'skipped', attempts: 0, start: T(7), end: T(8), skipReason: 'pushed by hand' },
      { id: 'tick', kind: 'confirm', title: 'Tick', status: 'confirmed', attempts: 0, start: T(9), end: T(10) },
      { id: 'later', kind: 'run', title: 'Later', status: 'skipped', attempts: 0, skipReason: 'not today' },
      { id: 'never', kind: 'run', title: 'Never', status: 'not-run', attempts: 0 },
    ]);
    expect(p.warnings).toEqual(['the outbox is full']);
    expect(p.rehearsal).toEqual({ withoutRehearsal: 'first run of this runbook' });
    expect(p.outcome).toBe('completed');
    expect(p).not.toHaveProperty('outcomeReason');
    expect(p.operator).toEqual({ user: 'ops', host: 'box' });
    expect(p.journal).toEqual(PIN);
  });

  it("keeps a failed step's reason, a person's confirmation, and a skip's own reason over the decision's", () => {
    const events: RunEvent[] = [
      started(T(0)),
      decision('tag', 'proceed', 1),
      finished('tag', 'failed', 2, { exitCode: 1, reason: 'timeout' }),
      decision('push', 'skip', 3, { reason: 'operator words' }),
      finished('push', 'skipped', 4, { reason: 'condition' }),
      { type: 'run-ended', at: T(5), outcome: 'failed', reason: 'step "tag" failed' },
    ];
    const p = buildStatement(events, PIN)!.predicate;
    expect(p.steps[1]).toMatchObject({ status: 'failed', exitCode: 1, failureReason: 'timeout', confirmation: 'confirmed' });
    expect(p.steps[2]).toEqual({
      id: 'push',
      kind: 'run',
      title: 'Push',
      status: 'skipped',
      attempts: 0,
      start: T(3),
      end: T(4),
      skipReason: 'condition',
    });
    expect(p).toMatchObject({ outcome: 'failed', outcomeReason: 'step "tag" failed' });
    expect(p).not.toHaveProperty('rehearsal');
  });

  it('calls a run that stopped without ending aborted, and keeps steps finished before an edit', () => {
    const before: StepSummary[] = [
      { id: 'old', index: 0, kind: 'run', title: 'Old', section: 'S' },
      { id: 'gone', index: 1, kind: 'run', title: 'Gone', section: 'S' },
      ...STEPS,
    ];
    const events: RunEvent[] = [
      started(T(0), before),
      finished('old', 'passed', 2, { exitCode: 0 }),
      started(T(30), STEPS, { journalPath: 'j', fromIndex: 0 }),
      { type: 'github-login', at: T(31), login: 'octo' },
    ];
    const p = buildStatement(events, PIN, new Date(T(40)))!.predicate;
    expect(p.steps.map((s) => [s.id, s.status])).toEqual([...STEPS.map((s) => [s.id, 'not-run']), ['old', 'passed']]);
    expect(p).toMatchObject({
      outcome: 'aborted',
      outcomeReason: 'the run stopped without ending',
      start: T(0),
      end: T(40),
      resumes: [{ at: T(30), fromIndex: 0 }],
    });
    expect(p.operator).toEqual({ user: 'ops', host: 'box', githubLogin: 'octo' });
  });
});
