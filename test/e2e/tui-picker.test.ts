// Bare `handrail`: the picker over ./runbooks in a terminal, the list and exit 2 without one.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, tempHome } from '../helpers/cli';
import { hasTmux, startTmux, type TmuxSession } from '../helpers/tmux';

let session: TmuxSession | undefined;
afterEach(() => {
  session?.kill();
  session = undefined;
});

describe('bare handrail', () => {
  it.skipIf(!hasTmux)('opens the picker on ./runbooks and runs the one chosen, in rehearsal when d is pressed', async () => {
    const home = tempHome('handrail-pick-');
    session = startTmux(`node ${BIN}`, { cwd: ROOT, env: { ...(home.env as Record<string, string>), TERM: 'xterm-256color' } });
    // The footer is drawn last: wait for it, so the whole picker is on the screen.
    const picker = await session.waitFor('d rehearse');
    expect(picker).toContain('Pick a runbook');
    expect(picker).toContain('handrail demo v1.0.0');
    expect(picker).toContain('❯ ');
    expect(picker).toContain('d rehearse');
    // d starts the highlighted runbook (demo.md sorts first) as a rehearsal, as the keys line says.
    session.send('d');
    const run = await session.waitFor('GREETING_NAME');
    expect(run).toContain('REHEARSAL');
    session.send('Escape');
    await session.waitFor('Abort the run?');
    session.send('y');
    expect(await session.waitFor('Press any key to exit.')).toContain('Run aborted (rehearsal)');
    session.send('x');
    expect(await session.waitFor('EXIT=')).toMatch(/EXIT=1/);
  });

  it('without a terminal lists the runbooks, marks invalid ones, and says to use handrail run (exit 2)', async () => {
    const home = tempHome('handrail-pick-');
    const dir = join(home.root, 'work');
    mkdirSync(join(dir, 'runbooks'), { recursive: true });
    writeFileSync(join(dir, 'runbooks', 'good.md'), '---\nid: good\ntitle: Good one\nversion: 1.0.0\n---\n\n# Hi\n');
    writeFileSync(join(dir, 'runbooks', 'bad.md'), '# no front matter\n');
    const result = await runCli([], { cwd: dir, env: home.env });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/good\t1\.0\.0\tGood one\t/);
    expect(result.stdout).toMatch(/bad\.md: invalid — 1:1: no front matter/);
    expect(result.stderr).toContain('handrail run <file>');
  });

  it('says there is no ./runbooks folder in one sentence (exit 2)', async () => {
    const home = tempHome('handrail-pick-');
    const result = await runCli([], { cwd: home.root, env: home.env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^handrail: there is no \.\/runbooks folder here; .*\n$/);
  });
});
