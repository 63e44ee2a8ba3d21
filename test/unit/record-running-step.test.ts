// The note of which process runs the current step (`<journal>.step`), read by resume after kill -9.
// It is written once per run and then overwritten in place, step by step: each note must read back
// whole, whatever the length of the note before it.
import { existsSync, lstatSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventOf } from '../../src/core/events';
import { RunningStepNote, runningStep } from '../../src/record/running-step';

const processEvent = (stepId: string, pid: number, startTime?: string): EventOf<'step-process'> => ({
  type: 'step-process',
  at: new Date().toISOString(),
  stepId,
  pid,
  group: true,
  ...(startTime ? { startTime } : {}),
});

describe('the running-step note', () => {
  it('always names the latest step, after a longer and a shorter note before it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'handrail-note-'));
    const journal = join(dir, 'run.jsonl');
    const note = new RunningStepNote(journal);
    const long = `s${'x'.repeat(400)}`;
    note.note(processEvent('first', 101, '5'));
    expect(runningStep(journal, 'first')).toEqual({ pid: 101, group: true, startTime: '5' });
    note.note(processEvent(long, 202, '6'));
    expect(runningStep(journal, long)).toEqual({ pid: 202, group: true, startTime: '6' });
    note.note(processEvent('b', 303));
    expect(runningStep(journal, 'b')).toEqual({ pid: 303, group: true });
    // The earlier steps are no longer running: their ids do not match the note.
    expect(runningStep(journal, 'first')).toBeUndefined();
    expect(runningStep(journal, long)).toBeUndefined();
    // One line of JSON, nothing of the longer note left after it.
    expect(JSON.parse(readFileSync(`${journal}.step`, 'utf8'))).toEqual({ stepId: 'b', pid: 303, group: true });
    expect(lstatSync(`${journal}.step`).mode & 0o777).toBe(0o600);
    note.forget();
    expect(existsSync(`${journal}.step`)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('replaces a note left by a run that died, and never writes through a link planted at its name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'handrail-note-'));
    const journal = join(dir, 'run.jsonl');
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'keep me\n');
    symlinkSync(victim, `${journal}.step`);
    const note = new RunningStepNote(journal);
    note.note(processEvent('a', 11));
    note.note(processEvent('b', 12));
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(lstatSync(`${journal}.step`).isSymbolicLink()).toBe(false);
    expect(runningStep(journal, 'b')).toEqual({ pid: 12, group: true });
  });

  // Resume stops or waits for the process a note names: a note edited by hand, or left by another
  // tool, must name nobody rather than a pid it did not write.
  it('names no process when the note is not one handrail wrote for that step', () => {
    const dir = mkdtempSync(join(tmpdir(), 'handrail-note-'));
    const journal = join(dir, 'run.jsonl');
    const notes: [unknown, string | undefined][] = [
      [{ stepId: 'a', pid: '4242', group: true }, 'a'],
      [{ stepId: 'a', pid: 4242, group: 'yes' }, 'a'],
      [{ stepId: 'a', pid: 4242 }, 'a'],
      [{ pid: 4242, group: true }, undefined],
      [[4242], 'a'],
    ];
    for (const [note, stepId] of notes) {
      writeFileSync(`${journal}.step`, JSON.stringify(note));
      expect(runningStep(journal, stepId), JSON.stringify(note)).toBeUndefined();
    }
    writeFileSync(`${journal}.step`, '{"stepId":"a","pid":4242,');
    expect(runningStep(journal, 'a')).toBeUndefined();
    // A start time that is not text is left out, not passed on.
    writeFileSync(`${journal}.step`, JSON.stringify({ stepId: 'a', pid: 4242, group: false, startTime: 7 }));
    expect(runningStep(journal, 'a')).toStrictEqual({ pid: 4242, group: false });
  });
});
