import { describe, expect, it } from 'vitest';
import { cutRows, paintAfter } from '../../src/tui/unbroken';

describe('a line the operator copies, drawn by Ink', () => {
  it('is cut at exactly the width, as a terminal wraps it, a wide character moving to the next row', () => {
    expect(cutRows('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(cutRows('abc界d', 4)).toEqual(['abc', '界d']);
    expect(cutRows('short', 80)).toEqual(['short']);
  });

  it('is written again over its rows in one run after a frame that shows it, the cursor put back', () => {
    const line = `  handrail verify /records/${'x'.repeat(30)}.json`;
    const rows = cutRows(line, 20);
    const frame = `\x1b[2K\x1b[1Aheader\n\n${rows.join('\n')}\nPress any key to exit.`;
    // The cursor is on the frame's last row: the line starts that many rows (and one more) above it.
    expect(paintAfter(frame, [line], 20)).toBe(`\x1b7\x1b[${rows.length}A\r${line}\x1b8`);
  });

  it('is left alone when the frame does not show it, or when it fits in one row', () => {
    const line = `  handrail verify /records/${'x'.repeat(30)}.json`;
    expect(paintAfter('header\nsomething else\nfooter', [line], 20)).toBe('');
    // Cut at another width (the screen was resized meanwhile): not this frame's rows.
    expect(paintAfter(`header\n${cutRows(line, 30).join('\n')}\n`, [line], 20)).toBe('');
    expect(paintAfter('header\nRecord: /r.json\n', ['Record: /r.json'], 80)).toBe('');
  });
});
