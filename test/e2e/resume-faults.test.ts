// Resume under the faults an operator meets (SPEC 7): nothing to resume, a different --set, two
// terminals, an edited runbook, a damaged journal, a step that outlived handrail. Real processes:
// the built CLI is killed with SIGKILL mid-step and started again; every step appends its name to
// counts.txt, so "ran twice" and "never ran" are things the test can count.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, runCli, tempHome } from '../helpers/cli';
import { alive, killGroup, startCli, waitUntil, type Started } from '../helpers/processes';
import { hasTmux } from '../helpers/tmux';
import { tmuxPerTest } from '../helpers/tui-acceptance';

const RUNBOOK = `---
id: faults-demo
title: Faults demo
version: 1.0.0
inputs:
  COLOUR:
    prompt: A colour
    default: teal
---

# One

\`\`\`sh run id=one
echo "one $COLOUR" >> counts.txt
\`\`\`

# Two

Blocks on its first attempt until the test kills handrail.

\`\`\`sh run id=two
echo "two $COLOUR" >> counts.txt
if [ -e pid-two ] && kill -0 "$(cat pid-two)" 2>/dev/null; then echo "two started beside its earlier copy" >> counts.txt; fi
if [ ! -e started-two ]; then
  echo $$ > pid-two
  touch started-two
  while [ ! -e release-two ]; do sleep 0.05; done
fi
\`\`\`

# Three

\`\`\`sh run id=three
echo "three $COLOUR" >> counts.txt
\`\`\`
`;

const startTmux = tmuxPerTest();
const running: Started[] = [];
const groups: number[] = [];
afterEach(() => {
  for (const run of running.splice(0)) if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  for (const pgid of groups.splice(0)) killGroup(pgid);
});

function setup(runbook = RUNBOOK) {
  const home = tempHome('handrail-faults-');
  const dir = join(home.root, 'book');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'faults-demo.md'), runbook);
  const records = join(home.root, 'records');
  return { ...home, dir, records, base: ['run', 'faults-demo.md', '--plain', '--yes', '--record-dir', records] };
}

type Setup = ReturnType<typeof setup>;

function lines(s: Setup): string[] {
  const path = join(s.dir, 'counts.txt');
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : [];
}

function start(s: Setup, args: string[]): Started {
  const run = startCli(args, { cwd: s.dir, env: s.env });
  running.push(run);
  return run;
}

/** Runs until step two is under way, then kill -9 of handrail. Returns the step's process group id. */
async function crashInStepTwo(s: Setup, args = s.base, options: { endStep?: boolean } = {}): Promise<number> {
  const run = start(s, args);
  await waitUntil(
    () => existsSync(join(s.dir, 'started-two')) && readFileSync(join(s.dir, 'pid-two'), 'utf8').trim() !== '',
    'step two to start',
    run.output,
  );
  run.child.kill('SIGKILL');
  await run.exited;
  const pgid = Number(readFileSync(join(s.dir, 'pid-two'), 'utf8'));
  groups.push(pgid);
  // Most tests are not about the orphan: they end it, as an operator who saw it would.
  if (options.endStep !== false) killGroup(pgid);
  return pgid;
}

describe('--resume with nothing unfinished', () => {
  it('says so, runs nothing and exits 2', async () => {
    const s = setup();
    const none = await runCli([...s.base, '--resume'], { cwd: s.dir, env: s.env });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no unfinished run of this runbook to resume/);
    expect(none.stderr).not.toMatch(/\n\s+at /);
    expect(lines(s)).toEqual([]);

    writeFileSync(join(s.dir, 'started-two'), '');
    expect((await runCli(s.base, { cwd: s.dir, env: s.env })).code).toBe(0);
    expect(lines(s)).toHaveLength(3);
    const again = await runCli([...s.base, '--resume'], { cwd: s.dir, env: s.env });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/no unfinished run/);
    expect(lines(s)).toHaveLength(3);
    expect(readdirSync(s.records)).toHaveLength(1);
  });
});

