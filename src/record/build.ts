// Builds the in-toto Statement from the journaled events alone (never from engine internals), across
// every resume of the run, so a step finished before a crash keeps its original times.
import type { EventOf, RunEvent, StepSummary } from '../core/events';
import type { Predicate, Statement, StepRecord } from './predicate';
import { renderTemplate } from '../runbook/template';
import { PREDICATE_TYPE, STATEMENT_TYPE } from './statement-ids';
import { planDigest } from '../core/plan-digest';
import { driftsFromEvents, planFromEvents } from './plan-build';

export interface JournalPin {
  entries: number;
  lastEntrySha256: string;
}

export function buildStatement(events: readonly RunEvent[], journal: JournalPin, now: Date = new Date()): Statement | undefined {
  const starts = events.filter((e): e is EventOf<'run-started'> => e.type === 'run-started');
  if (starts.length === 0) return undefined;
  const first = starts[0];
  const latest = starts[starts.length - 1];
  const ended = events.filter((e): e is EventOf<'run-ended'> => e.type === 'run-ended').at(-1);

  const inputs: Record<string, string> = {};
  const inputChanges: NonNullable<Predicate['inputChanges']> = [];
  const captures: Record<string, string> = {};
  const secrets = new Map<string, EventOf<'secret-resolved'>['source']>();
  const finishedBy = new Map<string, EventOf<'step-finished'>>();
  const attempts = new Map<string, number>();
  const skipDecisions = new Map<string, string | undefined>();
  const confirmations = new Map<string, 'confirmed' | 'auto-confirmed'>();
  const taskItems = new Map<string, { text: string; ticked: boolean }[]>();
  const warnings: string[] = [];
  let githubLogin: string | undefined;
  let rehearsal: EventOf<'rehearsal-checked'> | undefined;
  let approval: EventOf<'approval-checked'>['approval'] | undefined;
  for (const event of events) {
    if (event.type === 'decision' && event.items && (event.decision === 'skip' || event.decision === 'proceed'))
      taskItems.set(event.stepId, event.items);
    if (event.type === 'input-given') {
      if (event.source === 'changed' && event.previous !== undefined && event.stepId !== undefined) {
        inputChanges.push({
          name: event.name,
          from: event.previous,
          to: event.value,
          by: event.by ?? latest.operator.user,
          at: event.at,
          stepId: event.stepId,
        });
      }
      inputs[event.name] = event.value;
    } else if (event.type === 'capture') captures[event.name] = event.value;
    else if (event.type === 'secret-resolved') secrets.set(event.name, event.source);
    else if (event.type === 'github-login') githubLogin = event.login;
    else if (event.type === 'step-started') attempts.set(event.stepId, (attempts.get(event.stepId) ?? 0) + 1);
    else if (event.type === 'step-finished') finishedBy.set(event.stepId, event);
    else if (event.type === 'decision' && event.decision === 'skip') skipDecisions.set(event.stepId, event.reason);
    else if (event.type === 'decision' && event.decision === 'proceed')
      confirmations.set(event.stepId, event.auto ? 'auto-confirmed' : 'confirmed');
    else if (event.type === 'warning') warnings.push(event.message);
    else if (event.type === 'rehearsal-checked') rehearsal = event;
    else if (event.type === 'approval-checked') approval = event.approval;
  }

  // The latest run-started lists the steps of the runbook as it is now; a step that finished
  // earlier under an edited runbook is still part of what happened, so it is kept at the end.
  const summaries: StepSummary[] = [...latest.steps];
  const known = new Set(summaries.map((s) => s.id));
  for (const start of starts)
    for (const s of start.steps)
      if (!known.has(s.id) && finishedBy.has(s.id)) {
        summaries.push(s);
        known.add(s.id);
      }

  const steps = summaries.map((summary): StepRecord => {
    const done = finishedBy.get(summary.id);
    const record: StepRecord = {
      id: summary.id,
      kind: summary.kind,
      // The title as the operator saw it: "Re-tag {{IMAGE}}" reads "Re-tag containai" (SPEC §3.1).
      title: renderTemplate(summary.title, { ...inputs, ...captures }, new Set(secrets.keys())),
      status: done?.status ?? (skipDecisions.has(summary.id) ? 'skipped' : 'not-run'),
      attempts: attempts.get(summary.id) ?? 0,
    };
    if (done) {
      record.start = done.startedAt;
      record.end = done.at;
      if (done.exitCode !== undefined) record.exitCode = done.exitCode;
      if (done.status === 'skipped') record.skipReason = done.reason ?? skipDecisions.get(summary.id);
      else if (done.reason !== undefined) record.failureReason = done.reason;
      // A task list's status already says it; a destructive step's status says how it ran, so who
      // accepted it (a person, or --yes) is kept beside it.
      const items = taskItems.get(summary.id);
      if (items && summary.kind === 'confirm') record.items = items.map((item) => ({ ...item }));
      const confirmation = confirmations.get(summary.id);
      if (confirmation && summary.kind !== 'confirm') record.confirmation = confirmation;
      if (done.output) record.output = { sha256: done.output.sha256, bytes: done.output.bytes, tail: done.output.tail };
    } else if (skipDecisions.has(summary.id)) {
      record.skipReason = skipDecisions.get(summary.id);
    }
    return record;
  });

  // A rehearsal's plan (SPEC §6.5), titles filled as the steps' are; a live run's drifts.
  const fillTitle = (title: string) => renderTemplate(title, { ...inputs, ...captures }, new Set(secrets.keys()));
  const plan = latest.mode === 'rehearsal' ? planFromEvents(events, summaries) : undefined;
  if (plan) for (const step of plan.steps) step.title = fillTitle(step.title);
  const drifts = latest.mode === 'live' ? driftsFromEvents(events) : [];

  const predicate: Predicate = {
    runbook: { ...latest.runbook },
    runId: first.runId,
    mode: latest.mode,
    // No run-ended means the engine stopped without saying how: that is not a completed run.
    outcome: ended?.outcome ?? 'aborted',
    ...(ended?.reason !== undefined || !ended ? { outcomeReason: ended?.reason ?? 'the run stopped without ending' } : {}),
    operator: { ...latest.operator, ...(githubLogin !== undefined ? { githubLogin } : {}) },
    tool: { ...latest.tool },
    start: first.at,
    end: ended?.at ?? now.toISOString(),
    resumes: starts.filter((s) => s.resumed).map((s) => ({ at: s.at, fromIndex: s.resumed!.fromIndex })),
    inputs,
    ...(inputChanges.length ? { inputChanges } : {}),
    secrets: [...secrets].map(([name, source]) => ({ name, source })),
    steps,
    warnings,
    ...(rehearsal
      ? {
          rehearsal: {
            ...(rehearsal.reliedOn ? { reliedOn: { ...rehearsal.reliedOn } } : {}),
            ...(rehearsal.withoutRehearsal !== undefined ? { withoutRehearsal: rehearsal.withoutRehearsal } : {}),
          },
        }
      : {}),
    ...(approval ? { approval } : {}),
    ...(plan ? { plan, planDigest: planDigest(plan) } : {}),
    ...(drifts.length > 0 ? { drifts } : {}),
    journal: { ...journal },
  };
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: latest.runbook.path, digest: { sha256: latest.runbook.sha256 } }],
    predicateType: PREDICATE_TYPE,
    predicate,
  };
}
