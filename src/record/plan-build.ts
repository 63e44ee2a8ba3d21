// What a record says about SPEC §6.5, built from the journaled events alone (as the rest of the
// record is): a rehearsal's plan, and a live run's drifts with the decision each one got.
import type { EventOf, RunEvent, StepSummary } from '../core/events';
import type { Plan, PlanStep } from '../core/plan';
import type { DriftRecord } from './predicate';

/**
 * The plan of a rehearsal: its non-secret inputs and choices, and per step the text it showed (the
 * last attempt's, secrets masked) and the values it captured. Steps it never reached say why.
 */
export function planFromEvents(events: readonly RunEvent[], steps: readonly StepSummary[]): Plan {
  const inputs: Record<string, string> = {};
  const texts = new Map<string, string>();
  const captured = new Map<string, Record<string, string>>();
  const skipped = new Map<string, string>();
  for (const event of events) {
    if (event.type === 'input-given') inputs[event.name] = event.value;
    else if (event.type === 'step-started') texts.set(event.stepId, event.display);
    else if (event.type === 'capture') captured.set(event.stepId, { ...captured.get(event.stepId), [event.name]: event.value });
    else if (event.type === 'step-finished' && event.status === 'skipped' && !texts.has(event.stepId))
      skipped.set(event.stepId, event.reason ?? 'skipped');
  }
  return {
    inputs,
    steps: steps.map((summary): PlanStep => {
      const text = texts.get(summary.id);
      return {
        id: summary.id,
        kind: summary.kind,
        title: summary.title,
        text: text ?? '',
        captured: captured.get(summary.id) ?? {},
        ...(summary.driftIgnore ? { driftIgnore: true } : {}),
        ...(text === undefined ? { skipped: skipped.get(summary.id) ?? 'not reached' } : {}),
      };
    }),
  };
}

/** Each drift of a live run, with the decision that covered it (the next one after it was found). */
export function driftsFromEvents(events: readonly RunEvent[]): DriftRecord[] {
  const drifts: DriftRecord[] = [];
  let undecided: DriftRecord[] = [];
  for (const event of events) {
    if (event.type === 'drift') {
      const { type: _type, at: _at, ...drift } = event;
      const entry: DriftRecord = { ...drift, decision: 'not-asked' };
      drifts.push(entry);
      undecided.push(entry);
    } else if (event.type === 'drift-decision') {
      for (const entry of undecided) decide(entry, event);
      undecided = [];
    }
  }
  return drifts;
}

function decide(entry: DriftRecord, event: EventOf<'drift-decision'>): void {
  entry.decision = event.decision === 'accept' ? 'accepted' : 'aborted';
  entry.by = event.by;
  entry.auto = event.auto;
  if (event.beforeStepId !== undefined) entry.beforeStepId = event.beforeStepId;
}
