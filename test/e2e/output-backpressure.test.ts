// `handrail run big.md --yes | slow-reader`: a step printing 100 MB must not pile its output up in
// handrail's memory while the reader lags; handrail stops reading the step's pipe (the command blocks,
// as under `| less`) and goes on once the reader catches up. Peak memory is a bound, not a timing.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, tempHome } from '../helpers/cli';

/** A /proc/<pid>/status or /proc/<pid>/io field, or undefined once the process is gone. */
function procField(pid: number, file: 'status' | 'io', field: string): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

const nextPoll = () => new Promise((resolve) => setTimeout(resolve, 200));

describe('output to a slow reader', () => {
  it('a step printing 100 MB to a reader that stalls stays under 150 MB of memory and loses nothing', async () => {
    const home = tempHome();
    const runbook = join(home.root, 'flood.md');
    writeFileSync(
      runbook,
      '---\nid: flood\ntitle: Flood\nversion: 1.0.0\n---\n\n# Flood\n\n```sh run id=flood\nyes "$(printf %099d 0)" | head -n 1000000\n```\n',
    );
    const child = spawn(process.execPath, [BIN, 'run', runbook, '--yes', '--plain', '--record-dir', join(home.root, 'records')], {
      cwd: ROOT,
      env: { ...process.env, ...home.env, HANDRAIL_NO_KEYCHAIN: '1' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const pid = child.pid!;
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    let peakKiB = 0;
    const sample = () => (peakKiB = Math.max(peakKiB, procField(pid, 'status', 'VmHWM') ?? 0));

    // The reader stalls: nothing is read until handrail has stopped reading the step's pipe (its byte
    // count stands still), or has grown past the bound, which is the failure this test is about.
    child.stdout.pause();
    let read = -1;
    let still = 0;
    while (still < 5 && peakKiB < 150 * 1024) {
      await nextPoll();
      sample();
      const now = procField(pid, 'io', 'rchar') ?? -1;
      still = now === read ? still + 1 : 0;
      read = now;
    }
    // Then it reads everything.
    let bytes = 0;
    let lines = 0;
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
      tail = (tail + chunk.toString('latin1')).slice(-2000);
      sample();
    });
    child.stdout.resume();
    const code = await exited;

    expect(peakKiB / 1024, 'peak RSS in MiB').toBeLessThanOrEqual(150);
    expect(code).toBe(0);
    expect(bytes).toBeGreaterThan(100 * 1000 * 1000);
    expect(lines).toBeGreaterThan(1_000_000);
    expect(tail).toMatch(/Flood\s+passed/);
  }, 180_000);
});
