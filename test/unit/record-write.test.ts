// Record files: named for the runbook, the run's end and its outcome, and never written over another.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildStatement } from '../../src/record/build';
import { writeRecord } from '../../src/record/write';
import type { RunEvent } from '../../src/core/events';
import { runStarted, testSigningKey } from './record-fixtures';

const key = testSigningKey();
const events: RunEvent[] = [runStarted(), { type: 'run-ended', at: '2025-01-02T03:04:05.678Z', outcome: 'failed' }];

describe('record files', () => {
  it('take the next free name when two runs end in the same second', () => {
    const dir = mkdtempSync(join(tmpdir(), 'handrail-write-'));
    const statement = buildStatement(events, { entries: 2, lastEntrySha256: 'b'.repeat(64) })!;
    expect(writeRecord(dir, statement, key)).toBe(join(dir, 'deploy-20250102T030405Z-failed.json'));
    expect(writeRecord(dir, statement, key)).toBe(join(dir, 'deploy-20250102T030405Z-failed-2.json'));
    expect(writeRecord(dir, statement, key)).toBe(join(dir, 'deploy-20250102T030405Z-failed-3.json'));
    expect(readdirSync(dir)).toHaveLength(3);
  });

  it("says which file could not be written, why in one word, and where the run's events still are", () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'handrail-write-')), 'a-file');
    writeFileSync(dir, '');
    const statement = buildStatement(events, { entries: 2, lastEntrySha256: 'b'.repeat(64) })!;
    expect(() => writeRecord(dir, statement, key)).toThrow(
      `Could not write ${join(dir, 'deploy-20250102T030405Z-failed.json')} (ENOTDIR); free space or fix that folder — every event of the run is kept in its journal in the state folder.`,
    );
  });
});
