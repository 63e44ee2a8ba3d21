// The verify command an operator is told to run at the end of a run must paste and run as shown:
// on the TUI's end screen, in the scrollback the TUI leaves, and in line mode. At 80 columns, with a
// record folder whose path is longer than a row, the command is copied from tmux's capture joined by
// the terminal's own wrap (`capture-pane -J`, what a mouse copy joins), run, and must verify (exit 0).
// Nothing here depends on where the checkout is: the command is whatever the screen shows.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli';
import { hasTmux, type TmuxSession } from '../helpers/tmux';
import { setupRunbook, tmuxPerTest } from '../helpers/tui-acceptance';

const openTmux = tmuxPerTest();

const RUNBOOK = `---
id: verify-line
title: Verify line
version: 1.0.0
---

## Say hello

\`\`\`sh check
echo hello
\`\`\`
`;

/** A record folder whose path alone is longer than two rows of 80 columns. */
function longRecordDir(root: string): string {
  const dir = join(root, 'records-of-the-team', 'a-folder-name-long-enough-to-wrap'.repeat(4), 'and-then-some-more');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The record path and the verify command, each read as one line from a joined capture; undefined until both are whole. */
function copyLines(joined: string): { record: string; verify: string } | undefined {
  const lines = joined.split('\n').map((line) => line.trimEnd());
  const at = lines.indexOf('Verify it with:');
  const record = lines.find((line) => line.startsWith('Record: '))?.slice('Record: '.length);
  const verify = at >= 0 ? lines[at + 1] : undefined;
  if (!record?.endsWith('.json') || !verify?.endsWith('.json')) return undefined;
  return { record, verify };
}

/** Runs the copied line in a shell, as pasted at a prompt. */
function runPasted(line: string, env: Record<string, string>): { status: number | null; out: string } {
  const r = spawnSync('sh', ['-c', line], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function scrollback(t: TmuxSession): string {
  return execFileSync('tmux', ['-L', t.socket, 'capture-pane', '-p', '-J', '-S', '-', '-t', 'main'], { encoding: 'utf8' });
}

function expectPastesAndVerifies(copied: { record: string; verify: string } | undefined, dir: string, env: Record<string, string>): void {
  expect(copied).toBeDefined();
  const { record, verify } = copied!;
  expect(existsSync(record), record).toBe(true);
  expect(record.startsWith(dir)).toBe(true);
  // One logical line far longer than a row: the terminal wrapped it, nothing else did.
  expect(verify.length).toBeGreaterThan(160);
  expect(verify).toMatch(/^ {2}(handrail|node \S+) verify \S+\.json$/);
  const ran = runPasted(verify, env);
  expect(ran.status, ran.out).toBe(0);
}

describe.skipIf(!hasTmux)('the verify line pastes and runs (80 columns, a long record path)', () => {
  it('on the TUI end screen and in the scrollback it leaves', async () => {
    const setup = setupRunbook('handrail-verify-line-', 'hello.md', RUNBOOK);
    const dir = longRecordDir(join(setup.dir, '..'));
    const t = openTmux(`node ${BIN} run hello.md --record-dir ${dir}`, { cwd: setup.dir, env: setup.env, columns: 80, rows: 24 });
    await t.waitFor('Press Enter to start', 30_000);
    t.send('Enter');
    // Shown on the end screen as rows cut at the edge, and joined again by the terminal's own wrap.
    const screen = await t.waitFor(
      (s) => copyLines(s) !== undefined,
      30_000,
      () => t.joined(),
    );
    expect(t.screen()).toContain('Press any key to exit.');
    expectPastesAndVerifies(copyLines(screen), dir, setup.env);

    t.send('x');
    await t.waitFor('EXIT=');
    const history = scrollback(t);
    expect(history).toContain('EXIT=0');
    expectPastesAndVerifies(copyLines(history), dir, setup.env);
  });

  it('in line mode', async () => {
    const setup = setupRunbook('handrail-verify-line-', 'hello.md', RUNBOOK);
    const dir = longRecordDir(join(setup.dir, '..'));
    // Piped, so handrail writes lines; the terminal still shows them, at 80 columns.
    const t = openTmux(`node ${BIN} run hello.md --yes --record-dir ${dir} | cat`, {
      cwd: setup.dir,
      env: setup.env,
      columns: 80,
      rows: 24,
    });
    const screen = await t.waitFor(
      (s) => s.includes('EXIT=') && copyLines(s) !== undefined,
      30_000,
      () => t.joined(),
    );
    expect(screen).toContain('EXIT=0');
    expectPastesAndVerifies(copyLines(screen), dir, setup.env);
  });
});
