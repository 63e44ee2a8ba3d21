// The TUI's colours in one place; the glyphs, status words and durations are view/status.ts's, the
// same for every front end. NO_COLOR (https://no-color.org) turns every colour off; status then
// still reads from the glyph and the word beside it.
import { TONE, type RowStatus } from '../view/status';

export const noColor = (): boolean => Boolean(process.env.NO_COLOR);

/** A colour name for Ink, or undefined when colour is off. */
export function tint(color: string): string | undefined {
  return noColor() ? undefined : color;
}

const TONE_COLOR = { waiting: 'gray', active: 'cyan', ok: 'green', shown: 'blue', bad: 'red', 'passed-over': 'yellow' } as const;

export const STATUS_COLOR = Object.fromEntries(Object.entries(TONE).map(([status, tone]) => [status, TONE_COLOR[tone]])) as Record<
  RowStatus,
  string
>;
