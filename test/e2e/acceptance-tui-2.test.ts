// Acceptance walk of SPEC §3 (the TUI), second pass: keys whose effect reaches the record or the log.
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
  const home = tempHome('handrail-acc-tui2-');
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

const FAILING = `---
id: failing
title: Failing walk
version: 3.1.4
---

# Failing walk

## Flood then fail

\`\`\`sh run id=flood
seq 1 5000; exit 3
\`\`\`

## After

\`\`\`sh run id=after
echo after-done
\`\`\`
`;

describe.skipIf(!hasTmux)('SPEC §3 keys in a terminal (second pass)', () => {
  it('a failed step: l shows all 5000 lines from its log and scrolls; s asks a reason that reaches the record', async () => {
    const { dir, state, env } = setup('failing.md', FAILING);
    session = startTmux(`node ${BIN} run failing.md${AFTER}`, { cwd: dir, env, columns: 80, rows: 24 });
    const t = session;
    await t.waitFor('Press Enter to start');
    t.send('Enter');
    const failed = await t.waitFor('r retry · s skip · q abort');
    expect(failed).toMatch(/✗ +1\. Flood then fail/);
    expect(failed).not.toContain('running');
    t.send('l');
    const viewer = await t.waitFor(/lines \d+-5000 of 5000/);
    expect(viewer).toContain('5000');
    t.send('g');
    await t.waitFor(/lines 1-\d+ of 5000/);
    t.send('PageDown');
    // A page further down: the first line shown is no longer line 1.
    await t.waitFor((s) => Number(/lines (\d+)-\d+ of 5000/.exec(s)?.[1] ?? 1) > 1);
    t.send('G');
    await t.waitFor(/lines \d+-5000 of 5000/);
    t.send('Escape');
    await t.waitFor('r retry · s skip · q abort');
    t.send('s');
    await t.waitFor('Why skip this step?');
    t.type('known flaky, ticket OPS-12');
    await t.waitFor('known flaky, ticket OPS-12');
    t.send('Enter');
    await t.waitFor('Press any key to exit');
    t.send('x');
    const end = await t.waitFor('EXIT=');
    expect(end).toContain('EXIT=0');
    expectTerminalRestored(t, end);
    const [record] = records(state);
    const steps = predicate(record).steps as { id: string; status: string; reason?: string }[];
    const flood = steps.find((s) => s.id === 'flood');
    expect(flood?.status).toBe('skipped');
    expect(JSON.stringify(flood)).toContain('known flaky, ticket OPS-12');
    expect(steps.find((s) => s.id === 'after')?.status).toBe('passed');
  });

  it('Ctrl+C at a failed step leaves at once (no "press any key"), with the record written and the terminal restored', async () => {
    const { dir, state, env } = setup('failing.md', FAILING);
    session = startTmux(`node ${BIN} run failing.md${AFTER}`, { cwd: dir, env });
    const t = session;
    await t.waitFor('Press Enter to start');
    t.send('Enter');
    await t.waitFor('r retry · s skip · q abort');
    t.send('C-c');
    const end = await t.waitFor('EXIT=');
    expect(end).toContain('EXIT=1');
    expect(end).toContain('Record:');
    expect(end).not.toMatch(/\bat \S+ \(|node_modules/);
    expectTerminalRestored(t, end);
    const [record] = records(state);
    expect(predicate(record).outcome).not.toBe('completed');
  });
});
