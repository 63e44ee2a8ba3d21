// What stays in the terminal's scrollback once the TUI has closed (SPEC §3.1): the outcome with the
// mode, every step with its status and duration, the record's full path and how to verify it.
import { makeFill } from './fill';
import type { RunState } from '../view/run-state';
import { GLYPH, formatClock, formatDuration } from './theme';
import { verifyCommand } from '../view/verify-hint';

export function outcomeLine(state: RunState): string {
  const total = state.startedAt !== undefined && state.endedAt !== undefined ? formatClock(state.endedAt - state.startedAt) : '';
  return `Run ${state.outcome ?? 'ended'} (${state.mode === 'rehearsal' ? 'rehearsal' : 'live'})${total ? ` in ${total}` : ''}${state.endReason ? `: ${state.endReason}` : ''}${state.notApproved !== undefined ? ` — NOT APPROVED: ${state.notApproved}` : ''}`;
}

/** A step's status word; a step the run never reached is not-run, one it was in when it stopped is interrupted. */
export function statusWord(row: RunState['steps'][number]): string {
  return row.status === 'pending' ? 'not-run' : row.status === 'running' ? 'interrupted' : row.status;
}

/** The lines an operator copies from the end of a run, each drawn as one unbroken line. */
export function copyLines(recordPath: string): { record: string; verify: string } {
  return { record: `Record: ${recordPath}`, verify: `  ${verifyCommand(recordPath)}` };
}

/** Every input and choice the run was given, one `NAME = value` each: the digests picked stay on record on screen. */
export function inputLines(inputs: Readonly<Record<string, string>>): string[] {
  return Object.entries(inputs).map(([name, value]) => `  ${name} = ${value}`);
}

export function endLines(state: RunState): string[] {
  const fill = makeFill(state.variables, new Set(state.secretNames));
  const words = state.steps.map((row) => `${statusWord(row)} ${formatDuration(row.durationMs)}`.trimEnd());
  const width = Math.max(0, ...words.map((w) => w.length));
  const lines = [`handrail: ${fill(state.title)} — ${outcomeLine(state)}.`];
  if (Object.keys(state.inputs).length) lines.push('Inputs:', ...inputLines(state.inputs));
  state.steps.forEach((row, i) => {
    const reason = row.reason ? ` (${row.reason})` : '';
    lines.push(`  ${GLYPH[row.status]} ${words[i].padEnd(width)}  ${String(row.index + 1).padStart(2)}. ${fill(row.title)}${reason}`);
  });
  if (state.recordPath) {
    // As on the end screen: the command on a line of its own, so the whole line pastes and runs.
    const copy = copyLines(state.recordPath);
    lines.push(copy.record, 'Verify it with:', copy.verify);
  }
  return lines;
}
