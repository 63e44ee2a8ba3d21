// `handrail list` as an operator runs it: aligned columns, invalid runbooks shown with their first problem.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/cli';

const FIXTURES = 'test/fixtures/runbooks/list';

describe('handrail list', () => {
  const { env } = tempHome();

  it('lists id, version, title and path in aligned columns, an invalid file with its first problem', async () => {
    const r = await runCli(['list', FIXTURES], { env });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ID\s+VERSION\s+TITLE\s+PATH$/);
    expect(lines[1]).toMatch(
      /^-\s+-\s+invalid: 9:11: unknown attribute "colour".*\(\+1 more; run handrail lint\)\s+test\/fixtures\/runbooks\/list\/broken\.md$/,
    );
    expect(lines[2]).toMatch(/^fixture-valid\s+2\.3\.4\s+A valid fixture\s+test\/fixtures\/runbooks\/list\/valid\.md$/);
    // Columns line up: each row's VERSION and PATH start where the header's do.
    for (const column of ['VERSION', 'PATH']) {
      const at = lines[0].indexOf(column);
      for (const line of lines.slice(1)) expect(line[at - 1]).toBe(' ');
    }
    expect(lines[2].indexOf('2.3.4')).toBe(lines[0].indexOf('VERSION'));
    expect(lines[2].indexOf('test/')).toBe(lines[0].indexOf('PATH'));
    expect(r.stdout).not.toMatch(/\u001b\[/);
    expect(r.stdout).not.toMatch(/README/);
  });

  it('defaults to ./runbooks', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'handrail-list-'));
    mkdirSync(join(cwd, 'runbooks'));
    writeFileSync(join(cwd, 'runbooks', 'one.md'), '---\nid: one\ntitle: One\nversion: 0.1.0\n---\n\n- [ ] go\n');
    const r = await runCli(['list'], { env, cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^one\s+0\.1\.0\s+One\s+runbooks\/one\.md$/m);
  });

  it('says so when a folder has no runbooks', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'handrail-list-'));
    const r = await runCli(['list', '.'], { env, cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no runbooks/);
  });

  it('exits 2 with one sentence for a missing folder', async () => {
    const r = await runCli(['list', 'no/such/folder'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'handrail: no folder no/such/folder: give the folder that holds your runbooks, e.g. handrail list ./runbooks',
    );
  });

  it('exits 2 and points to lint when given a file', async () => {
    const r = await runCli(['list', `${FIXTURES}/valid.md`], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a file, not a folder: use handrail lint/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
