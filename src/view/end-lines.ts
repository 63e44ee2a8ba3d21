// The end of a run in lines, the same in every front end: what stays in the terminal's scrollback
// once the TUI has closed (SPEC §3.1), and what line mode prints when the run ends. The outcome with
// the mode, every step with its glyph, status word and duration, the record's full path and how to
// verify it.
import type { Outcome } from '../core/events';
import { makeFill } from './fill';
import type { RunState, StepRow } from './run-state';
import { formatClock, formatDuration, statusGlyph, statusWord, type RowStatus } from './status';
import { verifyCommand } from './verify-hint';

/**
 * Break glass (SPEC §6.6). In a sentence (the end screen, line mode, the preflight) it reads
 * `NOT APPROVED: started with …`; after an `Approval:` label (the status comment, verify) the label
 * already has the colon, so a dash follows.
 */
export function notApprovedLine(reason: string, after: 'sentence' | 'label' = 'sentence'): string {
  return `NOT APPROVED${after === 'label' ? ' —' : ':'} started with --without-approval: ${reason}`;
}

export function outcomeLine(state: RunState): string {
  const total = state.startedAt !== undefined && state.endedAt !== undefined ? formatClock(state.endedAt - state.startedAt) : '';
  const notApproved = state.notApproved !== undefined ? ` — ${notApprovedLine(state.notApproved)}` : '';
  return `Run ${state.outcome ?? 'ended'} (${state.mode === 'rehearsal' ? 'rehearsal' : 'live'})${total ? ` in ${total}` : ''}${state.endReason ? `: ${state.endReason}` : ''}${notApproved}`;
}

/** A step's status word at the end: one the run never reached is not-run, one it was in when it stopped is interrupted. */
export function endWord(row: StepRow): string {
  return statusWord(row.status, true);
}

/** The lines an operator copies from the end of a run, each drawn as one unbroken line. */
export function copyLines(recordPath: string): { record: string; verify: string } {
  return { record: `Record: ${recordPath}`, verify: `  ${verifyCommand(recordPath)}` };
}

/** The label between the record's path and the command, in the TUI's end screen and in every end. */
export const VERIFY_WITH = 'Verify it with:';

/** Where the record is and the command that verifies it, on a line of its own so the whole line pastes and runs. */
export function recordLines(recordPath: string): string[] {
  const copy = copyLines(recordPath);
  return [copy.record, VERIFY_WITH, copy.verify];
}

/** Every input and choice the run was given, one `NAME = value` each: the digests picked stay on record on screen. */
export function inputLines(inputs: Readonly<Record<string, string>>): string[] {
  return Object.entries(inputs).map(([name, value]) => `  ${name} = ${value}`);
}

/** How a front end colours the end: the outcome line by the outcome, a step's glyph and word by its status. */
export interface EndPaint {
  outcome(outcome: Outcome | undefined, text: string): string;
  status(status: RowStatus, text: string): string;
}

const PLAIN: EndPaint = { outcome: (_, text) => text, status: (_, text) => text };

/** The end without the record: the outcome, the inputs given, every step. */
export function summaryLines(state: RunState, paint: EndPaint = PLAIN): string[] {
  const fill = makeFill(state.variables, new Set(state.secretNames));
  const words = state.steps.map((row) => `${endWord(row)} ${formatDuration(row.durationMs)}`.trimEnd());
  const width = Math.max(0, ...words.map((w) => w.length));
  const outcome = outcomeLine(state);
  // A sentence ends once: a reason may already end with its own full stop.
  const lines = [paint.outcome(state.outcome, `handrail: ${fill(state.title)} — ${outcome}${/[.!?]$/.test(outcome) ? '' : '.'}`)];
  if (Object.keys(state.inputs).length) lines.push('Inputs:', ...inputLines(state.inputs));
  state.steps.forEach((row, i) => {
    const reason = row.reason ? ` (${row.reason})` : '';
    lines.push(
      `  ${paint.status(row.status, `${statusGlyph(row.status, true)} ${words[i].padEnd(width)}`)}  ${String(row.index + 1).padStart(2)}. ${fill(row.title)}${reason}`,
    );
  });
  return lines;
}

/**
 * Line mode's end, laid out for reading down a log: a table of every step (title, then its status word
 * and duration from the same tables as the TUI's end), the inputs, then the outcome and the reason.
 * The layout differs from the scrollback's because scripts and operators read each as it always was;
 * every word in it is the same.
 */
export function tableLines(state: RunState, paint: EndPaint & { heading(text: string): string; dim(text: string): string }): string[] {
  const fill = makeFill(state.variables, new Set(state.secretNames));
  const titles = state.steps.map((row) => fill(row.title));
  const width = Math.max(5, ...titles.map((t) => t.length));
  const numberWidth = String(state.steps.length).length;
  const lines = [paint.heading('Summary')];
  state.steps.forEach((row, i) => {
    // A step an earlier, resumed run finished has no duration here: it says so instead.
    const duration = row.durationMs !== undefined ? formatDuration(row.durationMs) : (row.reason ?? '');
    const number = String(row.index + 1).padStart(numberWidth);
    lines.push(`  ${number}. ${titles[i]!.padEnd(width)}  ${paint.status(row.status, endWord(row).padEnd(14))} ${paint.dim(duration)}`);
  });
  if (Object.keys(state.inputs).length) lines.push('', paint.heading('Inputs'), ...inputLines(state.inputs));
  const outcome = state.outcome ?? 'ended';
  lines.push('', `Run ${paint.outcome(state.outcome, outcome)}${state.endReason ? `: ${state.endReason}` : ''}`);
  if (state.notApproved !== undefined) lines.push(paint.outcome('failed', notApprovedLine(state.notApproved)));
  return lines;
}

/** All of the end, as the TUI leaves it in the scrollback. */
export function endLines(state: RunState, paint: EndPaint = PLAIN): string[] {
  return [...summaryLines(state, paint), ...(state.recordPath ? recordLines(state.recordPath) : [])];
}
