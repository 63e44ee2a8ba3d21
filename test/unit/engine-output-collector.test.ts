// One step's output as the operator, the log, the journal's hash and capture= see it (SPEC §3.2, §7):
// every piece shown is whole characters whatever the reads, the log and hash hold exactly what was
// shown, the tail is the last lines, and stdout kept for capture= is bounded.
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputCollector, STDOUT_KEEP_LIMIT, wholeLength, type StreamName } from '../../src/engine/output';
import { Masker, MASK } from '../../src/core/masker';

const dir = mkdtempSync(join(tmpdir(), 'handrail-collector-'));
let logs = 0;

function collect(
  reads: (Buffer | string)[],
  options: { secrets?: string[]; stream?: StreamName; keepStdout?: boolean; logPath?: string } = {},
) {
  const masker = new Masker();
  for (const secret of options.secrets ?? []) masker.add(secret);
  const shown: Buffer[] = [];
  const faults: string[] = [];
  const logPath = options.logPath ?? join(dir, `log-${++logs}`);
  const collector = new OutputCollector({
    masker,
    logPath,
    keepStdout: options.keepStdout,
    onOutput: (_s, bytes) => shown.push(Buffer.from(bytes)),
    onLogFault: (s) => faults.push(s),
  });
  for (const read of reads) collector.push(options.stream ?? 'stdout', read);
  const summary = collector.finish();
  return { shown, summary, collector, faults, logPath };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every way to cut `bytes` into three reads. */
function cuts(bytes: Buffer): Buffer[][] {
  const out: Buffer[][] = [];
  for (let a = 0; a <= bytes.length; a++)
    for (let b = a; b <= bytes.length; b++) out.push([bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)]);
  return out;
}