describe('a different --set on resume', () => {
  it('is refused (exit 2) and the run later resumes with the value it was given', async () => {
    const s = setup();
    await crashInStepTwo(s, [...s.base, '--set', 'COLOUR=staging']);
    writeFileSync(join(s.dir, 'release-two'), '');

    const changed = await runCli([...s.base, '--resume', '--set', 'COLOUR=production'], { cwd: s.dir, env: s.env });
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/--set COLOUR="production" differs from the value the unfinished run was given \("staging"\)/);
    expect(lines(s)).toEqual(['one staging', 'two staging']);

    // Without --resume, --yes resumes too: the same refusal.
    const implicit = await runCli([...s.base, '--set', 'COLOUR=production'], { cwd: s.dir, env: s.env });
    expect(implicit.code).toBe(2);
    expect(lines(s)).toEqual(['one staging', 'two staging']);

    const same = await runCli([...s.base, '--resume', '--set', 'COLOUR=staging'], { cwd: s.dir, env: s.env });
    expect(same.code).toBe(0);
    expect(lines(s)).toEqual(['one staging', 'two staging', 'two staging', 'three staging']);
    const [record] = readdirSync(s.records);
    const predicate = JSON.parse(
      Buffer.from(JSON.parse(readFileSync(join(s.records, record), 'utf8')).payload, 'base64').toString('utf8'),
    ).predicate;
    expect(predicate.inputs).toEqual({ COLOUR: 'staging' });
  });
});

describe.skipIf(!hasTmux)('two terminals resume the same run', () => {
  it('the first holds the run from its resume question on; the second is told which process holds it and runs nothing', async () => {
    const s = setup();
    await crashInStepTwo(s);
    writeFileSync(join(s.dir, 'release-two'), '');

    // Terminal 1: a real terminal, stopped at "Resume it?".
    const first = startTmux(`node ${BIN} run faults-demo.md --plain --record-dir ${s.records}`, {
      cwd: s.dir,
      env: { ...(s.env as Record<string, string>), TERM: 'xterm-256color' },
    });
    await first.waitFor('unfinished run');

    // Terminal 2, while terminal 1 is still asking: refused, whether it asks or not.
    for (const args of [[...s.base, '--resume'], s.base]) {
      const second = await runCli(args, { cwd: s.dir, env: s.env });
      expect(second.code).toBe(2);
      const holder = /This run is held: it is being run right now by handrail process (\d+)/.exec(second.stderr);
      expect(holder, second.stderr + second.stdout).not.toBeNull();
      expect(alive(Number(holder![1]))).toBe(true);
      expect(second.stderr).not.toMatch(/\n\s+at /);
      expect(lines(s)).toEqual(['one teal', 'two teal']);
    }

    first.send('Enter');
    await first.waitFor('Start the run?');
    first.send('Enter');
    await first.waitFor('was running when the last run stopped');
    first.send('Enter');
    expect(await first.waitFor('EXIT=')).toMatch(/EXIT=0/);
    expect(lines(s)).toEqual(['one teal', 'two teal', 'two teal', 'three teal']);
    expect(readdirSync(s.records)).toHaveLength(1);

    // The lock went with the run: nothing is held, and nothing is left to resume.
    const after = await runCli([...s.base, '--resume'], { cwd: s.dir, env: s.env });
    expect(after.stderr).toMatch(/no unfinished run/);
  });
});

describe('a step that outlived kill -9 of handrail', () => {
  it('is never started again beside itself: --resume --yes ends the survivor first, says so, and runs the step once more', async () => {
    const s = setup();
    const pgid = await crashInStepTwo(s, s.base, { endStep: false });
    expect(alive(pgid)).toBe(true);

    const resumed = await runCli([...s.base, '--resume'], { cwd: s.dir, env: s.env, timeoutMs: 60_000 });
    expect(resumed.stderr).not.toMatch(/\n\s+at /);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout + resumed.stderr).toContain(`still running (process group ${pgid}); ending it before running the step again`);
    expect(alive(pgid)).toBe(false);
    expect(lines(s)).toEqual(['one teal', 'two teal', 'two teal', 'three teal']);
  });
});

function journalOf(s: Setup): string {
  const dir = join(String(s.env.XDG_STATE_HOME), 'handrail', 'journals');
  const [name] = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  return join(dir, name);
}

/** Changes one byte of the journal: step one's command as its step-started entry shows it. */
function changeOneByte(s: Setup): { entry: number } {
  const path = journalOf(s);
  const bytes = readFileSync(path);
  const lines = bytes.toString('utf8').split('\n');
  const entry = lines.findIndex((l) => l.includes('"type":"step-started"') && l.includes('"stepId":"one"'));
  const offset = lines.slice(0, entry).reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) + lines[entry].indexOf('echo');
  bytes[offset + 3] = 'p'.charCodeAt(0); // echo -> echp
  writeFileSync(path, bytes);
  return { entry };
}

