import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempHome } from '../helpers/cli';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

describe('handrail CLI basics', () => {
  it('prints its version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('lists every command in --help', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['run', 'lint', 'list', 'verify', 'records', 'auth', 'keys']) expect(r.stdout).toContain(cmd);
  });

  it('exits 2 with a usage message for an unknown command, without a stack trace', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a handrail command/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('usage mistakes are named, not guessed at', () => {
  it('says a word that is not a command is not a command (exit 2)', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'frobnicate' is not a handrail command");
    expect(r.stderr).toContain('handrail --help');
  });

  it('refuses a --github-api that is not an http(s) URL before anything runs (exit 2)', async () => {
    const home = tempHome();
    const runbook = join(home.root, 'rb.md');
    writeFileSync(runbook, '---\nid: t\ntitle: T\nversion: 1.0.0\n---\n\n## S\n\n```sh run\ntouch ran.txt\n```\n');
    const r = await runCli(['run', runbook, '--yes', '--github-api', 'notaurl'], { cwd: home.root, env: home.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--github-api is not an http(s) URL: notaurl');
    expect(existsSync(join(home.root, 'ran.txt'))).toBe(false);
    const viaEnv = await runCli(['run', runbook, '--yes'], { cwd: home.root, env: { ...home.env, HANDRAIL_GITHUB_API: 'ftp://example' } });
    expect(viaEnv.code).toBe(2);
    expect(viaEnv.stderr).toContain('HANDRAIL_GITHUB_API is not an http(s) URL');
  });
});