describe('OutputCollector', () => {
  it('hands on whole characters only, however the reads cut 2-, 3- and 4-byte characters, and loses no byte', () => {
    const text = Buffer.from('é€ठ😀 x\n€'); // 2 bytes, 3 (e2 and e0 leads), 4
    for (const reads of cuts(text)) {
      const { shown, summary, logPath } = collect(reads);
      for (const piece of shown)
        expect(isUtf8(piece), `piece ${piece.toString('hex')} of ${reads.map((r) => r.toString('hex')).join('|')}`).toBe(true);
      expect(Buffer.concat(shown)).toEqual(text);
      expect(readFileSync(logPath)).toEqual(text);
      expect(summary).toMatchObject({ bytes: text.length, sha256: sha(text) });
    }
  });

  it('passes bytes that are not UTF-8 on as they were, and a character cut off at the very end at the end', () => {
    const bytes = Buffer.from([0x61, 0xff, 0x80, 0x80, 0x80, 0x62, 0xe2, 0x82]);
    const { shown, summary, logPath } = collect([bytes.subarray(0, 3), bytes.subarray(3)]);
    expect(Buffer.concat(shown)).toEqual(bytes);
    expect(shown.at(-1)).toEqual(Buffer.from([0xe2, 0x82]));
    expect(readFileSync(logPath)).toEqual(bytes);
    expect(summary.bytes).toBe(bytes.length);
  });

  it('with a secret, shows, logs and hashes the same masked bytes, cut at any point', () => {
    const secret = 'tok€n-1234';
    const text = Buffer.from(`a ${secret} é\n`);
    const masked = Buffer.from(`a ${MASK} é\n`);
    for (const reads of cuts(text)) {
      const { shown, summary, logPath } = collect(reads, { secrets: [secret] });
      for (const piece of shown) expect(isUtf8(piece)).toBe(true);
      expect(Buffer.concat(shown).toString()).toBe(masked.toString());
      expect(readFileSync(logPath)).toEqual(masked);
      expect(summary).toMatchObject({ bytes: masked.length, sha256: sha(masked) });
    }
  });

  it('keeps the last 40 lines as the tail, without a stray half character at its start', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i}`);
    expect(collect([`${lines.join('\n')}\n`]).summary.tail).toBe(`${lines.slice(-40).join('\n')}\n`);
    expect(collect([lines.join('\n')]).summary.tail).toBe(lines.slice(-40).join('\n'));
    expect(collect(['a\nb']).summary.tail).toBe('a\nb');
    // Over 8 KB of 3-byte characters in one line: the tail starts on a whole character.
    const long = '€'.repeat(4000);
    const tail = collect([Buffer.from(long).subarray(0, 5000), Buffer.from(long).subarray(5000)]).summary.tail;
    expect(tail).toMatch(/^€+$/);
    expect(Buffer.byteLength(tail)).toBeGreaterThan(8 * 1024 - 3);
    expect(Buffer.byteLength(tail)).toBeLessThanOrEqual(8 * 1024);
  });

  it('keeps the tail from many small reads (it lets old reads go, not new ones)', () => {
    const reads = Array.from({ length: 5000 }, (_, i) => `r${i}\n`);
    expect(collect(reads).summary.tail).toBe(`${reads.slice(-40).join('')}`);
  });

  it('keeps stdout, unmasked, for capture=, up to the limit; past it, marks it incomplete; never stderr', () => {
    const { collector } = collect(['one ', 'two'], { keepStdout: true, secrets: ['two2'] });
    expect(collector.stdout).toBe('one two');
    expect(collector.stdoutOverflow).toBe(false);
    expect(collect(['x'], { keepStdout: true, stream: 'stderr' }).collector.stdout).toBe('');
    expect(collect(['x'], { keepStdout: false }).collector.stdout).toBe('');

    const exact = collect([Buffer.alloc(STDOUT_KEEP_LIMIT - 1, 0x61), 'b'], { keepStdout: true }).collector;
    expect(exact.stdoutOverflow).toBe(false);
    expect(exact.stdout).toHaveLength(STDOUT_KEEP_LIMIT);
    expect(exact.stdout.endsWith('ab')).toBe(true);

    const over = collect([Buffer.alloc(STDOUT_KEEP_LIMIT, 0x61), 'b', 'c'], { keepStdout: true }).collector;
    expect(over.stdoutOverflow).toBe(true);
    expect(over.stdout).toHaveLength(STDOUT_KEEP_LIMIT);
  });

  it('without a log (a rehearsal) shows and hashes the output, writes no file and reports no fault', () => {
    const faults: string[] = [];
    const shown: Buffer[] = [];
    const collector = new OutputCollector({
      masker: new Masker(),
      onOutput: (_s, bytes) => shown.push(Buffer.from(bytes)),
      onLogFault: (s) => faults.push(s),
    });
    collector.push('stdout', 'hello\n');
    const summary = collector.finish();
    expect(Buffer.concat(shown).toString()).toBe('hello\n');
    expect(summary.sha256).toBe(sha(Buffer.from('hello\n')));
    expect(summary).not.toHaveProperty('logPath');
    expect(faults).toEqual([]);
  });

  it('a log that cannot be made says so once, in a sentence, and the output is still shown and hashed', () => {
    const notADir = join(dir, 'file');
    writeFileSync(notADir, '');
    const { shown, summary, faults } = collect(['hello\n', 'again\n'], { logPath: join(notADir, 'step.log') });
    expect(faults).toEqual([
      `the step's log ${join(notADir, 'step.log')} could not be written (ENOTDIR: it cannot be written); free space under the state folder, then run the runbook again`,
    ]);
    expect(Buffer.concat(shown).toString()).toBe('hello\nagain\n');
    expect(summary.sha256).toBe(sha(Buffer.from('hello\nagain\n')));
  });

  it('a log that fills the disk (/dev/full) says the disk is full, once', () => {
    const faults: string[] = [];
    const logDir = mkdtempSync(join(dir, 'full-'));
    const c = new OutputCollector({ masker: new Masker(), logPath: join(logDir, 'step.log'), onLogFault: (s) => faults.push(s) });
    // The log is made at the first byte; then it is swapped for /dev/full: every later write fails with
    // ENOSPC, as a full disk does.
    c.push('stdout', 'a\n');
    closeSync((c as unknown as { fd: number }).fd);
    (c as unknown as { fd: number }).fd = openSync('/dev/full', 'w');
    c.push('stdout', 'b\n');
    c.push('stdout', 'c\n');
    c.finish();
    expect(faults).toEqual([
      `the step's log ${join(logDir, 'step.log')} could not be written (ENOSPC: the disk is full); free space under the state folder, then run the runbook again`,
    ]);
  });

  it('makes no log file for output that never came, and reports no log', () => {
    const logDir = mkdtempSync(join(dir, 'silent-'));
    const c = new OutputCollector({ masker: new Masker(), logPath: join(logDir, 'step.log') });
    const summary = c.finish();
    expect(readdirSync(logDir)).toEqual([]);
    expect(summary).not.toHaveProperty('logPath');
    expect(summary.sha256).toBe(sha(Buffer.alloc(0)));
  });

  it('makes its log folder again when it was removed between steps', () => {
    const logDir = join(dir, 'again');
    expect(collect(['1\n'], { logPath: join(logDir, 'a.log') }).faults).toEqual([]);
    rmSync(logDir, { recursive: true });
    const second = collect(['2\n'], { logPath: join(logDir, 'b.log') });
    expect(second.faults).toEqual([]);
    expect(readFileSync(join(logDir, 'b.log'), 'utf8')).toBe('2\n');
  });
});

