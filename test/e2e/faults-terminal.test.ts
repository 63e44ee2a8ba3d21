// Closing the terminal during a step (SPEC §7): in a real tmux terminal whose server is killed while
// a step prints, handrail meets EIO on every write and a SIGHUP. In every mode the run must end
// `aborted` with its signed record, the journal must say the run ended, the lock must be released,
// and nothing may be left running — where before, the EIO error handler wrote to the dead stderr,
// threw again, and handrail died with no record and a stale lock.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli';
import { alive } from '../helpers/processes';
import { hasTmux } from '../helpers/tmux';
import { predicate, setupRunbook, tmuxPerTest } from '../helpers/tui-acceptance';

const startTmux = tmuxPerTest();

const runbook = (pidFile: string) => `---
id: closed-terminal
title: Closed terminal
version: 1.0.0
---

# Print for a long time

\`\`\`sh run id=long
echo $PPID > ${pidFile}
i=0
while [ $i -lt 600 ]; do echo "tick $i"; i=$((i + 1)); sleep 0.1; done
\`\`\`

# Never reached

\`\`\`sh run id=after
echo after
\`\`\`
`;

/** Polls until `check` returns a value (the record appears, the process is gone). */
async function eventually<T>(check: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const MODES = [
  { name: 'the TUI', args: [] as string[], begin: true },
  { name: 'line mode', args: ['--plain'], begin: true },
  { name: '--json', args: ['--json', '--yes'], begin: false },
  { name: 'line mode with --yes', args: ['--yes'], begin: false },
];

describe.skipIf(!hasTmux)('closing the terminal during a step', () => {
  for (const mode of MODES) {
    it(`${mode.name}: the run ends aborted with its record, the journal ended and the lock released`, async () => {
      const pidFile = 'handrail.pid';
      const setup = setupRunbook('handrail-hup-', 'closed.md', runbook(join('..', pidFile)));
      const recordDir = join(setup.dir, '..', 'records');
      const t = startTmux(`node ${BIN} run closed.md ${mode.args.join(' ')} --record-dir ${recordDir}`, {
        cwd: setup.dir,
        env: setup.env,
        columns: 80,
        rows: 24,
        // handrail is the terminal's own process, as in a terminal tab or `ssh host handrail run …`.
        exec: true,
      });
      if (mode.begin) {
        await t.waitFor(/Enter|start|Start/);
        t.send('Enter');
      }
      await t.waitFor('tick 5');
      const pid = Number(readFileSync(join(setup.dir, '..', pidFile), 'utf8'));
      t.kill();

      // The record itself, not its temporary file while it is being written.
      const record = await eventually(
        () => (existsSync(recordDir) ? readdirSync(recordDir).find((n) => /^[^.].*\.json$/.test(n)) : undefined),
        'the record',
      );
      await eventually(() => (alive(pid) ? undefined : true), 'handrail to exit');
      const p = predicate(join(recordDir, record)) as { outcome: string; reason?: string; steps: { id: string; status: string }[] };
      const journals = join(setup.state, 'handrail', 'journals');
      const names = readdirSync(journals);
      const journal = readFileSync(
        join(
          journals,
          names.find((n) => n.endsWith('.jsonl'))!,
        ),
        'utf8',
      );
      const ended = journal.split('\n').find((line) => line.includes('"run-ended"'));
      expect(p.outcome, ended).toBe('aborted');
      expect(p.steps.map((s) => [s.id, s.status])).toEqual([
        ['long', 'failed'],
        ['after', 'not-run'],
      ]);
      expect(readdirSync(journals).filter((n) => n.endsWith('.lock'))).toEqual([]);
      expect(ended).toMatch(/"reason":"[^"]*(terminal was closed|SIGHUP)/);
    });
  }
});

// Found by the bench: on the end screen ("Press any key to exit") the run is over, so the first SIGTERM
// aborted nothing and handrail kept waiting for a key a supervisor or a closed session never sends.
describe.skipIf(!hasTmux)('a signal on the end screen', () => {
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    it(`${signal}: handrail leaves at once with the run's own exit code, its completed record already written`, async () => {
      const setup = setupRunbook(
        'handrail-endsig-',
        'done.md',
        '---\nid: done\ntitle: Done\nversion: 1.0.0\n---\n\n# One\n\n```sh run id=one\necho $PPID > ../handrail.pid\n```\n',
      );
      const recordDir = join(setup.dir, '..', 'records');
      const t = startTmux(`node ${BIN} run done.md --record-dir ${recordDir}; echo "exit=$?"; sleep 30`, {
        cwd: setup.dir,
        env: setup.env,
        columns: 80,
        rows: 24,
      });
      await t.waitFor('Press Enter to start');
      t.send('Enter');
      // Read joined as the terminal wrapped it: where the command breaks depends on the checkout's path.
      await t.waitFor(
        (screen) => screen.includes('Press any key to exit') && /handrail(\.js)? verify/.test(screen),
        undefined,
        () => t.joined(),
      );
      const pid = Number(readFileSync(join(setup.dir, '..', 'handrail.pid'), 'utf8'));
      process.kill(pid, signal);
      await t.waitFor('exit=0', 10_000);
      expect(alive(pid)).toBe(false);
      const record = readdirSync(recordDir).find((n) => /^[^.].*\.json$/.test(n))!;
      expect((predicate(join(recordDir, record)) as { outcome: string }).outcome).toBe('completed');
    });
  }
});
