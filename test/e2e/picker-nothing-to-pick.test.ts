// Bare `handrail` where ./runbooks has nothing to pick: only invalid runbooks, or no runbook at all.
// Without a terminal and in a real one (tmux, 80x24): one sentence, the problems listed, exit 2,
// no picker, never "run one of these" when there is nothing to run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, runCli, tempHome } from '../helpers/cli';
import { hasTmux, startTmux, type TmuxSession } from '../helpers/tmux';

const NO_VALID = 'handrail: ./runbooks has no valid runbook to pick; `handrail lint runbooks/*.md` says what to fix.';
const NONE = 'handrail: ./runbooks holds no runbook (no .md file); put one there, or run a file with `handrail run <runbook.md>`.';
const PROBLEMS = [
  'runbooks/a-bare.md: invalid — 1:1: no front matter: start the file with a --- line, then id:, title: and version:, then ---',
  'runbooks/b-untitled.md: invalid — 2:1: front matter: missing required key "title"',
];

function folder(kind: 'invalid' | 'empty') {
  const home = tempHome('handrail-pick-');
  const dir = join(home.root, 'work');
  mkdirSync(join(dir, 'runbooks'), { recursive: true });
  // A README without front matter documents the folder; it is not a runbook, valid or not.
  writeFileSync(join(dir, 'runbooks', 'README.md'), '# Our runbooks\n');
  if (kind === 'invalid') {
    writeFileSync(join(dir, 'runbooks', 'a-bare.md'), '# no front matter\n\n```run\necho never\n```\n');
    writeFileSync(join(dir, 'runbooks', 'b-untitled.md'), '---\nid: b\nversion: 1.0.0\n---\n\n# B\n');
  }
  return { dir, env: home.env };
}

describe('bare handrail with nothing to pick, without a terminal', () => {
  it('lists each invalid runbook with its problem and says to lint them (exit 2)', async () => {
    const { dir, env } = folder('invalid');
    const r = await runCli([], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(`${PROBLEMS.join('\n')}\n`);
    expect(r.stderr).toBe(`${NO_VALID}\n`);
  });

  it('says the folder holds no runbook when it has none (exit 2)', async () => {
    const { dir, env } = folder('empty');
    const r = await runCli([], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${NONE}\n`);
  });
});

describe.skipIf(!hasTmux)('bare handrail with nothing to pick, in a terminal (80x24)', () => {
  let session: TmuxSession | undefined;
  afterEach(() => {
    session?.kill();
    session = undefined;
  });

  /** The screen with the terminal's own line wrapping undone. */
  const unwrapped = (t: TmuxSession) =>
    execFileSync('tmux', ['-L', t.socket, 'capture-pane', '-p', '-J', '-t', 'main'], { encoding: 'utf8' });

  for (const [kind, expected] of [
    ['invalid', [...PROBLEMS, NO_VALID]],
    ['empty', [NONE]],
  ] as const) {
    it(`${kind === 'invalid' ? 'only invalid runbooks' : 'no runbook'}: the sentence${kind === 'invalid' ? ' and the problems' : ''}, no picker, exit 2`, async () => {
      const { dir, env } = folder(kind);
      session = startTmux(`node ${BIN}`, {
        cwd: dir,
        env: { ...(env as Record<string, string>), TERM: 'xterm-256color' },
        columns: 80,
        rows: 24,
      });
      await session.waitFor('EXIT=');
      const lines = unwrapped(session)
        .split('\n')
        .filter((line) => line.trim() !== '');
      expect(lines).toEqual([...expected, 'EXIT=2']);
    });
  }
});
