// Crash and resume, end to end: the real CLI is killed with SIGKILL while a step runs (the step says
// it is running by creating a file), then resumed with --resume --yes. Every step appends its name
// to counts.txt, so "ran twice" is something the test can count. Also: SIGINT mid-step.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, runCli, tempHome } from '../helpers/cli';
import { findResumable } from '../../src/record';
import type { Runbook } from '../../src/core/model';

const RUNBOOK = `---
id: resume-demo
title: Resume demo
version: 1.0.0
---

# One

\`\`\`sh run id=one
echo one >> counts.txt
\`\`\`

# Two

Blocks on its first attempt until the test kills handrail.

\`\`\`sh run id=two
echo two >> counts.txt
if [ ! -e started-two ]; then
  echo $$ > pid-two
  touch started-two
  while :; do sleep 0.05; done
fi
\`\`\`

# Three

\`\`\`sh run id=three
echo three >> counts.txt
if [ ! -e started-three ]; then
  echo $$ > pid-three
  touch started-three
  while :; do sleep 0.05; done
fi
\`\`\`
`;

const children: ChildProcess[] = [];
const strayPids: number[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const pid of strayPids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone: what the test wanted.
    }
  }
});

function setup() {
  const home = tempHome('handrail-resume-');
  const dir = join(home.root, 'book');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'resume-demo.md'), RUNBOOK);
  return { ...home, dir, records: join(home.root, 'records') };
}

function start(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; exited: Promise<{ code: number | null; signal: string | null; out: string }> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, out })),
  );
  return { child, exited };
}

/** Polls until `condition` holds; fails with `what` (and the CLI's output so far) if it never does. */
async function waitFor(condition: () => boolean, what: string, output?: () => string): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}\n${output?.() ?? ''}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function counts(dir: string): Record<string, number> {
  const result: Record<string, number> = {};
  for (const line of readFileSync(join(dir, 'counts.txt'), 'utf8').split('\n').filter(Boolean)) result[line] = (result[line] ?? 0) + 1;
  return result;
}

async function crashDuring(step: string, args: string[], s: ReturnType<typeof setup>): Promise<void> {
  let out = '';
  const run = start(args, s.dir, s.env);
  run.child.stdout!.on('data', (d: Buffer | string) => (out += String(d)));
  await waitFor(
    () => existsSync(join(s.dir, `started-${step}`)),
    `step ${step} to start`,
    () => out,
  );
  run.child.kill('SIGKILL');
  await run.exited;
  // SIGKILL gives handrail no chance to end the step's process group; that orphan is the test's to end.
  strayPids.push(Number(readFileSync(join(s.dir, `pid-${step}`), 'utf8')));
}

function readRecord(path: string) {
  const envelope = JSON.parse(readFileSync(path, 'utf8'));
  return JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')).predicate;
}

