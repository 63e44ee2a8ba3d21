// The end of a run in lines, the same in every front end: what stays in the terminal's scrollback
// once the TUI has closed (SPEC §3.1), and what line mode prints when the run ends. The outcome with
// the mode, every step with its glyph, status word and duration, the record's full path and how to
// verify it.
import type { Outcome } from '../core/events';
import { makeFill } from './fill';
import type { RunState, StepRow } from './run-state';
import { formatClock, formatDuration, statusGlyph, statusWord, type RowStatus } from './status';
import { verifyCommand } from './verify-hint';

/** Break glass (SPEC §6.6), said the same on the end screen, in line mode and on the issue. */
export function notApprovedLine(reason: string): string {
  return `NOT APPROVED: started with --without-approval: ${reason}`;
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
    lines.push(`  ${paint.status(row.status, `${statusGlyph(row.status, true)} ${words[i].padEnd(width)}`)}  ${String(row.index + 1).padStart(2)}. ${fill(row.title)}${reason}`);
  });
  return lines;
}

/** All of the end, as the TUI leaves it in the scrollback. */
export function endLines(state: RunState, paint: EndPaint = PLAIN): string[] {
  return [...summaryLines(state, paint), ...(state.recordPath ? recordLines(state.recordPath) : [])];
}
