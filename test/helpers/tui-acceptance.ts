// Shared by the tmux acceptance walks of the TUI: a runbook in a fresh home, tmux sessions that are
// always killed, and checks that the terminal was given back and what the record says.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { tempHome } from './cli';
import { startTmux, type TmuxSession } from './tmux';

/** Starts tmux sessions that are killed after each test of the calling file. Call at top level. */
export function tmuxPerTest(): typeof startTmux {
  const open: TmuxSession[] = [];
  afterEach(() => {
    for (const session of open.splice(0)) session.kill();
  });
  return (command, options) => {
    const session = startTmux(command, options);
    open.push(session);
    return session;
  };
}

export interface Setup {
  dir: string;
  state: string;
  env: Record<string, string>;
}

/**
 * A runbook file in a fresh home. HANDRAIL_NO_KEYCHAIN keeps the keychain out of these screen
 * tests: the keychain has its own acceptance tests.
 */
export function setupRunbook(prefix: string, name: string, body: string, extra: Record<string, string> = {}): Setup {
  const home = tempHome(prefix);
  const dir = join(home.root, 'work');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), body);
  const env = { ...(home.env as Record<string, string>), TERM: 'xterm-256color', HANDRAIL_NO_KEYCHAIN: '1', ...extra };
  return { dir, state: String(home.env.XDG_STATE_HOME), env };
}

/** Appended to the command: after the CLI exits, prints whether the tty is out of raw mode. */
export const AFTER = `; rc=$?; stty -a | tr ' ;' '\\n\\n' | grep -x -e '-\\{0,1\\}icanon' -e '-\\{0,1\\}echo' | sed 's/^/TTY:/'; (exit $rc)`;

function tmuxFormat(t: TmuxSession, format: string): string {
  return execFileSync('tmux', ['-L', t.socket, 'display-message', '-p', '-t', 'main', format], { encoding: 'utf8' }).trim();
}

/** Is the cursor visible, the main screen back, and the tty out of raw mode? */
export function expectTerminalRestored(t: TmuxSession, screen: string): void {
  expect(screen).toContain('TTY:icanon');
  expect(screen).toContain('TTY:echo');
  expect(tmuxFormat(t, '#{cursor_flag}')).toBe('1');
  expect(tmuxFormat(t, '#{alternate_on}')).toBe('0');
}

export function records(state: string): string[] {
  const dir = join(state, 'handrail', 'records');
  return readdirSync(dir).map((name) => join(dir, name));
}

export function predicate(path: string): Record<string, unknown> {
  const envelope = JSON.parse(readFileSync(path, 'utf8')) as { payload: string };
  return (JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { predicate: Record<string, unknown> }).predicate;
}
