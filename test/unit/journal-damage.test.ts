// Journals damaged in ways the chain alone does not catch: entries that chain correctly but are not
// journal entries, and a changed entry whose successor no longer chains to it. readJournal never
// throws for them; it keeps what it can vouch for and says where the damage is.
import { describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JournalWriter } from '../../src/record/journal';
import { JOURNAL_FORMAT } from '../../src/record/journal-format';
import { readJournal } from '../../src/record/journal-read';

const sha = (line: string) => createHash('sha256').update(line).digest('hex');

function twoEvents(): { path: string; lines: string[] } {
  const path = join(mkdtempSync(join(tmpdir(), 'handrail-journal-')), 'x.jsonl');
  const writer = JournalWriter.create(path, {
    format: JOURNAL_FORMAT,
    runbookId: 'x',
    runbookPath: '/x.md',
    runbookSha256: 'a'.repeat(64),
    createdAt: '2025-01-02T03:04:05.000Z',
  });
  writer.append({ event: { type: 'warning', at: '2025-01-02T03:04:06.000Z', message: 'one' } });
  writer.append({ event: { type: 'warning', at: '2025-01-02T03:04:07.000Z', message: 'two' } });
  writer.close();
  return { path, lines: readFileSync(path, 'utf8').trimEnd().split('\n') };
}

describe('a journal entry that chains but is not an entry', () => {
  it.each([
    ['null', () => 'null', 'it is not a journal entry'],
    ['no kind', (prev: string) => JSON.stringify({ seq: 3, prev }), 'it is not a journal entry'],
    [
      'two kinds',
      (prev: string) => JSON.stringify({ seq: 3, prev, event: { type: 'warning' }, closed: { at: 'x', reason: 'y' } }),
      'it is not a journal entry',
    ],
    ['a null event', (prev: string) => JSON.stringify({ seq: 3, prev, event: null }), 'its event has no type'],
    ['an event that is text', (prev: string) => JSON.stringify({ seq: 3, prev, event: 'run-ended' }), 'its event has no type'],
    ['an event without a type', (prev: string) => JSON.stringify({ seq: 3, prev, event: { at: 'x' } }), 'its event has no type'],
  ])('is damage, not a crash: %s', (_what, line, problem) => {
    const { path, lines } = twoEvents();
    appendFileSync(path, `${line(sha(lines[2]))}\n`);
    const read = readJournal(path);
    expect(read.events.map((e) => e.type === 'warning' && e.message)).toEqual(['one', 'two']);
    expect(read.damage).toMatchObject({ entry: 3, problem });
    expect(read.warnings).toEqual([`The journal ${path} is damaged at entry 3 (${problem}); the 3 entries before it are kept.`]);
  });
});

describe('a changed entry whose successor no longer chains to it', () => {
  it('drops the changed event too, since either of the two may be the one that was changed', () => {
    const { path, lines } = twoEvents();
    writeFileSync(path, [lines[0], lines[1].replace('"one"', '"uno"'), lines[2], ''].join('\n'));
    const read = readJournal(path);
    expect(read.events).toEqual([]);
    expect(read.header).toMatchObject({ runbookId: 'x' });
    expect(read.damage).toMatchObject({
      entry: 1,
      problem: 'entry 2 does not chain to entry 1: one of the two was changed',
      untrustedLines: 2,
    });
  });

  it('drops a changed header the same way: the journal no longer says whose run it is', () => {
    const { path, lines } = twoEvents();
    writeFileSync(path, [lines[0].replace('/x.md', '/y.md'), lines[1], lines[2], ''].join('\n'));
    const read = readJournal(path);
    expect(read.header).toBeUndefined();
    expect(read.events).toEqual([]);
    expect(read.damage).toMatchObject({ entry: 0, problem: 'entry 1 does not chain to entry 0: one of the two was changed' });
  });

  it('drops a changed closing entry the same way: the run is not taken as closed', () => {
    const { path, lines } = twoEvents();
    const closedLine = JSON.stringify({ seq: 3, prev: sha(lines[2]), closed: { at: '2025-01-02T03:04:08.000Z', reason: 'restarted' } });
    const changed = closedLine.replace('restarted', 'restarted!');
    writeFileSync(
      path,
      [
        ...lines,
        changed,
        JSON.stringify({ seq: 4, prev: sha(closedLine), event: { type: 'warning', at: 'x', message: 'three' } }),
        '',
      ].join('\n'),
    );
    const read = readJournal(path);
    expect(read.closed).toBeUndefined();
    expect(read.events).toHaveLength(2);
  });
});

describe('what a damaged journal still tells', () => {
  it('names the steps its untrusted tail claims finished (not failed ones, each once)', () => {
    const { path, lines } = twoEvents();
    const finished = (stepId: string, status: string) =>
      JSON.stringify({ seq: 9, prev: 'x', event: { type: 'step-finished', stepId, status } });
    writeFileSync(
      path,
      [
        lines[0],
        lines[1],
        lines[2],
        finished('a', 'passed'),
        finished('b', 'failed'),
        finished('a', 'passed'),
        finished('c', 'skipped'),
        '',
      ].join('\n'),
    );
    expect(readJournal(path).damage).toMatchObject({ entry: 3, claimsFinished: ['a', 'c'], untrustedLines: 4 });
  });

  it('calls a last line that is not JSON damage, not a write cut short', () => {
    const { path } = twoEvents();
    appendFileSync(path, 'xx');
    expect(readJournal(path).damage).toMatchObject({
      entry: 3,
      problem: 'its last line is not a journal entry and was not cut off mid-write',
    });
  });

  it('says why a journal could not be read at all', () => {
    const dir = mkdtempSync(join(tmpdir(), 'handrail-journal-'));
    expect(readJournal(dir)).toMatchObject({ damaged: true, warnings: [`Could not read the journal ${dir}: EISDIR.`], events: [] });
  });
});