describe('a journal with one changed byte', () => {
  it('is never trusted unattended: --yes shows where the damage is, runs nothing and exits 2', async () => {
    const s = setup();
    await crashInStepTwo(s);
    const { entry } = changeOneByte(s);

    for (const args of [s.base, [...s.base, '--resume']]) {
      const refused = await runCli(args, { cwd: s.dir, env: s.env });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`is damaged at entry ${entry} (line ${entry + 1}`);
      expect(refused.stderr).toMatch(/they say one finished, which cannot be proved/);
      expect(refused.stderr).toMatch(/--yes does not decide that, so nothing was run/);
      expect(refused.stderr).not.toMatch(/\n\s+at /);
      expect(lines(s)).toEqual(['one teal', 'two teal']);
    }
  });

  it.skipIf(!hasTmux)('is shown to the operator, who decides: resuming trusts only the entries before the damage', async () => {
    const s = setup();
    await crashInStepTwo(s);
    const { entry } = changeOneByte(s);
    const t = startTmux(`node ${BIN} run faults-demo.md --plain --resume --record-dir ${s.records}`, {
      cwd: s.dir,
      env: { ...(s.env as Record<string, string>), TERM: 'xterm-256color' },
      columns: 120,
      rows: 40,
    });
    const offer = await t.waitFor('Resume it');
    expect(offer.replace(/\n/g, '')).toContain(`damaged at entry ${entry}`);
    t.send('Enter');
    await t.waitFor('Start the run?');
    t.send('Enter');
    expect(await t.waitFor('EXIT=', 30_000)).toMatch(/EXIT=0/);
    // Step one's end was in the untrusted part, so it ran again, as the offer said it would.
    expect(lines(s)).toEqual(['one teal', 'two teal', 'one teal', 'two teal', 'three teal']);
    expect(readdirSync(join(String(s.env.XDG_STATE_HOME), 'handrail', 'journals')).some((n) => n.includes('.damaged-'))).toBe(true);
  });
});

const EDITABLE = `---
id: faults-demo
title: Faults demo
version: 1.0.0
---

# Deploy

\`\`\`sh run
echo deploy >> counts.txt
\`\`\`

\`\`\`sh run
echo two >> counts.txt
if [ ! -e started-two ]; then
  echo $$ > pid-two
  touch started-two
  while [ ! -e release-two ]; do sleep 0.05; done
fi
\`\`\`
`;

describe('an edited runbook that shifts default ids', () => {
  it('refuses to resume, step by step, rather than skip a step that never ran or re-run one that did', async () => {
    const s = setup(EDITABLE);
    await crashInStepTwo(s);
    writeFileSync(join(s.dir, 'release-two'), '');
    // A step inserted first under the same heading takes the finished step's default id.
    writeFileSync(join(s.dir, 'faults-demo.md'), EDITABLE.replace('# Deploy\n', '# Deploy\n\n```sh run\necho backup >> counts.txt\n```\n'));

    const refused = await runCli([...s.base, '--resume'], { cwd: s.dir, env: s.env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cannot tell which of its steps already ran/);
    expect(refused.stderr).toMatch(/"Deploy" \(deploy\) finished \(passed\) before the edit and has changed since/);
    expect(refused.stderr).toMatch(/is the finished step "Deploy" \(deploy\) under a new id/);
    expect(refused.stderr).toMatch(/Nothing was run/);
    expect(lines(s)).toEqual(['deploy', 'two']);
  });

  it('resumes an edit it can decide, shows it step by step, and runs the new step and only the unfinished ones', async () => {
    const s = setup(EDITABLE);
    await crashInStepTwo(s);
    writeFileSync(join(s.dir, 'release-two'), '');
    writeFileSync(
      join(s.dir, 'faults-demo.md'),
      EDITABLE.replace('# Deploy\n', '# Backup\n\n```sh run\necho backup >> counts.txt\n```\n\n# Deploy\n'),
    );

    const resumed = await runCli([...s.base, '--resume'], { cwd: s.dir, env: s.env });
    expect(resumed.stderr).not.toMatch(/\n\s+at /);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/"Backup" \(backup\) is new: it never ran, and it will run/);
    // The new step ran; the finished one did not run again; the interrupted one ran again.
    expect(lines(s)).toEqual(['deploy', 'two', 'backup', 'two']);
  });
});
