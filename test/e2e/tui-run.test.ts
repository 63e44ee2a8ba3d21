// The real bin/handrail.js in a real terminal (tmux): an operator walks a runbook start to finish,
// and aborts a step that floods the screen. Needs `npm run build` first (npm test does it).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, tempHome } from '../helpers/cli';
import { hasTmux, startTmux, type TmuxSession } from '../helpers/tmux';

const WALK = `---
id: tui-walk
title: TUI walk
version: 2.0.0
---

# Walk

## Precondition

\`\`\`sh check id=pre
echo ready
\`\`\`

## Name

\`\`\`yaml input
name: SERVICE
prompt: Service to restart
pattern: ^[a-z]+$
\`\`\`

## Restart

Restarting **{{SERVICE}}** now.

\`\`\`sh run id=restart confirm
echo "restarting $SERVICE"
echo "done-marker-$SERVICE"
\`\`\`

## Tell people

- [ ] Posted in #incidents
- [ ] Updated the status page
`;

let session: TmuxSession | undefined;
afterEach(() => {
  session?.kill();
  session = undefined;
});

function setup(name: string, body: string): { dir: string; env: Record<string, string> } {
  const home = tempHome('handrail-tui-');
  const dir = join(home.root, 'work');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), body);
  return { dir, env: { ...(home.env as Record<string, string>), TERM: 'xterm-256color' } };
}

describe.skipIf(!hasTmux)('the TUI in a terminal', () => {
  it('walks preflight, a check, an input, a command with output, a task list, and shows the summary', async () => {
    const { dir, env } = setup('walk.md', WALK);
    session = startTmux(`node ${BIN} run walk.md`, { cwd: dir, env });
    const t = session;
    const preflight = await t.waitFor('Press Enter to start');
    expect(preflight).toContain('TUI walk v2.0.0');
    expect(preflight).toContain('LIVE');
    t.send('Enter');
    await t.waitFor('Service to restart (SERVICE)');
    expect(t.screen()).toMatch(/✓ +1\. Precondition +passed/);
    t.type('Bad Name');
    await t.waitFor('› Bad Name');
    t.send('Enter');
    await t.waitFor('SERVICE must match');
    t.send('C-u');
    t.type('api');
    await t.waitFor('› api');
    t.send('Enter');
    const confirm = await t.waitFor('Enter run · s skip · q abort');
    expect(confirm).toContain('Restarting api now.');
    expect(confirm).toContain('$ # SERVICE=api');
    expect(confirm).toContain('  echo "restarting $SERVICE"');
    expect(confirm).toContain('step 3 of 4');
    t.send('Enter');
    await t.waitFor('done-marker-api');
    await t.waitFor('Posted in #incidents');
    t.send('Enter');
    await t.waitFor('2 left');
    t.send('Space');
    t.send('Down');
    t.send('Space');
    await t.waitFor('All ticked');
    t.send('Enter');
    // The record is written after the summary is drawn: wait for its verify line, read as the
    // terminal wraps it (its rows joined), so the checkout's path may be as long as it likes.
    const summary = await t.waitFor(/^ {2}(handrail|node .+handrail\.js) verify \S+\.json$/m, undefined, () => t.joined());
    expect(summary).toContain('Press any key to exit.');
    expect(summary).toContain('Run completed (live)');
    expect(summary).toMatch(/✓ Tell people\s+confirmed/);
    t.send('x');
    const after = await t.waitFor('EXIT=', undefined, () => t.joined());
    expect(after).toContain('EXIT=0');
    expect(after).toMatch(/^Record: \S*tui-walk-\S*\.json$/m);
    // The terminal is usable again: the shell echoes what is typed (not raw, cursor shown is not capturable).
  });

  it('keeps answering keys while a step floods output, and q then y aborts it with no process left behind', async () => {
    const marker = `flood-marker-${process.pid}-${Date.now()}`;
    const flood = `---
id: tui-flood
title: Flood
version: 1.0.0
---

## Flood

\`\`\`sh run id=flood
exec sh -c 'i=0; while :; do i=$((i+1)); echo "line $i ${marker}"; done'
\`\`\`
`;
    const { dir, env } = setup('flood.md', flood);
    session = startTmux(`node ${BIN} run flood.md`, { cwd: dir, env, columns: 80, rows: 24 });
    const t = session;
    await t.waitFor('Press Enter to start');
    t.send('Enter');
    await t.waitFor(/line \d{4,} flood-marker/);
    t.send('?');
    await t.waitFor('tick the highlighted task item');
    t.send('x');
    await t.waitFor((screen) => !screen.includes('tick the highlighted task item'));
    t.send('q');
    await t.waitFor('Abort the run?');
    t.send('y');
    const end = await t.waitFor('Press any key to exit.');
    expect(end).toContain('Run aborted');
    const alive = spawnSync('pgrep', ['-f', marker]);
    expect(alive.status, `processes still running: ${alive.stdout}`).toBe(1);
    t.send('x');
    expect(await t.waitFor('EXIT=')).toMatch(/EXIT=1/);
  });
});

describe.skipIf(!hasTmux)('the TUI when its terminal goes away', () => {
  for (const signal of ['SIGHUP', 'SIGTERM'] as const) {
    it(`ends at once on ${signal}, without waiting for a key, and leaves an aborted record`, async () => {
      const { dir, env } = setup('walk.md', WALK);
      const records = join(dir, 'records');
      session = startTmux(`node ${BIN} run walk.md --record-dir ${records}`, { cwd: dir, env });
      const t = session;
      await t.waitFor('Press Enter to start');
      t.send('Enter');
      await t.waitFor('Service to restart');
      // The record dir is unique to this test, so it finds exactly this handrail process.
      const found = spawnSync('pgrep', ['-f', '--', `--record-dir ${records}`], { encoding: 'utf8' })
        .stdout.split('\n')
        .filter(Boolean)
        // The shells that started it carry the same words; the node process is the one that runs them.
        .filter((pid) => /(^|\/)node$/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]));
      expect(found).toHaveLength(1);
      const pid = Number(found[0]);
      // Never signal 0 or a negative pid: that would reach the test runner's own process group.
      expect(pid).toBeGreaterThan(1);
      process.kill(pid, signal);
      // Nobody is there to press a key: the process must be gone and its shell report exit 1.
      expect(await t.waitFor('EXIT=')).toMatch(/EXIT=1/);
      const written = readdirSync(records).filter((f) => f.endsWith('.json'));
      expect(written).toHaveLength(1);
      expect(written[0]).toMatch(/-aborted\.json$/);
    });
  }
});
