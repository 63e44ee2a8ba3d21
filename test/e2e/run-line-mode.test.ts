// `handrail run` as an operator or a CI job runs it: the built CLI, real shells, real files, no terminal.
import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { BIN, ROOT, runCli, tempHome } from '../helpers/cli';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'engine');

/** A private home with the fixture runbook copied in, so the steps' files land in a scratch folder. */
function workspace(fixture: string) {
  const home = tempHome('handrail-run-');
  const path = join(home.root, fixture);
  copyFileSync(join(FIXTURES, fixture), path);
  return { ...home, path, file: (name: string) => join(home.root, name) };
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

describe('handrail run --yes', () => {
  it('runs every step, passes variables as data, prints a summary and writes the record', async () => {
    const w = workspace('deploy.md');
    const r = await runCli(['run', w.path, '--yes', '--set', 'TARGET=staging', '--set', "LABEL=it's $(rm -rf ~) `x`; ok"], {
      cwd: w.root,
      env: w.env,
    });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(readFileSync(w.file('deployed.txt'), 'utf8')).toBe("staging\nit's $(rm -rf ~) `x`; ok\n");
    expect(readFileSync(w.file('verified.txt'), 'utf8')).toBe('build-42\n');
    expect(r.stdout).toContain('[2/5] Deploy');
    expect(r.stdout).toContain('deployed to staging');
    expect(r.stdout).toMatch(/Tell the channel that staging is on build-42/);
    expect(r.stdout).toMatch(/auto-confirmed/);
    expect(r.stdout).toMatch(/Run completed/);
    const record = /Record: (.+)/.exec(r.stdout)?.[1];
    expect(record).toBeDefined();
    expect(existsSync(record!)).toBe(true);
    expect(record!.startsWith(join(w.root, 'state'))).toBe(true);
  });

  it('fails with exit 1 when a check fails, runs nothing after it, and still writes the record', async () => {
    const w = workspace('failing.md');
    const r = await runCli(['run', w.path, '--yes', '--record-dir', w.file('records')], { cwd: w.root, env: w.env });
    expect(r.code).toBe(1);
    expect(existsSync(w.file('changed.txt'))).toBe(false);
    expect(r.stdout).toContain('checking the precondition');
    expect(r.stdout).toMatch(/✗ failed \(exit status 3/);
    expect(r.stdout).toMatch(/Run failed/);
    expect(r.stdout).toContain(`Record: ${w.file('records')}`);
    // The path printed is a record of this failed run.
    const recordPath = /Record: (.+)/.exec(r.stdout)![1].trim();
    const envelope = JSON.parse(readFileSync(recordPath, 'utf8')) as { payload: string };
    const predicate = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')).predicate;
    expect(predicate.outcome).toBe('failed');
    expect(predicate.steps[0]).toMatchObject({ status: 'failed', exitCode: 3 });
    noStack(r.stderr);
  });

  it('refuses a missing input before anything runs (exit 2, one sentence)', async () => {
    const w = workspace('deploy.md');
    const r = await runCli(['run', w.path, '--yes'], { cwd: w.root, env: w.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/input TARGET has no value; with --yes give it as --set TARGET=VALUE/);
    expect(existsSync(w.file('deployed.txt'))).toBe(false);
    expect(r.stdout).toBe('');
    noStack(r.stderr);
  });

  it('refuses an unknown --set name and a value outside the choices (exit 2)', async () => {
    const w = workspace('deploy.md');
    const unknown = await runCli(['run', w.path, '--yes', '--set', 'TARGET=staging', '--set', 'NOPE=1'], { cwd: w.root, env: w.env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no input named NOPE; its inputs are TARGET, LABEL/);
    const bad = await runCli(['run', w.path, '--yes', '--set', 'TARGET=prod'], { cwd: w.root, env: w.env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/TARGET must be one of staging, production/);
    expect(existsSync(w.file('deployed.txt'))).toBe(false);
  });
});

describe('handrail run without a terminal', () => {
  it('refuses to start without --yes and says why (exit 2)', async () => {
    const w = workspace('deploy.md');
    const r = await runCli(['run', w.path, '--set', 'TARGET=staging'], { cwd: w.root, env: w.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/stdin is not a terminal.*--yes/);
    expect(existsSync(w.file('deployed.txt'))).toBe(false);
  });

  it('prints file:line:col problems for an invalid runbook (exit 2)', async () => {
    const w = workspace('invalid.md');
    const r = await runCli(['run', w.path, '--yes'], { cwd: w.root, env: w.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${w.path}:7:11: unknown attribute "bogus"`);
  });
});

describe('handrail run --dry-run', () => {
  it('runs checks and dry-run=run steps, shows other run steps without running them, and completes', async () => {
    const w = workspace('deploy.md');
    const r = await runCli(['run', w.path, '--dry-run', '--yes', '--set', 'TARGET=production'], { cwd: w.root, env: w.env });
    expect(r.code).toBe(0);
    expect(existsSync(w.file('deployed.txt'))).toBe(false);
    expect(r.stdout).toMatch(/REHEARSAL/);
    expect(r.stdout).toContain('writable');
    expect(r.stdout).toMatch(/\$ printf '%s\\n' "\$TARGET" "\$LABEL" > deployed.txt/);
    expect(r.stdout).toMatch(/rehearsal: shown, not run/);
    expect(r.stdout).toMatch(/deploy\s+rehearsed|Deploy\s+rehearsed/);
  });
});

describe('handrail run --json', () => {
  it('writes only JSON lines on stdout, one event each, ending with the record', async () => {
    const w = workspace('deploy.md');
    const r = await runCli(['run', w.path, '--json', '--yes', '--set', 'TARGET=staging'], { cwd: w.root, env: w.env });
    expect(r.code).toBe(0);
    const events = r.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; [k: string]: unknown });
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('run-started');
    expect(types).toContain('preflight');
    expect(types).toContain('output');
    expect(types.filter((t) => t === 'step-finished')).toHaveLength(5);
    expect(types.filter((t) => t === 'run-ended')).toHaveLength(1);
    expect(types.indexOf('run-ended')).toBeGreaterThan(types.lastIndexOf('step-finished'));
    expect(types.at(-1)).toBe('record-written');
    expect(events.find((e) => e.type === 'capture')).toMatchObject({ name: 'BUILD', value: 'build-42' });
  });
});

describe('signals', () => {
  it('SIGTERM ends the running step and its children, and the run ends aborted with a record (exit 1)', async () => {
    const w = workspace('slow.md');
    const child = spawn(process.execPath, [BIN, 'run', w.path, '--yes', '--json'], {
      cwd: w.root,
      env: { ...process.env, ...w.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let watching = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      // The step has started its child once the pid file is written; then interrupt handrail, once:
      // a second SIGTERM means "leave now", which is not what this test is about.
      if (stdout.includes('"step-started"') && !watching) {
        watching = true;
        const poll = setInterval(() => {
          if (existsSync(w.file('child.pid')) && readFileSync(w.file('child.pid'), 'utf8').trim()) {
            clearInterval(poll);
            child.kill('SIGTERM');
          }
        }, 20);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    const events = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; outcome?: string; reason?: string });
    expect(events.find((e) => e.type === 'run-ended')).toMatchObject({ outcome: 'aborted', reason: 'interrupted by SIGTERM' });
    expect(events.at(-1)?.type).toBe('record-written');
    expect(existsSync(w.file('after.txt'))).toBe(false);
    const pid = Number(readFileSync(w.file('child.pid'), 'utf8'));
    for (let i = 0; i < 300; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });
});
