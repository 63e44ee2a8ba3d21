import { describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { JournalWriter } from '../../src/record/journal';
import { GENESIS, JOURNAL_FORMAT, type JournalHeader } from '../../src/record/journal-format';
import { peekJournalEnded, peekJournalHeader, readJournal } from '../../src/record/journal-read';
import type { RunEvent } from '../../src/core/events';

function fresh(): string {
  return join(mkdtempSync(join(tmpdir(), 'handrail-journal-')), 'journals', 'x.jsonl');
}

const header: JournalHeader = {
  format: JOURNAL_FORMAT,
  runbookId: 'x',
  runbookPath: '/somewhere/x.md',
  runbookSha256: 'a'.repeat(64),
  createdAt: '2025-01-02T03:04:05.000Z',
};

const warning = (message: string): RunEvent => ({ type: 'warning', at: '2025-01-02T03:04:05.000Z', message });

function writeThree(path: string): JournalWriter {
  const writer = JournalWriter.create(path, header);
  writer.append({ event: warning('one') });
  writer.append({ event: warning('two') });
  writer.append({ event: warning('three') });
  return writer;
}

const sha = (line: string) => createHash('sha256').update(line).digest('hex');

describe('journal hash chain', () => {
  it('chains each entry to the sha256 of the previous line, starting from 64 zeros', () => {
    const path = fresh();
    const writer = writeThree(path);
    writer.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    const entries = lines.map((l) => JSON.parse(l));
    expect(entries.map((e) => e.seq)).toEqual([0, 1, 2, 3]);
    expect(entries[0].prev).toBe(GENESIS);
    expect(GENESIS).toBe('0'.repeat(64));
    for (let i = 1; i < lines.length; i += 1) expect(entries[i].prev).toBe(sha(lines[i - 1]));
    expect(writer.lastHash).toBe(sha(lines[3]));

    const read = readJournal(path);
    expect(read.warnings).toEqual([]);
    expect(read.damaged).toBe(false);
    expect(read.events.map((e) => (e.type === 'warning' ? e.message : e.type))).toEqual(['one', 'two', 'three']);
    expect(read.lastHash).toBe(writer.lastHash);
    expect(read.header).toEqual(header);
  });

  it('is a private file in a private folder', () => {
    const path = fresh();
    writeThree(path).close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
  });

  it('detects an entry changed after it was written, and keeps what came before', () => {
    const path = fresh();
    writeThree(path).close();
    const text = readFileSync(path, 'utf8').replace('"two"', '"TWO"');
    writeFileSync(path, text);
    const read = readJournal(path);
    // The changed line itself is still well-formed; the next entry's `prev` exposes it, and since
    // either of the two may be the changed one, neither is kept.
    expect(read.damaged).toBe(true);
    expect(read.warnings.join(' ')).toMatch(/damaged at entry 2 \(entry 3 does not chain to entry 2/);
    expect(read.entries).toHaveLength(2);
    expect(read.damage).toMatchObject({ entry: 2, untrustedLines: 2 });
  });
});

describe('reading a damaged journal', () => {
  it('ignores a torn last line (killed mid-write) and keeps every entry before it', () => {
    const path = fresh();
    writeThree(path).close();
    const full = readFileSync(path);
    truncateSync(path, full.length - 10);
    const read = readJournal(path);
    expect(read.events.map((e) => (e.type === 'warning' ? e.message : ''))).toEqual(['one', 'two']);
    expect(read.warnings).toHaveLength(1);
    expect(read.warnings[0]).toMatch(/cut off mid-write/);
  });

  it('keeps everything before a corrupt middle entry and never throws', () => {
    const path = fresh();
    writeThree(path).close();
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[2] = '{"seq":2,"prev":"garbage'; // not JSON any more
    writeFileSync(path, lines.join('\n'));
    const read = readJournal(path);
    expect(read.events.map((e) => (e.type === 'warning' ? e.message : ''))).toEqual(['one']);
    expect(read.warnings[0]).toMatch(/damaged at entry 2 \(it is not valid JSON\)/);
  });

  it('reports a missing or empty file without throwing', () => {
    const path = fresh();
    expect(readJournal(path).warnings[0]).toMatch(/Could not read/);
    const empty = fresh();
    writeThree(empty).close();
    writeFileSync(empty, '');
    expect(readJournal(empty)).toMatchObject({ entries: [], warnings: [], damaged: false });
  });

  it('reopening a torn journal cuts the torn tail, keeps a copy, and continues the chain', () => {
    const path = fresh();
    writeThree(path).close();
    appendFileSync(path, '{"seq":4,"prev":"abc'); // a write cut short by kill -9
    const { writer, read } = JournalWriter.reopen(path);
    expect(read.warnings.join(' ')).toMatch(/cut off mid-write/);
    writer.append({ event: warning('four') });
    writer.close();
    const again = readJournal(path);
    expect(again.warnings).toEqual([]);
    expect(again.events.map((e) => (e.type === 'warning' ? e.message : ''))).toEqual(['one', 'two', 'three', 'four']);
    const copies = readdirSync(dirname(path)).filter((n) => n.includes('.damaged-'));
    expect(copies).toHaveLength(1);
    expect(readFileSync(join(dirname(path), copies[0]), 'utf8')).toContain('{"seq":4,"prev":"abc');
  });
});

describe('a journal whose entries are out of order or headless', () => {
  it('stops at an entry with the wrong sequence number, naming it, and keeps what came before', () => {
    const path = fresh();
    writeThree(path).close();
    const lines = readFileSync(path, 'utf8').split('\n');
    const third = JSON.parse(lines[2]);
    lines[2] = JSON.stringify({ ...third, seq: 7 });
    writeFileSync(path, lines.join('\n'));
    const read = readJournal(path);
    expect(read.damaged).toBe(true);
    expect(read.entries).toHaveLength(2);
    expect(read.warnings).toEqual([
      `The journal ${path} is damaged at entry 2 (its sequence number is 7, expected 2); the 2 entries before it are kept.`,
    ]);
  });

  it('refuses a journal that does not start with its header', () => {
    const path = fresh();
    writeThree(path).close();
    const lines = readFileSync(path, 'utf8').split('\n');
    const first = JSON.parse(lines[0]);
    lines[0] = JSON.stringify({ seq: first.seq, prev: first.prev, event: warning('no header') });
    writeFileSync(path, lines.join('\n'));
    const read = readJournal(path);
    expect(read.header).toBeUndefined();
    expect(read.entries).toHaveLength(0);
    expect(read.warnings).toEqual([
      `The journal ${path} is damaged at entry 0 (the first entry is not a journal header); the 0 entries before it are kept.`,
    ]);
  });
});

describe('peeking at a journal without reading it whole', () => {
  const ended = (): RunEvent => ({ type: 'run-ended', at: '2025-01-02T03:04:05.000Z', outcome: 'completed' });

  it("tells from a long journal's last entries whether its run ended, and from its first line whose it is", () => {
    const path = fresh();
    const writer = JournalWriter.create(path, header);
    // More than the 64 KiB looked at from either end: the end must be read from the end.
    for (let i = 0; i < 400; i++) writer.append({ event: warning(`step output ${i} ${'x'.repeat(200)}`) });
    expect(statSync(path).size).toBeGreaterThan(64 * 1024);
    expect(peekJournalEnded(path)).toBe(false);
    writer.append({ event: ended() });
    writer.append({ event: warning('the record could not be written') });
    expect(peekJournalEnded(path)).toBe(true);
    expect(peekJournalHeader(path)).toEqual(header);
    writer.close();
  });

  it('a journal closed by a restart counts as ended; a missing one as neither', () => {
    const path = fresh();
    const writer = writeThree(path);
    expect(peekJournalEnded(path)).toBe(false);
    writer.append({ closed: { at: '2025-01-02T03:04:05.000Z', reason: 'restarted' } });
    writer.close();
    expect(peekJournalEnded(path)).toBe(true);
    expect(peekJournalEnded(join(dirname(path), 'none.jsonl'))).toBe(false);
    expect(peekJournalHeader(join(dirname(path), 'none.jsonl'))).toBeUndefined();
  });
});
