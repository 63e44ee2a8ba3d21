// A full disk (SPEC §6, §7), on a real tmpfs of a few hundred KiB: under the state folder, where the
// step logs and the journal go, the run ends failed with one sentence and its record in --record-dir,
// never a stack trace; under the record folder, the record goes to the state directory instead and
// the operator is told where. Mounting needs root: without it these tests are skipped, and say so.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/cli';

const mounted: string[] = [];

/** A fresh tmpfs of `size` (e.g. '256k'), or undefined where mounting is not allowed. */
function smallDisk(size: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'handrail-tmpfs-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'ignore' });
  if (r.status !== 0) return undefined;
  mounted.push(dir);
  return dir;
}

const probe = smallDisk('64k');
const canMount = probe !== undefined;
if (!canMount) console.warn('faults-full-disk: skipped — mounting a tmpfs needs root (mount -t tmpfs was refused here).');

afterAll(() => {
  for (const dir of mounted) {
    spawnSync('umount', ['-l', dir], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
});

function predicate(path: string): {
  outcome: string;
  steps: { id: string; status: string; failureReason?: string }[];
  outcomeReason?: string;
} {
  const envelope = JSON.parse(readFileSync(path, 'utf8')) as { payload: string };
  return (JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { predicate: ReturnType<typeof predicate> }).predicate;
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at |node:internal|Error: /);

const runbook = (script: string) => `---
id: disk
title: Full disk
version: 1.0.0
---

# Print a lot

\`\`\`sh run id=print
${script}
\`\`\`

# Afterwards

\`\`\`sh run id=after
echo after
\`\`\`
`;

describe.skipIf(!canMount)('a full disk (real tmpfs)', () => {
  it('under the state folder: the run ends failed with one sentence and its record in --record-dir', async () => {
    const home = tempHome('handrail-disk-');
    const state = smallDisk('256k')!;
    const path = join(home.root, 'disk.md');
    // ~2 MB of output: the step log fills the 256 KiB state folder.
    writeFileSync(path, runbook(`i=0; while [ $i -lt 2000 ]; do printf '%01000d\\n' $i; i=$((i + 1)); done`));
    const recordDir = join(home.root, 'records');
    const r = await runCli(['run', path, '--yes', '--record-dir', recordDir], {
      cwd: home.root,
      env: { ...home.env, XDG_STATE_HOME: state },
    });
    noStack(r.stderr);
    noStack(r.stdout);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/could not be written \(ENOSPC/);
    expect(r.stdout).not.toContain('after\n');
    const records = readdirSync(recordDir);
    expect(records).toHaveLength(1);
    const p = predicate(join(recordDir, records[0]!));
    expect(p.outcome).toBe('failed');
    expect(p.steps.map((s) => [s.id, s.status])).toEqual([
      ['print', 'failed'],
      ['after', 'not-run'],
    ]);
    expect(p.steps[0]!.failureReason).toMatch(/ENOSPC/);
    expect(p.outcomeReason).toMatch(/ENOSPC/);
    const verify = await runCli(['verify', join(recordDir, records[0]!)], { cwd: home.root, env: home.env });
    expect(verify.code).toBe(0);
  });

  it('under the record folder: the record goes to the state directory, and the operator is told where', async () => {
    const home = tempHome('handrail-disk-');
    const recordDir = smallDisk('64k')!;
    // The folder exists and is writable (the check before step 1 passes); then the disk fills.
    spawnSync('sh', ['-c', `dd if=/dev/zero of=${join(recordDir, 'filler')} bs=4k 2>/dev/null; true`]);
    const path = join(home.root, 'disk.md');
    writeFileSync(path, runbook('echo small'));
    const r = await runCli(['run', path, '--yes', '--record-dir', recordDir], { cwd: home.root, env: home.env });
    noStack(r.stderr);
    noStack(r.stdout);
    expect(r.code).toBe(0);
    const fallback = join(home.env.XDG_STATE_HOME!, 'handrail', 'records');
    const records = readdirSync(fallback);
    expect(records).toHaveLength(1);
    const written = join(fallback, records[0]!);
    expect(r.stdout + r.stderr).toMatch(
      new RegExp(
        `Could not write ${recordDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\S+ \\(ENOSPC\\); the record was written to ${written.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} instead`,
      ),
    );
    expect(r.stdout).toContain(`Record: ${written}`);
    expect(predicate(written).outcome).toBe('completed');
    expect(readdirSync(recordDir)).toEqual(['filler']);
  });
});
