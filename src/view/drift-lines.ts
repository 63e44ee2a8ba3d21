// Drift from the rehearsal (SPEC §6.5) as lines: what was rehearsed and what is now, each value
// whole, line by line under its label, so a long list or digest is never cut.
import type { Drift } from '../core/events';
import type { Style } from './style';

/** What the drift is about, in words: `CHANNEL (input)`, `CURRENT_DIGESTS (captured by current-digests)`. */
export function driftSubject(drift: Drift): string {
  if (drift.field === 'text') return `what "${drift.stepId}" runs`;
  if (drift.field === 'input') return `${drift.name} (${drift.stepId ? `input step ${drift.stepId}` : 'input'})`;
  return `${drift.name} (captured by ${drift.stepId})`;
}

export function driftLines(drift: Drift, style: Style, indent = '  '): string[] {
  const lines = [`${indent}${style.yellow('≠ drift:')} ${driftSubject(drift)}`];
  const value = (label: string, text: string | undefined, paint: (s: string) => string) => {
    const rows =
      text === undefined
        ? [style.dim('(not reached in the rehearsal)')]
        : text === ''
          ? [style.dim('(empty)')]
          : text.split('\n').map(paint);
    rows.forEach((row, i) => lines.push(`${indent}    ${i === 0 ? label : ' '.repeat(label.length)} ${row}`));
  };
  value('rehearsed:', drift.rehearsed, (s) => s);
  value('now:      ', drift.now, style.yellow);
  return lines;
}

/** A drift decision in words: `drift accepted by @alice`, `drift accepted by @ci (--accept-drift)`. */
export function driftDecisionLine(decision: 'accept' | 'abort', by: string, auto: boolean): string {
  if (decision === 'accept') return `drift accepted by ${by}${auto ? ' (--accept-drift)' : ''}`;
  return auto ? 'drift: the run stops here (--yes without --accept-drift)' : `drift: stopped by ${by}`;
}