describe('OutputCollector at the end of a step', () => {
  const openFds = () => readdirSync('/proc/self/fd').length;

  it('with a secret, shows and logs what was held back as a possible secret when the step ends', () => {
    const { shown, logPath } = collect(['done: abc'], { secrets: ['abcdefgh'] });
    expect(Buffer.concat(shown).toString()).toBe('done: abc');
    expect(readFileSync(logPath, 'utf8')).toBe('done: abc');
  });

  it('hands on a stray lead byte followed by ASCII at once, not at the end', () => {
    const pieces: string[] = [];
    const c = new OutputCollector({ masker: new Masker(), onOutput: (_s, b) => pieces.push(b.toString('hex')) });
    c.push('stdout', Buffer.from([0xe2, 0x61]));
    expect(pieces).toEqual(['e261']);
    c.finish();
  });

  it('closes its log when the step ends and when the log fails, leaving no descriptor open', () => {
    const before = openFds();
    collect(['a\n'.repeat(10)]);
    const notADir = join(dir, 'file2');
    writeFileSync(notADir, '');
    collect(['x'], { logPath: join(notADir, 'x.log') });
    const logDir = mkdtempSync(join(dir, 'fd-'));
    const c = new OutputCollector({ masker: new Masker(), logPath: join(logDir, 'step.log') });
    c.push('stdout', 'a');
    const held = c as unknown as { fd: number };
    closeSync(held.fd);
    held.fd = openSync('/dev/full', 'w');
    c.push('stdout', 'a');
    c.finish();
    expect(openFds()).toBe(before);
  });

  it('a log fault with nobody listening is not an error of its own', () => {
    const notADir = join(dir, 'file3');
    writeFileSync(notADir, '');
    const c = new OutputCollector({ masker: new Masker(), logPath: join(notADir, 'x.log') });
    c.push('stdout', 'still shown');
    expect(c.finish().bytes).toBe(11);
  });
});

describe('wholeLength', () => {
  it('ends before a character whose bytes are not all there, and never cuts ASCII or a whole character', () => {
    const euro = Buffer.from('€'); // e2 82 ac
    const face = Buffer.from('😀'); // f0 9f 98 80
    expect(wholeLength(Buffer.from('abc'))).toBe(3);
    expect(wholeLength(Buffer.concat([Buffer.from('a'), euro]))).toBe(4);
    expect(wholeLength(Buffer.concat([Buffer.from('a'), euro.subarray(0, 2)]))).toBe(1);
    expect(wholeLength(Buffer.concat([Buffer.from('a'), euro.subarray(0, 1)]))).toBe(1);
    expect(wholeLength(Buffer.concat([Buffer.from('a'), face.subarray(0, 3)]))).toBe(1);
    expect(wholeLength(Buffer.concat([Buffer.from('a'), face]))).toBe(5);
    expect(wholeLength(Buffer.from('é').subarray(0, 1))).toBe(0);
    expect(wholeLength(Buffer.from('é'))).toBe(2);
    // Stray continuation bytes are not a character to wait for.
    expect(wholeLength(Buffer.from([0x61, 0x80, 0x80, 0x80]))).toBe(4);
    expect(wholeLength(Buffer.from([0xe2, 0x80, 0x80, 0x80]))).toBe(4);
    expect(wholeLength(Buffer.alloc(0))).toBe(0);
  });
});
