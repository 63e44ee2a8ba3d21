// Which step the screen is about, and how it reads while a question is open about it.
import type { RunState, StepRow } from '../view/run-state';
import type { PendingAsk } from './questions';

export interface Focus {
  /** Index of the step in focus, or -1 before any. */
  focus: number;
  /** The step in focus as the screen shows it (its status may read failed while a failure is asked). */
  current: StepRow | undefined;
  /** The step list with `current` in its place. */
  stepRows: StepRow[];
}

/** The step a question is about: its step, or the input step asking; undefined for the run's own questions. */
function stepAskedAbout(ask: PendingAsk | undefined): string | undefined {
  if (!ask) return undefined;
  if (ask.kind === 'input') return ask.request.stepId;
  return 'step' in ask.request ? ask.request.step.id : undefined;
}

export function focusOf(state: RunState, ask: PendingAsk | undefined): Focus {
  // A question about a step (confirm before it starts, a failure, a task list) puts that step in focus.
  const askStepId = stepAskedAbout(ask);
  const askIndex = askStepId === undefined ? -1 : state.steps.findIndex((row) => row.id === askStepId);
  const focus = askIndex >= 0 ? askIndex : state.current;
  const focusRow = focus >= 0 ? state.steps[focus] : undefined;
  // The engine reports a failed attempt only through the failure question, so while it waits for
  // r / s / q the step would still read "running" with a ticking spinner; show it as failed.
  // So does a command step whose inputs are being changed after its failure (c), until it is retried.
  const changing = ask?.kind === 'input' && focusRow?.status === 'running' && focusRow.kind !== 'input';
  const failedAttempt =
    ask?.kind === 'failure' && focusRow?.status === 'running'
      ? ask.request
      : changing
        ? { exitCode: focusRow?.exitCode, logPath: undefined }
        : undefined;
  const current: StepRow | undefined =
    focusRow && ask?.kind === 'confirmStep' && focusRow.status === 'pending'
      ? { ...focusRow, display: ask.request.display }
      : focusRow && failedAttempt
        ? { ...focusRow, status: 'failed', exitCode: failedAttempt.exitCode, logPath: failedAttempt.logPath ?? focusRow.logPath }
        : focusRow;
  const stepRows = current && failedAttempt ? state.steps.map((row, i) => (i === focus ? current : row)) : state.steps;
  return { focus, current, stepRows };
}
