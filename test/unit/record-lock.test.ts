// The journal lock on real files and real processes: what a second handrail on the same run is told,
// and which leftover locks a new run takes over.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../src/core/errors';
import { processStartTime } from '../../src/core/processes';
import { lockJournal, unlockJournal } from '../../src/record/lock';

function journal() {
  const dir = mkdtempSync(join(tmpdir(), 'handrail-lock-'));
  const path = join(dir, 'run.jsonl');
  return { dir, path, lock: `${path}.lock` };
}

/** A pid that existed and has exited (reaped): no process has it now, barring a quick reuse. */
function deadPid(): number {
  return spawnSync('true').pid!;
}

// The parent of the test process: alive for the whole test, and not this process.
const other = process.ppid;

describe('the journal lock', () => {
  it('names this process and its start time, and is gone once released', () => {
    const { dir, path, lock } = journal();
    lockJournal(path);
    expect(readFileSync(lock, 'utf8')).toBe(`${process.pid}\n${processStartTime(process.pid)}\n`);
    expect(readdirSync(dir).sort()).toEqual(['run.jsonl.lock']);
    lockJournal(path); // taken again by its holder: fine
    unlockJournal(path);
    expect(existsSync(lock)).toBe(false);
  });

  it("refuses a second holder with the live holder's pid, and leaves its lock alone", () => {
    const { dir, path, lock } = journal();
    const content = `${other}\n${processStartTime(other)}\n`;
    writeFileSync(lock, content);
    let error: unknown;
    try {
      lockJournal(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      `This run is held: it is being run right now by handrail process ${other}, in another terminal or job (journal ${path}); nothing was run here. Let that run finish or stop it, then run again.`,
    );
    unlockJournal(path);
    expect(readFileSync(lock, 'utf8')).toBe(content);
    expect(readdirSync(dir)).toEqual(['run.jsonl.lock']);
  });

  it('refuses a live holder whose lock has no start time (written by an older handrail)', () => {
    const { path, lock } = journal();
    writeFileSync(lock, `${other}\n`);
    expect(() => lockJournal(path)).toThrow(`handrail process ${other},`);
  });

  it.each([
    ['a dead pid', () => `${deadPid()}\n\n`],
    ['a pid now used by another process (its start time differs)', () => `${other}\n1\n`],
    ['unreadable content', () => 'garbage\n'],
    ['an empty file', () => ''],
  ])('takes over a lock left by %s', (_what, content) => {
    const { dir, path, lock } = journal();
    writeFileSync(lock, content());
    lockJournal(path);
    expect(readFileSync(lock, 'utf8')).toBe(`${process.pid}\n${processStartTime(process.pid)}\n`);
    expect(readdirSync(dir)).toEqual(['run.jsonl.lock']);
    unlockJournal(path);
    expect(existsSync(lock)).toBe(false);
  });

  it('says what to fix when the state folder cannot take a lock', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'handrail-lock-')), 'missing', 'run.jsonl');
    expect(() => lockJournal(path)).toThrow(
      `Could not lock the run journal ${path} (ENOENT); fix the state directory's permissions, then run again.`,
    );
  });
});
