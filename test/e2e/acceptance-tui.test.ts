// Acceptance walk of SPEC §3 (the TUI) with the real bin/handrail.js in a real terminal (tmux).
// Needs `npm run build` first (npm test does it). HANDRAIL_NO_KEYCHAIN keeps the keychain out of
// these screen tests: the keychain has its own acceptance tests.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, tempHome } from '../helpers/cli';
import { hasTmux, startTmux, type TmuxSession } from '../helpers/tmux';

let session: TmuxSession | undefined;
afterEach(() => {
  session?.kill();
  session = undefined;
});

interface Setup {
  dir: string;
  state: string;
  env: Record<string, string>;
}

function setup(name: string, body: string, extra: Record<string, string> = {}): Setup {
  const home = tempHome('handrail-acc-tui-');
  const dir = join(home.root, 'work');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), body);
  const env = { ...(home.env as Record<string, string>), TERM: 'xterm-256color', HANDRAIL_NO_KEYCHAIN: '1', ...extra };
  return { dir, state: String(home.env.XDG_STATE_HOME), env };
}

/** After the CLI exits: is the cursor visible, the main screen back, and the tty out of raw mode? */
const AFTER = `; rc=$?; stty -a | tr ' ;' '\\n\\n' | grep -x -e '-\\{0,1\\}icanon' -e '-\\{0,1\\}echo' | sed 's/^/TTY:/'; (exit $rc)`;

function tmuxFormat(t: TmuxSession, format: string): string {
  return execFileSync('tmux', ['-L', t.socket, 'display-message', '-p', '-t', 'main', format], { encoding: 'utf8' }).trim();
}

function expectTerminalRestored(t: TmuxSession, screen: string): void {
  expect(screen).toContain('TTY:icanon');
  expect(screen).toContain('TTY:echo');
  expect(tmuxFormat(t, '#{cursor_flag}')).toBe('1');
  expect(tmuxFormat(t, '#{alternate_on}')).toBe('0');
}

function records(state: string): string[] {
  const dir = join(state, 'handrail', 'records');
  return readdirSync(dir).map((name) => join(dir, name));
}

function predicate(path: string): Record<string, unknown> {
  const envelope = JSON.parse(readFileSync(path, 'utf8')) as { payload: string };
  return (JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { predicate: Record<string, unknown> }).predicate;
}

const TWO_STEPS = `---
id: two-steps
title: Two steps
version: 1.0.0
---

# Two steps

## First

\`\`\`sh run id=first
echo first-done
\`\`\`

## Second

\`\`\`sh run id=second
echo second-done
\`\`\`
`;

describe.skipIf(!hasTmux)('SPEC §3 in a terminal', () => {
  it('a drawing crash shows one sentence, no stack trace, aborts the run with its record written, and restores the terminal', async () => {
    // HANDRAIL_TEST_TUI_CRASH makes the screen throw while drawing that step (a test-only hook).
    const { dir, state, env } = setup('two.md', TWO_STEPS, { HANDRAIL_TEST_TUI_CRASH: 'second' });
    session = startTmux(`node ${BIN} run two.md${AFTER}`, { cwd: dir, env });
    const t = session;
    await t.waitFor('Press Enter to start');
    t.send('Enter');
    const screen = await t.waitFor('EXIT=');
    expect(screen).toContain('the screen failed to draw');
    expect(screen).toContain('EXIT=1');
    expect(screen).not.toMatch(/\bat \S+ \(|node_modules|\.js:\d+/);
    expectTerminalRestored(t, screen);
    const [record] = records(state);
    expect(record).toBeDefined();
    const p = predicate(record);
    expect(p.outcome).toBe('aborted');
    const steps = p.steps as { id: string; status: string }[];
    expect(steps.find((s) => s.id === 'first')?.status).toBe('passed');
    expect(steps.find((s) => s.id === 'second')?.status).not.toBe('passed');
  });
});

describe.skipIf(!hasTmux)('SPEC §4 bare handrail (the picker) in a terminal', () => {
  it('leaves no picker frame in the scrollback once the picked run has ended', async () => {
    const { dir, env } = setup('unused.md', TWO_STEPS);
    mkdirSync(join(dir, 'runbooks'));
    writeFileSync(join(dir, 'runbooks', 'two.md'), TWO_STEPS);
    session = startTmux(`node ${BIN}${AFTER}`, { cwd: dir, env });
    const t = session;
    await t.waitFor('Pick a runbook');
    t.send('Enter');
    await t.waitFor('Press Enter to start');
    t.send('Enter');
    await t.waitFor(/Second +passed/);
    t.send('Enter');
    const screen = await t.waitFor('EXIT=');
    expect(screen).toContain('EXIT=0');
    expect(screen).toContain('Two steps completed');
    const scrollback = execFileSync('tmux', ['-L', t.socket, 'capture-pane', '-p', '-t', 'main', '-S', '-'], { encoding: 'utf8' });
    expect(scrollback).not.toContain('Pick a runbook');
    expectTerminalRestored(t, screen);
  });
});

const INTERACTIVE = `---
id: interactive
title: Interactive walk
version: 1.0.0
---

# Interactive walk

## Ask

\`\`\`sh run id=ask interactive
printf "name? "; read -r x; echo "got $x"
\`\`\`

## After

\`\`\`sh run id=after
echo after-marker
\`\`\`
`;

describe.skipIf(!hasTmux)('an interactive step in a terminal', () => {
  it('steps aside for the command to read the terminal, then comes back and carries on without another key', async () => {
    const { dir, env } = setup('interactive.md', INTERACTIVE);
    session = startTmux(`node ${BIN} run interactive.md${AFTER}`, { cwd: dir, env });
    const t = session;
    await t.waitFor('Press Enter to start');
    t.send('Enter');
    // Typed once the command is waiting in its read: typed earlier, the bug below did not show.
    await t.waitFor('name?');
    t.type('hello there');
    t.send('Enter');
    // Before the fix handrail sat blocked reading the terminal here until Enter was pressed again.
    const back = await t.waitFor(/After +passed/);
    expect(back).toMatch(/Ask +passed/);
    t.send('Enter');
    const screen = await t.waitFor('EXIT=');
    expect(screen).toContain('EXIT=0');
    expectTerminalRestored(t, screen);
  });
});
