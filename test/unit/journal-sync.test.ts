// That the journal reaches the disk, not only that it means to. A disk that fails its write-back
// cannot be made here, and a sync cannot be caught in flight on a real disk, so fdatasync and
// fdatasyncSync are wrapped: they still sync the real file (unless a test makes one fail), and the
// test sees each call with its descriptor.
import { fstatSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventOf, RunEvent } from '../../src/core/events';
import { JournalWriter } from '../../src/record/journal';
import { JOURNAL_FORMAT, type JournalHeader } from '../../src/record/journal-format';
import { readJournal } from '../../src/record/journal-read';

type SyncCallback = (error: NodeJS.ErrnoException | null) => void;

const disk = vi.hoisted(() => ({
  /** Every fdatasyncSync, in order: the descriptor and how many bytes the file held then. */
  syncs: [] as { fd: number; bytes: number }[],
  /** Background syncs not yet answered, when `hold` is set. */
  pending: [] as { fd: number; done: (error: NodeJS.ErrnoException | null) => void }[],
  hold: false,
  failWith: undefined as string | undefined,
}));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    fdatasyncSync: (fd: number) => {
      disk.syncs.push({ fd, bytes: real.fstatSync(fd).size });
      real.fdatasyncSync(fd);
    },
    fdatasync: (fd: number, done: SyncCallback) => {
      if (disk.failWith) {
        const error = Object.assign(new Error(`${disk.failWith}: i/o error, fdatasync`), { code: disk.failWith });
        setImmediate(() => done(error));
      } else if (disk.hold) disk.pending.push({ fd, done });
      else real.fdatasync(fd, done);
    },
  };
});

afterEach(() => {
  disk.syncs.length = 0;
  disk.pending.length = 0;
  disk.hold = false;
  disk.failWith = undefined;
});

const header: JournalHeader = {
  format: JOURNAL_FORMAT,
  runbookId: 'x',
  runbookPath: '/somewhere/x.md',
  runbookSha256: 'a'.repeat(64),
  createdAt: '2025-01-02T03:04:05.000Z',
};
const at = '2025-01-02T03:04:05.000Z';
const stepStarted = (stepId: string): EventOf<'step-started'> => ({
  type: 'step-started',
  at,
  stepId,
  index: 0,
  attempt: 1,
  display: 'x',
  rehearsal: false,
});
const stepFinished = (stepId: string): EventOf<'step-finished'> => ({
  type: 'step-finished',
  at,
  stepId,
  index: 0,
  status: 'passed',
  startedAt: at,
  durationMs: 1,
  output: { sha256: 'c'.repeat(64), bytes: 0, tail: '' },
});
const warning = (message: string): RunEvent => ({ type: 'warning', at, message });

function fresh(): string {
  return join(mkdtempSync(join(tmpdir(), 'handrail-journal-sync-')), 'journals', 'x.jsonl');
}

const size = (path: string) => readFileSync(path).length;
const turn = () => new Promise((resolve) => setImmediate(resolve));

function isOpen(fd: number): boolean {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
}

describe('the journal on the disk', () => {
  it('is synced before append returns for a step start, with the entry already in the file', () => {
    const path = fresh();
    const writer = JournalWriter.create(path, header);
    disk.syncs.length = 0;
    writer.append({ event: stepStarted('a') });
    expect(disk.syncs).toHaveLength(1);
    expect(disk.syncs[0].bytes).toBe(size(path));
    writer.append({ event: warning('not worth a disk wait') });
    expect(disk.syncs).toHaveLength(1);
    writer.close();
  });

  it('syncs a finished step in the background when nothing else does, and keeps the descriptor open until that sync is done', async () => {
    const path = fresh();
    const writer = JournalWriter.create(path, header);
    disk.hold = true;
    writer.append({ event: stepFinished('a') });
    await turn();
    expect(disk.pending).toHaveLength(1);
    const { fd, done } = disk.pending[0];
    writer.close();
    // Closed under the sync, the number could be reused by another file, which the sync would then flush.
    expect(isOpen(fd)).toBe(true);
    fs.fdatasyncSync(fd);
    done(null);
    expect(isOpen(fd)).toBe(false);
    expect(readJournal(path).events.map((e) => e.type)).toEqual(['step-finished']);
  });

  it('leaves the background sync to the next step start when the engine goes straight on', async () => {
    const path = fresh();
    const writer = JournalWriter.create(path, header);
    disk.hold = true;
    writer.append({ event: stepFinished('a') });
    writer.append({ event: stepStarted('b') });
    await turn();
    expect(disk.pending).toHaveLength(0);
    writer.close();
  });

  it('says so at the next append when a background sync failed: the disk did not keep the journal', async () => {
    const path = fresh();
    const writer = JournalWriter.create(path, header);
    disk.failWith = 'EIO';
    writer.append({ event: stepFinished('a') });
    await turn();
    await turn();
    expect(() => writer.append({ event: stepStarted('b') })).toThrow(
      new RegExp(`^Could not write the run journal ${path.replace(/[.]/g, '\\.')} \\(EIO\\); .*--resume\\.$`),
    );
    writer.close();
  });

  it('refuses an append after close with one sentence naming the journal', () => {
    const path = fresh();
    const writer = JournalWriter.create(path, header);
    writer.close();
    expect(() => writer.append({ event: warning('late') })).toThrow(`The run journal ${path} is already closed.`);
    writer.close();
  });

  it('cannot be created where its folder is a file: one sentence saying what to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'handrail-journal-blocked-'));
    writeFileSync(join(dir, 'journals'), 'not a folder');
    const path = join(dir, 'journals', 'x.jsonl');
    expect(() => JournalWriter.create(path, header)).toThrow(
      new RegExp(
        `^Could not write the run journal ${path.replace(/[.]/g, '\\.')} \\((EEXIST|ENOTDIR)\\); free disk space or fix the state directory's permissions, then run again with --resume\\.$`,
      ),
    );
  });
});
