// The output ring reads each chunk from its end and cleans lines only when shown; these tests pin
// that it still shows exactly what a line-by-line reader would, however the chunks are cut.
import { describe, expect, it } from 'vitest';
import { OutputBuffer, clean } from '../../src/tui/output-buffer';

/** The obvious implementation: split everything, clean every line, keep the last `n`. */
function naiveTail(text: string, n: number): string[] {
  const parts = text.split('\n');
  const partial = parts.pop() ?? '';
  const lines = parts.map((line) => clean(line));
  if (partial) lines.push(clean(partial));
  return lines.slice(-n);
}

/** Cuts `text` into chunks at the given offsets. */
function cut(text: string, sizes: number[]): string[] {
  const chunks: string[] = [];
  let at = 0;
  for (let i = 0; at < text.length; i++) {
    const size = sizes[i % sizes.length];
    chunks.push(text.slice(at, at + size));
    at += size;
  }
  return chunks;
}

describe('output buffer', () => {
  const text =
    Array.from({ length: 700 }, (_, i) => `line ${i}${i % 7 === 0 ? ' \x1b[31mred\x1b[0m' : ''}${i % 11 === 0 ? ' 50%\r100%' : ''}`).join(
      '\n',
    ) + '\nunfinished';

  for (const sizes of [[text.length], [1], [3, 17], [64], [1000, 5], [9000]]) {
    it(`shows the same tail as splitting every line, for chunks of ${sizes.join('/')} characters`, () => {
      const buffer = new OutputBuffer({ capacity: 50 });
      for (const chunk of cut(text, sizes)) buffer.push(chunk);
      expect(buffer.tail(50)).toEqual(naiveTail(text, 50));
      expect(buffer.tail(5)).toEqual(naiveTail(text, 5));
      expect(buffer.totalLines).toBe(700);
    });
  }

  it('joins a line split across chunks, and keeps the unfinished last line visible', () => {
    const buffer = new OutputBuffer({ capacity: 3 });
    buffer.push('first li');
    buffer.push('ne\nsecond ');
    expect(buffer.tail(3)).toEqual(['first line', 'second ']);
    buffer.push('half\nthird\nfourth\n');
    expect(buffer.tail(10)).toEqual(['second half', 'third', 'fourth']);
    expect(buffer.totalLines).toBe(4);
  });

  it('drops an unfinished line when the chunk that ends it scrolls it away', () => {
    const buffer = new OutputBuffer({ capacity: 2 });
    buffer.push('lost ');
    buffer.push('line\na\nb\nc\n');
    expect(buffer.tail(2)).toEqual(['b', 'c']);
    expect(buffer.totalLines).toBe(4);
  });

  it('shows escapes as visible placeholders, expands tabs, and lets the last carriage return win', () => {
    const buffer = new OutputBuffer();
    buffer.push('\x1b[1;32mok\x1b[0m\tdone\n10%\r55%\r100%\r\n\x1b]0;title\x07plain\n');
    expect(buffer.tail(3)).toEqual(['␛[1;32mok␛[0m  done', '100%', '␛]0;title␇plain']);
  });

  it('keeps only the end of an endless line and cuts long lines, so memory stays bounded', () => {
    const buffer = new OutputBuffer({ maxLineLength: 10 });
    for (let i = 0; i < 1000; i++) buffer.push('progress ');
    buffer.push('END');
    expect(buffer.unfinished).toBe(true);
    expect(buffer.tail(1)).toEqual(['…gress END']);
    buffer.push(`\n${'y'.repeat(50)}\n`);
    expect(buffer.unfinished).toBe(false);
    expect(buffer.tail(2)).toEqual(['…gress END', 'y'.repeat(10)]);
    expect(buffer.tail(1)).toEqual(['y'.repeat(10)]);
  });

  it('shows the end of an unfinished line longer than it keeps, and only what follows its last carriage return', () => {
    const buffer = new OutputBuffer({ maxLineLength: 10 });
    buffer.push('abcdefghijklmnop');
    expect(buffer.tail(1)).toEqual(['…hijklmnop']);
    buffer.push(`${'x'.repeat(30)}\r42%`);
    expect(buffer.tail(1)).toEqual(['42%']);
  });

  it('starts empty again on clear, and bumps its version on every change', () => {
    const buffer = new OutputBuffer();
    const before = buffer.version;
    buffer.push('a\nb\n');
    expect(buffer.version).toBeGreaterThan(before);
    buffer.clear();
    expect(buffer.tail(10)).toEqual([]);
    expect(buffer.totalLines).toBe(0);
    buffer.push('c\n');
    expect(buffer.tail(10)).toEqual(['c']);
  });
});
