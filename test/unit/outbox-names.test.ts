// An outbox entry's file name comes from the repository and the record's path in it: a long one
// must not cost the record (ENAMETOOLONG), so a name that would be too long becomes a digest.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { enqueue, listOutbox, type OutboxEntry } from '../../src/team/outbox';

const entry = (path: string): OutboxEntry => ({
  format: 1,
  repo: 'craton-co/ops-records',
  path,
  apiUrl: 'https://api.github.com',
  message: 'm',
  localPath: 'x.json',
  record: Buffer.from('{}').toString('base64'),
  queuedAt: new Date().toISOString(),
  lastError: '',
});

it('keeps an entry whose repository path is longer than a file name may be', () => {
  const state = mkdtempSync(join(tmpdir(), 'handrail-outbox-names-'));
  const long = `${'r'.repeat(100)}/deploy-the-thing/deploy-the-thing-${'9'.repeat(120)}-completed.json`;
  const short = 'records/deploy/deploy-20250102T030405Z-completed.json';
  enqueue(entry(long), state);
  enqueue(entry(short), state);
  expect(
    listOutbox(state)
      .map((e) => e.entry.path)
      .sort(),
  ).toEqual([long, short].sort());
  // The readable name is kept where it fits.
  expect(
    listOutbox(state).some((e) => e.file.endsWith('craton-co__ops-records__records__deploy__deploy-20250102T030405Z-completed.json')),
  ).toBe(true);
});
