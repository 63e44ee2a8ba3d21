// Record files: named for the runbook, the run's end and its outcome, and never written over another.
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyId } from '../../src/record/dsse';
import { buildStatement } from '../../src/record/build';
import { writeRecord } from '../../src/record/write';
import type { RunEvent } from '../../src/engine/events';

const pair = generateKeyPairSync('ed25519');
const key = { ...pair, keyid: keyId(pair.publicKey), source: 'file' as const };
const events: RunEvent[] = [
  {
    type: 'run-started',
    at: '2025-01-02T03:00:00.000Z',
    runId: 'run-1',
    runbook: { path: 'runbooks/deploy.md', id: 'deploy', title: 'Deploy', version: '1.2.0', sha256: 'a'.repeat(64) },
    mode: 'live',
    steps: [],
    operator: { user: 'ops', host: 'box' },
    tool: { name: 'handrail', version: '0.1.0' },
  },
  { type: 'run-ended', at: '2025-01-02T03:04:05.678Z', outcome: 'failed' },
];

describe('record files', () => {
  it('take the next free name when two runs end in the same second', () => {
    const dir = mkdtempSync(join(tmpdir(), 'handrail-write-'));
    const statement = buildStatement(events, { entries: 2, lastEntrySha256: 'b'.repeat(64) })!;
    expect(writeRecord(dir, statement, key)).toBe(join(dir, 'deploy-20250102T030405Z-failed.json'));
    expect(writeRecord(dir, statement, key)).toBe(join(dir, 'deploy-20250102T030405Z-failed-2.json'));
    expect(writeRecord(dir, statement, key)).toBe(join(dir, 'deploy-20250102T030405Z-failed-3.json'));
    expect(readdirSync(dir)).toHaveLength(3);
  });

  it('says which file could not be written, why in one word, and where the run\'s events still are', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'handrail-write-')), 'a-file');
    writeFileSync(dir, '');
    const statement = buildStatement(events, { entries: 2, lastEntrySha256: 'b'.repeat(64) })!;
    expect(() => writeRecord(dir, statement, key)).toThrow(
      `Could not write ${join(dir, 'deploy-20250102T030405Z-failed.json')} (ENOTDIR); free space or fix that folder — every event of the run is kept in its journal in the state folder.`,
    );
  });
});
