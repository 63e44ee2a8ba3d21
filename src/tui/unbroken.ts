// A line the operator is meant to copy (the record's path, the verify command) must reach the
// terminal as ONE line that only the terminal wraps: then a copy of it, or tmux's `capture-pane -J`,
// joins the rows again and the command runs as pasted. Ink cannot draw that: every row of its frame
// ends at the screen's edge. So the end screen draws such a line as its rows cut at exactly the
// screen's width (what the terminal would show), and after each frame Ink writes, the painter below
// writes the same text again over those rows in one run, which the terminal wraps by itself.
import { stripVTControlCharacters } from 'node:util';
import stringWidth from 'string-width';

const segmenter = new Intl.Segmenter();

/** `text` cut into rows of exactly `width` columns, as a terminal wraps a line too long for it. */
export function cutRows(text: string, width: number): string[] {
  const rows: string[] = [];
  let row = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = stringWidth(segment);
    // A wide character that does not fit in the last column goes to the next row, as on a terminal.
    if (used + w > width && row !== '') {
      rows.push(row);
      row = '';
      used = 0;
    }
    row += segment;
    used += w;
  }
  rows.push(row);
  return rows;
}

/**
 * What to write after a frame so each of `lines` that the frame shows as its cut rows becomes one
 * wrapped line: save the cursor, go up to the line's first row, write it, restore the cursor (Ink
 * moves the cursor relative to where it left it). Empty when the frame does not show them.
 */
export function paintAfter(frame: string, lines: readonly string[], columns: number): string {
  if (lines.length === 0 || columns <= 0 || !frame.includes('\n')) return '';
  // The frame's rows as drawn; the cursor is on the last one (the row after the frame when the
  // frame ends with a newline, which then splits off as an empty last row).
  const rows = stripVTControlCharacters(frame)
    .split('\n')
    .map((row) => row.trimEnd());
  let paint = '';
  for (const line of lines) {
    const cut = cutRows(line, columns).map((row) => row.trimEnd());
    if (cut.length < 2) continue;
    const at = rows.findIndex((_, i) => cut.every((piece, j) => rows[i + j] === piece));
    if (at < 0) continue;
    const up = rows.length - 1 - at;
    paint += `\x1b7${up > 0 ? `\x1b[${up}A` : ''}\r${line}\x1b8`;
  }
  return paint;
}

/**
 * `stdout` for Ink: every write passes through, and a write holding a frame is followed by the paint
 * that makes `lines()` (read at that moment) whole lines on the terminal.
 */
export function unbrokenStdout(stdout: NodeJS.WriteStream, lines: () => readonly string[]): NodeJS.WriteStream {
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    const paint = typeof chunk === 'string' ? paintAfter(chunk, lines(), stdout.columns ?? 0) : '';
    return (stdout.write as (...args: unknown[]) => boolean)(paint ? chunk + paint : chunk, ...rest);
  };
  return new Proxy(stdout, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
