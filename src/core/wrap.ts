// Text that must be read in full (a command, a task item, a prompt, output, the record path) is
// wrapped to the screen's width here, line by line, so a view knows exactly how many rows it takes
// and draws each row as one Ink line that can never be wrapped again or cut.
import stringWidth from 'string-width';

const segmenter = new Intl.Segmenter();

/** Columns a string takes on the terminal. */
export const columnsOf = (text: string): number => stringWidth(text);

/**
 * Splits `text` into rows of at most `width` columns: at a space when one is near the end of the
 * row, else mid-word (the space a row breaks at is dropped).
 * `indent` is put before every row after a line's first (and counts toward the width).
 */
export function wrapText(text: string, width: number, indent = ''): string[] {
  const room = Math.max(1, width);
  const rows: string[] = [];
  for (const line of text.split('\n')) {
    if (stringWidth(line) <= room) {
      rows.push(line);
      continue;
    }
    let row = '';
    let used = 0;
    let lastSpace = -1;
    const first = rows.length;
    const push = (piece: string) => {
      rows.push(rows.length === first ? piece : `${indent}${piece}`);
    };
    const limit = () => (rows.length === first ? room : Math.max(1, room - stringWidth(indent)));
    for (const { segment } of segmenter.segment(line)) {
      const w = stringWidth(segment);
      if (used + w > limit() && row !== '') {
        // Break after the last space when it leaves at least half a row, so words stay whole.
        if (lastSpace >= 0 && lastSpace + 1 >= limit() / 2) {
          push(row.slice(0, lastSpace + 1).trimEnd());
          row = row.slice(lastSpace + 1);
        } else {
          push(row);
          row = '';
        }
        used = stringWidth(row);
        lastSpace = row.lastIndexOf(' ');
      }
      row += segment;
      used += w;
      if (segment === ' ') lastSpace = row.length - 1;
    }
    push(row);
  }
  return rows;
}

/** The rows `text` takes when wrapped to `width`. */
export const rowsOf = (text: string, width: number, indent = ''): number => wrapText(text, width, indent).length;

/** A window of `height` rows out of `total`, starting at `top` and kept inside the list. */
export function clampTop(top: number, total: number, height: number): number {
  return Math.max(0, Math.min(top, total - height));
}

/** The first row to show so that row `focus` is visible, moving as little as possible from `top`. */
export function followTop(top: number, focus: number, total: number, height: number): number {
  if (height <= 0) return 0;
  let next = top;
  if (focus < next) next = focus;
  if (focus >= next + height) next = focus - height + 1;
  return clampTop(next, total, height);
}
