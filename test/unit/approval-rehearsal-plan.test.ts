// The live run reads the rehearsal it relies on a second time to take its plan (SPEC §6.6). The
// records folder may be shared, so what sits at that path by then is untrusted: a FIFO or a link
// to a device must be refused in one sentence, never waited on or read without end.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rehearsalPlan } from '../../src/approval/repo';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const ref = (location: string) => ({ recordSha256: 'a'.repeat(64), operator: '@alice', at: '2026-12-07T10:00:00Z', location });

describe('rehearsalPlan reads the local rehearsal again', () => {
  it('refuses a FIFO at the rehearsal path instead of waiting for a writer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handrail-plan-'));
    dirs.push(dir);
    const fifo = join(dir, 'deploy-20261207T100000Z-completed.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await expect(rehearsalPlan(ref(fifo))).rejects.toThrow(/cannot be read again \(it is not a regular file\); rehearse again\./);
  });

  it('refuses a link to /dev/zero instead of reading it without end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handrail-plan-'));
    dirs.push(dir);
    const link = join(dir, 'deploy-20261207T100000Z-completed.json');
    symlinkSync('/dev/zero', link);
    await expect(rehearsalPlan(ref(link))).rejects.toThrow(/cannot be read again \(it is a symbolic link, not a regular file\)/);
  });
});
