// SPEC §3.1 in a real terminal (tmux): a runbook with long commands, long output lines, long task
// items, more steps than fit and {{NAME}} everywhere, walked live and as a rehearsal at 80×24 and
// 120×40. Every captured screen is checked: it is not scrolled apart (the header is on the first
// row), no {{ is left, the current step's row is in view, and where the operator decides the whole
// command is on the screen. A resize mid-run keeps these; after exit the scrollback holds every
// step's status line and the record's path. Needs `npm run build` first (npm test does it).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli';
import { hasTmux, type TmuxSession } from '../helpers/tmux';
import { AFTER, expectTerminalRestored, records, setupRunbook, tmuxPerTest } from '../helpers/tui-acceptance';
import { RETAG_COMMAND, SCREEN_WALK } from '../fixtures/screen-walk';

const openTmux = tmuxPerTest();
const squash = (text: string) => text.replace(/\s+/g, '');
const STEP_IDS = 12;

function size(t: TmuxSession): { columns: number; rows: number } {
  const [columns, rows] = execFileSync('tmux', ['-L', t.socket, 'display-message', '-p', '-t', 'main', '#{pane_width} #{pane_height}'], {
    encoding: 'utf8',
  })
    .trim()
    .split(' ')
    .map(Number);
  return { columns, rows };
}

/** Waits for the screen, then checks what SPEC §3.1 asks of every screen. */
async function screenOf(
  t: TmuxSession,
  until: string | RegExp | ((screen: string) => boolean),
  mode: 'LIVE' | 'REHEARSAL',
  current = true,
): Promise<string> {
  const screen = await t.waitFor(until, 30_000);
  const { rows } = size(t);
  const lines = screen.replace(/\n$/, '').split('\n');
  expect(lines.length, screen).toBeLessThanOrEqual(rows);
  // Drawn past the last row or column, the frame would scroll and the header leave the first row.
  expect(lines[0], screen).toContain(mode);
  expect(lines[0], screen).toMatch(/^Screen walk of (containai|‹IMAGE›)/);
  expect(screen).not.toContain('{{');
  if (current) expect(screen, screen).toMatch(/^›. +\d+\. /m);
  return screen;
}

async function walk(t: TmuxSession, mode: 'LIVE' | 'REHEARSAL', resizeTo?: { columns: number; rows: number }): Promise<void> {
  await screenOf(t, '(OWNER)', mode, false);
  t.send('Enter');
  await screenOf(t, '(IMAGE)', mode, false);
  t.send('Enter');
  await screenOf(t, 'Press Enter to start', mode, false);
  t.send('Enter');
  const good = await screenOf(t, '(GOOD)', mode);
  // The digest the check printed is on the screen whole, to copy into this input.
  expect(squash(good)).toContain(`@sha256:${'0123456789abcdef'.repeat(4)}`);
  t.send('Enter');
  await screenOf(t, '(NOTE)', mode);
  if (resizeTo) {
    execFileSync('tmux', ['-L', t.socket, 'resize-window', '-t', 'main', '-x', String(resizeTo.columns), '-y', String(resizeTo.rows)]);
    await t.waitFor(() => size(t).columns === resizeTo.columns);
    // tmux reflows the old frame at once; handrail redraws on the resize signal a moment later
    // (measured on tmux 3.3a: settled after 90–220 ms, sometimes by way of an erased screen or one
    // frame of the old layout). Wait for the redrawn header, whole on row 1 (the old, wider one
    // wraps its clock onto row 2), then check the screen as any other.
    const header = new RegExp(`^Screen walk of .*${mode}.* step \\d+ of ${STEP_IDS} +\\d\\d:\\d\\d$`);
    await t.waitFor((screen) => header.test(screen.split('\n')[0]) && screen.includes('(NOTE)'));
    await screenOf(t, '(NOTE)', mode);
  }
  t.send('Enter');
  const decide = await screenOf(t, mode === 'LIVE' ? 'This step is marked confirm' : 'Enter next step', mode);
  expect(squash(decide)).toContain(squash(RETAG_COMMAND));
  t.send('Enter');
  const tasks = await screenOf(t, 'Space tick', mode);
  expect(tasks).toContain('END-OF-ITEM-1');
  t.send('Space');
  await screenOf(t, '2 left', mode);
  t.send('Down', 'Space');
  await screenOf(t, '1 left', mode);
  t.send('Down', 'Space');
  await screenOf(t, 'All ticked', mode);
  t.send('Enter');
  if (mode === 'REHEARSAL') {
    for (const word of ['five', 'six', 'seven', 'eight', 'nine', 'ten']) {
      await screenOf(t, new RegExp(`echo ${word}\\n[\\s\\S]*Enter next step`), mode);
      t.send('Enter');
    }
  }
  await screenOf(t, /echo last\n[\s\S]*(This step is marked confirm|Enter next step)/, mode);
  t.send('Enter');
  await screenOf(t, 'Press any key to exit', mode, false);
  t.send('x');
}

