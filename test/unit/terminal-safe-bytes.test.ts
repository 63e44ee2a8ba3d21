// Output reaches the screen as the bytes a command printed, checked in place (SPEC §3.2): it must be
// exactly as safe as the text path, whatever the bytes and however the reads split them.
import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { hasUnsafe, terminalSafe, terminalSafeBytes } from '../../src/core/terminal-safe';
import { displayEvent } from '../../src/core/for-display';
import { OutputCollector } from '../../src/engine/output';
import { outputText, type OutputEvent } from '../../src/core/events';
import { Masker, MASK } from '../../src/core/masker';

// Anything a terminal acts on: C0 but \n and \t, DEL, C1, bidi controls, U+2028/9.
const ACTS_ON = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** What the screen is sent for these reads: collected, made display-safe, as the printer writes it. */
function screenOf(reads: Buffer[], masker = new Masker()): { screen: Buffer; log: string[] } {
  const shown: Buffer[] = [];
  const collector = new OutputCollector({
    masker,
    onOutput: (stream, bytes) => {
      const event = displayEvent({ type: 'output', stepId: 's', stream, bytes }) as OutputEvent;
      shown.push('bytes' in event ? event.bytes : Buffer.from(event.text));
    },
  });
  for (const read of reads) collector.push('stdout', read);
  collector.finish();
  return { screen: Buffer.concat(shown), log: shown.map((b) => b.toString('latin1')) };
}

/** Every way to cut `bytes` in two. */
function splits(bytes: Buffer): Buffer[][] {
  return Array.from({ length: bytes.length + 1 }, (_, at) => [bytes.subarray(0, at), bytes.subarray(at)]);
}

describe('terminalSafeBytes', () => {
  it('agrees with terminalSafe on every character below U+3000 and the ones after it, alone and in text', () => {
    for (let c = 0; c < 0x3000; c++) {
      if (c >= 0xd800) break;
      const char = String.fromCharCode(c);
      for (const text of [char, `a${char}b`, `${char}\n`]) {
        expect(terminalSafeBytes(Buffer.from(text)).toString('utf8'), `U+${c.toString(16)}`).toBe(terminalSafe(text));
      }
    }
    for (const text of ['🚀 ✓ 部署 — Déploiement\n', '\u{1F600}\u2067', 'line\r\n']) {
      expect(terminalSafeBytes(Buffer.from(text)).toString('utf8')).toBe(terminalSafe(text));
    }
  });

  it('finds a control byte wherever it sits in a long read, whatever the read’s alignment in memory', () => {
    const backing = Buffer.alloc(64 + 3, 'x');
    for (let byte = 0; byte < 0x80; byte++) {
      for (const start of [0, 1, 2, 3]) {
        for (let at = 0; at < 64; at++) {
          const read = backing.subarray(start, start + 64);
          read.fill('y');
          read[at] = byte;
          const safe = terminalSafeBytes(read);
          const expected = terminalSafe(read.toString('latin1'));
          if (safe.toString('utf8') !== expected) expect.fail(`byte 0x${byte.toString(16)} at ${at} of a read at offset ${start}`);
        }
      }
    }
  });

  it('passes ordinary output through as the very same bytes, without decoding it', () => {
    const plain = Buffer.from('building… ✓ 100%\n\tdone — 部署\n');
    expect(terminalSafeBytes(plain)).toBe(plain);
  });

  it('never sends bytes that are not UTF-8, which an 8-bit terminal reads as C1 controls (0x9b is CSI)', () => {
    for (const [bytes, shown] of [
      [[0x6f, 0x6b, 0x9b, 0x32, 0x4a, 0x0a], 'ok\uFFFD2J\n'],
      [[0x9b, 0x32, 0x4a, 0xc2, 0x0a, 0xff], '\uFFFD2J\uFFFD\n\uFFFD'],
      [[0xe2, 0x80, 0x61], '\uFFFDa'],
    ] as const) {
      const safe = terminalSafeBytes(Buffer.from(bytes));
      expect(safe.toString('utf8')).toBe(shown);
      expect(safe.includes(0x9b)).toBe(false);
      expect(isUtf8(safe)).toBe(true);
    }
  });
});

describe('output split across reads, on its way to the screen', () => {
  it('shows an escape sequence cut anywhere as its visible stand-in, never as the raw control', () => {
    const text = Buffer.from('before \x1b[2J\x1b]0;owned\x07 after \u202Egnp.exe \u009b8m\n');
    for (const reads of splits(text)) {
      const { screen } = screenOf(reads);
      expect(screen.toString('utf8')).not.toMatch(ACTS_ON);
      expect(screen.toString('utf8')).toBe(terminalSafe(text.toString('utf8')));
    }
  });

  it('shows a multi-byte character cut anywhere whole, in any number of reads', () => {
    const text = Buffer.from('✓ 部署 🚀 é\n');
    for (const reads of splits(text)) {
      const { screen } = screenOf(reads);
      expect(screen.toString('utf8')).toBe('✓ 部署 🚀 é\n');
      expect(hasUnsafe(screen.toString('utf8'))).toBe(false);
    }
    const byByte = [...text].map((byte) => Buffer.from([byte]));
    expect(screenOf(byByte).screen.toString('utf8')).toBe('✓ 部署 🚀 é\n');
  });

  it('shows a character cut off at the very end of the output as a replacement character', () => {
    const check = Buffer.from('✓');
    const { screen } = screenOf([Buffer.from('ok '), check.subarray(0, 2)]);
    expect(screen.toString('utf8')).toBe('ok \uFFFD');
  });

  it('masks a secret cut anywhere, on the screen as in the log', () => {
    const secret = 'ghp_s3cr3tT0kenValue';
    const masker = new Masker();
    masker.add(secret);
    const text = Buffer.from(`token=${secret} \x1b[8m ✓\n`);
    for (const reads of splits(text)) {
      const { screen } = screenOf(reads, masker);
      expect(screen.toString('utf8')).toBe(`token=${MASK} ␛[8m ✓\n`);
    }
  });

  it('gives --json and the TUI the same text as before: whole characters, decoded', () => {
    const event: OutputEvent = { type: 'output', stepId: 's', stream: 'stdout', bytes: Buffer.from('部署\n') };
    expect(outputText(event)).toBe('部署\n');
  });
});
