// SPEC §3.2 in the TUI, tried as an attacker would: the hostile runbook of hostile-terminal.test.ts in
// a real 80x24 terminal (tmux). capture-pane -e shows the cells with their attributes, so text the
// runbook tried to conceal (ESC[8m) or a title it tried to set would be seen here.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli';
import { hasTmux, type TmuxSession } from '../helpers/tmux';
import { AFTER, setupRunbook, tmuxPerTest } from '../helpers/tui-acceptance';
import { HOSTILE } from '../fixtures/hostile/runbook';

const openTmux = tmuxPerTest();
const tmux = (t: TmuxSession, ...args: string[]) => execFileSync('tmux', ['-L', t.socket, ...args], { encoding: 'utf8' });
/** The screen with its attributes as SGR sequences, as tmux holds it. */
const styled = (t: TmuxSession) => tmux(t, 'capture-pane', '-p', '-e', '-t', 'main');

describe.skipIf(!hasTmux)('a hostile runbook in the TUI, in a real terminal', () => {
  it('shows the whole command before its confirm, values on one line, and output that cannot act on the terminal', async () => {
    const { dir, env } = setupRunbook('handrail-hostile-tui-', 'hostile.md', HOSTILE);
    // The value is written by the launcher itself: a newline cannot travel through tmux's command line.
    writeFileSync(
      join(dir, 'launch.sh'),
      `#!/bin/sh\nexec ${process.execPath} ${BIN} run hostile.md --set "$(printf 'NOTE=a\\nb\\033[8m')"\n`,
      { mode: 0o755 },
    );
    const t = openTmux(`./launch.sh${AFTER}`, { cwd: dir, env, columns: 80, rows: 24 });
    const preflight = await t.waitFor('Press Enter to start');
    // A --set value with a line break and an escape stays on its line, shown.
    expect(preflight).toContain('a⏎b␛[8m');
    t.send('Enter');
    await t.waitFor('This step is marked confirm');
    const confirm = styled(t);
    // The command shown is the command that runs: nothing concealed (SGR 8), the hidden part in view.
    expect(confirm).toContain('echo hello ␛[8m; touch EVIL ␛[0m');
    expect(confirm).not.toMatch(/\x1b\[(?:\d+;)*8(?:;\d+)*m/);
    expect(confirm).toContain('Read this first.␛[8m Nothing to see here.␛[0m');
    t.send('Enter');
    const tasks = await t.waitFor('I reviewed PR');
    // A capture with a line break stays inside its task item and its heading.
    expect(tasks).toContain('I reviewed PR fix typo⏎␛[1A␛[2KOutcome: completed with');
    expect(tasks).toContain('4. Review fix typo⏎␛[1A␛[2KOutcome: completed');
    expect(tasks).not.toMatch(/^\s*Outcome: completed/m);
    // The step that printed ESC[2J ESC]0;retitled did neither: its output is shown, the title is tmux's.
    expect(tmux(t, 'display-message', '-p', '-t', 'main', '#{pane_title}')).not.toMatch(/retitled|pwned/);
    expect(styled(t)).not.toMatch(/\x1b\[(?:\d+;)*8(?:;\d+)*m/);
    t.send('Space');
    t.send('Enter');
    await t.waitFor(/Review .* +auto-confirmed|confirmed/);
  });
});