/** The terminal's scrollback once the TUI has closed. */
function scrollback(t: TmuxSession): string {
  return execFileSync('tmux', ['-L', t.socket, 'capture-pane', '-p', '-J', '-S', '-', '-t', 'main'], { encoding: 'utf8' });
}

function expectScrollback(t: TmuxSession, state: string, outcome: RegExp): void {
  const history = scrollback(t);
  expect(history).toMatch(outcome);
  const stepLines = history
    .split('\n')
    .filter((line) => /^ {2}\S (passed|rehearsed|confirmed|skipped|failed|not-run|auto-confirmed)\b/.test(line));
  expect(stepLines, history).toHaveLength(STEP_IDS);
  expect(history).toContain('Re-tag containai-with-a-rather-long-name to sha256:');
  const [record] = records(state);
  expect(history).toContain(`Record: ${record}`);
  expect(history).toMatch(/Verify it with:\n {2}(handrail|node \S+) verify \S+/);
}

describe.skipIf(!hasTmux)('SPEC §3.1 the screen contract in a terminal', () => {
  it.each([
    { columns: 80, rows: 24 },
    { columns: 120, rows: 40 },
  ])('a live walk at $columns×$rows', { timeout: 240_000 }, async (at) => {
    const { dir, state, env } = setupRunbook('handrail-screen-', 'walk.md', SCREEN_WALK);
    const t = openTmux(`node ${BIN} run walk.md${AFTER}`, { cwd: dir, env, ...at });
    await walk(t, 'LIVE');
    const end = await t.waitFor('EXIT=0', 30_000);
    expectTerminalRestored(t, end);
    expectScrollback(t, state, /Run completed \(live\)/);
  });

  it.each([
    { columns: 80, rows: 24 },
    { columns: 120, rows: 40 },
  ])('a rehearsal at $columns×$rows stops at each step it does not execute', { timeout: 240_000 }, async (at) => {
    const { dir, state, env } = setupRunbook('handrail-screen-', 'walk.md', SCREEN_WALK);
    const t = openTmux(`node ${BIN} run walk.md --dry-run${AFTER}`, { cwd: dir, env, ...at });
    await walk(t, 'REHEARSAL');
    await t.waitFor('EXIT=0', 30_000);
    expectScrollback(t, state, /Run completed \(rehearsal\)/);
  });

  it('a resize from 120×40 to 80×24 mid-run keeps every screen whole', { timeout: 240_000 }, async () => {
    const { dir, state, env } = setupRunbook('handrail-screen-', 'walk.md', SCREEN_WALK);
    const t = openTmux(`node ${BIN} run walk.md${AFTER}`, { cwd: dir, env, columns: 120, rows: 40 });
    await walk(t, 'LIVE', { columns: 80, rows: 24 });
    await t.waitFor('EXIT=0', 30_000);
    expectScrollback(t, state, /Run completed \(live\)/);
  });
});
