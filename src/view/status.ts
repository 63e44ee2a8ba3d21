// A step's status as every front end says it: one glyph and one word per status, one duration and
// one clock. The TUI, line mode and the status comment read these; each paints them its own way
// (colours live with the front end: tui/theme.ts, plain/printer.ts).
import type { StepStatus } from '../core/events';

export type RowStatus = StepStatus | 'pending' | 'running';

export const GLYPH: Record<RowStatus, string> = {
  pending: '○',
  running: '●',
  passed: '✓',
  confirmed: '✓',
  'auto-confirmed': '✓',
  rehearsed: '◇',
  failed: '✗',
  skipped: '↷',
  'not-run': '·',
};

/** A preflight check (a tool, a secret, the signing identity): met, not met, or not set up. */
export const CHECK_GLYPH = { met: '✓', unmet: '✗', none: '–' } as const;

/** How a status reads as good, bad or neither: each front end picks its colour from this. */
export type Tone = 'waiting' | 'active' | 'ok' | 'shown' | 'bad' | 'passed-over';

export const TONE: Record<RowStatus, Tone> = {
  pending: 'waiting',
  running: 'active',
  passed: 'ok',
  confirmed: 'ok',
  'auto-confirmed': 'ok',
  rehearsed: 'shown',
  failed: 'bad',
  skipped: 'passed-over',
  'not-run': 'waiting',
};

/**
 * A step's status word. While the run goes, `pending` and `running`; once it has ended, a step it
 * never reached is `not-run` and one it was in when it stopped is `interrupted`.
 */
export function statusWord(status: RowStatus, ended: boolean): string {
  if (!ended) return status;
  return status === 'pending' ? 'not-run' : status === 'running' ? 'interrupted' : status;
}

/** A step's glyph: once the run has ended, a step it never reached has not-run's, as its word says. */
export function statusGlyph(status: RowStatus, ended: boolean): string {
  return GLYPH[ended && status === 'pending' ? 'not-run' : status];
}

/** A step's duration: `850ms`, `1.2s`, `2m05s`, `1h02m`; nothing when unknown. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Time since the run started, as a clock: `04:07`, `1:02:03`. */
export function formatClock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}
