// SPEC §3.2: line structure as GitHub and CommonMark read it. A lone CR in prose once shifted which
// line handrail read as a fence's info string: with a first script line `sh -s dry-run=run`, a
// rehearsal executed the step, unconfirmed, under another id. And lint says which endings it read.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/cli';

const CR_RUNBOOK = [
  '---\nid: cr-attack\ntitle: Routine\nversion: 1.0.0\n---\n\n# Wipe\n\n',
  'Read this first.\rThen continue.\n\n',
  '```sh run id=wipe confirm\nsh -s dry-run=run\necho wiped > wiped.txt\n```\n',
].join('');

function workspace(name: string, body: string) {
  const home = tempHome('handrail-hostile-eol-');
  const dir = join(home.root, 'work');
  mkdirSync(dir);
  writeFileSync(join(dir, name), body);
  return { ...home, dir };
}

describe('line endings', () => {
  it('a lone CR before a fence: the attributes are the fence’s own, so a rehearsal runs nothing', async () => {
    const w = workspace('cr.md', CR_RUNBOOK);
    const r = await runCli(['run', 'cr.md', '--dry-run', '--yes', '--json'], { cwd: w.dir, env: w.env });
    expect(r.code).toBe(0);
    expect(existsSync(join(w.dir, 'wiped.txt'))).toBe(false);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; stepId?: string; status?: string; display?: string });
    const finished = events.filter((e) => e.type === 'step-finished');
    expect(finished).toEqual([expect.objectContaining({ stepId: 'wipe', status: 'rehearsed' })]);
    // The script shown is the whole fence body, its first line included.
    expect(events.find((e) => e.type === 'step-started')?.display).toBe('sh -s dry-run=run\necho wiped > wiped.txt');
  });

  it('lint states the line endings it read: the first lone CR by file:line:col, CRLF files by name', async () => {
    const w = workspace('cr.md', CR_RUNBOOK);
    writeFileSync(join(w.dir, 'crlf.md'), CR_RUNBOOK.replace('\r', ' ').replace(/\n/g, '\r\n'));
    writeFileSync(join(w.dir, 'lf.md'), CR_RUNBOOK.replace('\r', ' '));
    const r = await runCli(['lint', 'cr.md', 'crlf.md', 'lf.md'], { cwd: w.dir, env: w.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'cr.md:9:17: note: line endings read: 14 LF, 1 lone CR; a lone CR (the first is here) ends a line, as on GitHub',
    );
    expect(r.stderr).toContain('crlf.md: note: line endings read: 14 CRLF; each ends a line, as on GitHub');
    expect(r.stderr).not.toMatch(/^lf\.md/m);
    expect(r.stderr).toContain('3 runbooks ok');
  });
});