describe('resume after kill -9', () => {
  it('never runs a finished step twice, reruns the interrupted one, and ends with one completed, verifiable record', async () => {
    const s = setup();
    const base = ['run', 'resume-demo.md', '--plain', '--yes', '--record-dir', s.records];

    await crashDuring('two', base, s);
    expect(counts(s.dir)).toEqual({ one: 1, two: 1 });
    expect(existsSync(s.records) ? readdirSync(s.records) : []).toEqual([]);

    await crashDuring('three', [...base, '--resume'], s);
    expect(counts(s.dir)).toEqual({ one: 1, two: 2, three: 1 });

    const last = await runCli([...base, '--resume'], { cwd: s.dir, env: s.env, timeoutMs: 60_000 });
    expect(last.stderr).not.toMatch(/\n\s+at /);
    expect(last.code).toBe(0);
    // one finished before the first crash; two and three were interrupted and so ran again.
    expect(counts(s.dir)).toEqual({ one: 1, two: 2, three: 2 });

    const records = readdirSync(s.records);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatch(/^resume-demo-\d{8}T\d{6}Z-completed\.json$/);
    const path = join(s.records, records[0]);
    const verified = await runCli(['verify', path], { cwd: s.dir, env: s.env });
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('resume-demo.md still matches the recorded digest');

    const p = readRecord(path);
    expect(p.outcome).toBe('completed');
    expect(p.resumes).toHaveLength(2);
    expect(p.steps.map((x: { id: string; status: string }) => `${x.id}:${x.status}`)).toEqual(['one:passed', 'two:passed', 'three:passed']);
    // Step one's times are those of the first, killed run: before the first resume.
    expect(p.steps[0].end < p.resumes[0].at).toBe(true);
    expect(p.start <= p.steps[0].start).toBe(true);

    // Nothing is left to resume: the journal that was continued ended with the run.
    const state = await findResumable(
      { path: join(s.dir, 'resume-demo.md'), sha256: p.runbook.sha256, meta: { id: 'resume-demo' } } as Runbook,
      { stateDir: join(s.env.XDG_STATE_HOME!, 'handrail') },
    );
    expect(state).toBeUndefined();
  });

  it('says the runbook changed before resuming an edited runbook', async () => {
    const s = setup();
    const base = ['run', 'resume-demo.md', '--plain', '--yes', '--record-dir', s.records];
    await crashDuring('two', base, s);
    writeFileSync(join(s.dir, 'started-three'), ''); // step three need not block in this test
    writeFileSync(join(s.dir, 'resume-demo.md'), RUNBOOK.replace('Blocks on its first attempt', 'Edited. Blocks on its first attempt'));
    const resumed = await runCli([...base, '--resume'], { cwd: s.dir, env: s.env, timeoutMs: 60_000 });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout + resumed.stderr).toMatch(/changed/i);
    expect(counts(s.dir).one).toBe(1);
  });

  it('--restart starts over and the old run is not offered again', async () => {
    const s = setup();
    const base = ['run', 'resume-demo.md', '--plain', '--yes', '--record-dir', s.records];
    await crashDuring('two', base, s);
    writeFileSync(join(s.dir, 'started-three'), '');
    const restarted = await runCli([...base, '--restart'], { cwd: s.dir, env: s.env, timeoutMs: 60_000 });
    expect(restarted.code).toBe(0);
    expect(counts(s.dir)).toEqual({ one: 2, two: 2, three: 1 });
    const journals = readdirSync(join(s.env.XDG_STATE_HOME!, 'handrail', 'journals')).filter((n) => n.endsWith('.jsonl'));
    expect(journals).toHaveLength(2);
    const state = await findResumable({ path: join(s.dir, 'resume-demo.md'), sha256: '', meta: { id: 'resume-demo' } } as Runbook, {
      stateDir: join(s.env.XDG_STATE_HOME!, 'handrail'),
    });
    expect(state).toBeUndefined();
  });
});

describe('SIGINT mid-step', () => {
  it('ends the step process and writes an aborted record that verifies', async () => {
    const s = setup();
    let out = '';
    const run = start(['run', 'resume-demo.md', '--plain', '--yes', '--record-dir', s.records], s.dir, s.env);
    run.child.stdout!.on('data', (d: Buffer | string) => (out += String(d)));
    await waitFor(
      () => existsSync(join(s.dir, 'started-two')),
      'step two to start',
      () => out,
    );
    const stepPid = Number(readFileSync(join(s.dir, 'pid-two'), 'utf8'));
    strayPids.push(stepPid);
    run.child.kill('SIGINT');
    const ended = await run.exited;
    expect(ended.code).toBe(1);
    expect(ended.out).not.toMatch(/\n\s+at /);
    await waitFor(() => !alive(stepPid), 'the step process to be ended');

    const records = readdirSync(s.records);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatch(/-aborted\.json$/);
    const p = readRecord(join(s.records, records[0]));
    expect(p.outcome).toBe('aborted');
    expect(p.steps.map((x: { status: string }) => x.status)).toEqual(['passed', 'failed', 'not-run']);
    expect((await runCli(['verify', join(s.records, records[0])], { env: s.env })).code).toBe(0);
  });
});
