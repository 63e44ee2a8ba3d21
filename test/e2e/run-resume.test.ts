// After `kill -9`, `handrail run --yes` on the same runbook resumes: finished steps are not run twice,
// the interrupted one runs again, and inputs come back from the journal.
import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { BIN, ROOT, runCli, tempHome } from '../helpers/cli';

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!condition()) throw new Error('condition never became true');
}

describe('resume after a crash', () => {
  it('skips finished steps, re-runs the interrupted one, restores inputs, and completes', async () => {
    const home = tempHome('handrail-resume-');
    const path = join(home.root, 'resumable.md');
    copyFileSync(join(ROOT, 'test', 'fixtures', 'engine', 'resumable.md'), path);
    const file = (name: string) => join(home.root, name);

    const first = spawn(process.execPath, [BIN, 'run', path, '--yes', '--set', 'COLOUR=teal'], {
      cwd: home.root,
      env: { ...process.env, ...home.env },
      stdio: 'ignore',
    });
    const firstClosed = new Promise((resolve) => first.on('close', resolve));
    await until(() => existsSync(file('two.pid')) && readFileSync(file('two.pid'), 'utf8').trim() !== '');
    first.kill('SIGKILL');
    await firstClosed;
    // kill -9 gives handrail no chance to end the step's process group; the test cleans it up.
    try {
      process.kill(-Number(readFileSync(file('two.pid'), 'utf8')), 'SIGKILL');
    } catch {
      // already gone
    }
    writeFileSync(file('release'), '');

    const second = await runCli(['run', path, '--yes'], { cwd: home.root, env: home.env });
    expect(second.stderr).not.toMatch(/\n\s+at /);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/resuming at step 2/);
    expect(readFileSync(file('one-count'), 'utf8')).toBe('teal\n');
    expect(readFileSync(file('two-count'), 'utf8')).toBe('teal\n');
    expect(existsSync(file('three'))).toBe(true);
    expect(second.stdout).toMatch(/running the interrupted step again \(--yes\)/);
    expect(second.stdout).toMatch(/1\. One\s+passed\s+earlier run/);

    const third = await runCli(['run', path, '--yes', '--set', 'COLOUR=red'], { cwd: home.root, env: home.env });
    expect(third.code).toBe(0);
    expect(third.stdout).not.toMatch(/resuming/);
    expect(readFileSync(file('one-count'), 'utf8')).toBe('teal\nred\n');
  });
});
