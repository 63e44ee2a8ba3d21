// `handrail lint` as an operator runs it: the built CLI, real files, exit codes 0 and 2, never a stack trace.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/cli';

const FIXTURES = 'test/fixtures/runbooks/list';
const STACK = /\n\s+at /;

describe('handrail lint', () => {
  const { env } = tempHome();

  it('exits 0 and prints nothing on stdout for a clean runbook', async () => {
    const r = await runCli(['lint', `${FIXTURES}/valid.md`, 'runbooks/demo.md'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/2 runbooks ok/);
  });

  it('prints every problem as file:line:col: message and exits 2', async () => {
    const r = await runCli(['lint', `${FIXTURES}/valid.md`, `${FIXTURES}/broken.md`], { env });
    expect(r.code).toBe(2);
    expect(r.stdout.trim().split('\n')).toEqual([
      `${FIXTURES}/broken.md:9:11: unknown attribute "colour" (known: id, title, if, timeout, confirm, dry-run, secrets, stdin, capture, expect, retries, retry-delay, interactive, cwd, drift)`,
      `${FIXTURES}/broken.md:13:13: timeout "soon" is not a duration: write it like 30s, 10m or 1h`,
    ]);
    expect(r.stderr).toMatch(/2 problems in 1 of 2 runbooks/);
  });

  it('reports a missing file, a folder and binary junk as problems at 1:1, without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handrail-lint-'));
    const junk = join(dir, 'junk.md');
    writeFileSync(junk, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
    const r = await runCli(['lint', join(dir, 'missing.md'), dir, junk], { env });
    expect(r.code).toBe(2);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(`${join(dir, 'missing.md')}:1:1: no such file: check the path`);
    expect(lines[1]).toMatch(new RegExp(`^${dir}:1:1: this is a folder`));
    expect(lines[2]).toBe(`${junk}:1:1: this is a binary file, not a markdown runbook`);
    expect(r.stderr).not.toMatch(STACK);
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable file as a problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handrail-lint-'));
    const path = join(dir, 'locked.md');
    writeFileSync(path, '---\nid: x\n---\n');
    chmodSync(path, 0o000);
    const r = await runCli(['lint', path], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(`${path}:1:1: cannot read this file: permission denied\n`);
  });

  it('exits 2 with a usage message when no file is given', async () => {
    const r = await runCli(['lint'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing required argument/);
  });
});
