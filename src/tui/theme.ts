// Glyphs and colours in one place. NO_COLOR (https://no-color.org) turns every colour off;
// status then still reads from the glyph and the word beside it.
import type { RowStatus } from '../view/run-state';

export const noColor = (): boolean => Boolean(process.env.NO_COLOR);

/** A colour name for Ink, or undefined when colour is off. */
export function tint(color: string): string | undefined {
  return noColor() ? undefined : color;
}

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

export const STATUS_COLOR: Record<RowStatus, string> = {
  pending: 'gray',
  running: 'cyan',
  passed: 'green',
  confirmed: 'green',
  'auto-confirmed': 'green',
  rehearsed: 'blue',
  failed: 'red',
  skipped: 'yellow',
  'not-run': 'gray',
};

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function formatClock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}
