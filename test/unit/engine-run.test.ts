// The walk through run and check steps: execution, environment, output, captures, expect, failures.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import {
  abort,
  check,
  eventsOf,
  execute,
  outputOf,
  retry,
  run,
  runbook,
  scriptedPrompter,
  skip,
  statuses,
} from '../fixtures/engine/builders';
import { outputText } from '../../src/core/events';

describe('run and check steps', () => {
  it('runs steps in order in the runbook directory and completes with exit 0', async () => {
    const rb = runbook([run('echo one > order.txt', { id: 'a' }), run('echo two >> order.txt; pwd', { id: 'b' })]);
    const r = await execute({ runbook: rb });
    expect(r.outcome).toBe('completed');
    expect(r.exitCode).toBe(0);
    expect(readFileSync(join(rb.dir, 'order.txt'), 'utf8')).toBe('one\ntwo\n');
    expect(outputOf(r.events, 'b').trim()).toBe(rb.dir);
    expect(statuses(r.events)).toEqual({ a: 'passed', b: 'passed' });
    expect(r.events[0].type).toBe('run-started');
    expect(r.events.at(-1)).toMatchObject({ type: 'run-ended', outcome: 'completed' });
  });

  it('runs with errexit so a failing line in the middle fails the step', async () => {
    const rb = runbook([run('false\necho after > after.txt', { id: 'a' })]);
    const r = await execute({ runbook: rb, yes: true, prompter: scriptedPrompter() });
    expect(r.exitCode).toBe(1);
    expect(r.outcome).toBe('failed');
    expect(existsSync(join(rb.dir, 'after.txt'))).toBe(false);
    expect(eventsOf(r.events, 'step-finished')[0]).toMatchObject({ status: 'failed', exitCode: 1, reason: 'exit status 1' });
  });

  it('uses pipefail for bash steps', async () => {
    const rb = runbook([run('false | cat', { id: 'a', shell: 'bash' })]);
    const r = await execute({ runbook: rb, yes: true });
    expect(statuses(r.events)).toEqual({ a: 'failed' });
  });

  it('runs in cwd= relative to the runbook directory', async () => {
    const rb = runbook([run('mkdir sub', { id: 'mk' }), run('pwd', { id: 'where', cwd: 'sub' })]);
    const r = await execute({ runbook: rb });
    expect(outputOf(r.events, 'where').trim()).toBe(join(rb.dir, 'sub'));
  });

  it('streams stdout and stderr, logs the full output to a 0600 file and hashes it', async () => {
    const logDir = join(mkdtempSync(join(tmpdir(), 'handrail-logs-')), 'logs', 'run');
    const rb = runbook([run('echo out; echo err >&2', { id: 'a' })]);
    const r = await execute({ runbook: rb, logDir });
    const streams = eventsOf(r.events, 'output').map((e) => [e.stream, outputText(e).trim()]);
    expect(streams).toContainEqual(['stdout', 'out']);
    expect(streams).toContainEqual(['stderr', 'err']);
    const finished = eventsOf(r.events, 'step-finished')[0];
    const log = readFileSync(join(logDir, 'a.log'), 'utf8');
    expect(log).toContain('out\n');
    expect(log).toContain('err\n');
    expect(statSync(join(logDir, 'a.log')).mode & 0o777).toBe(0o600);
    expect(statSync(logDir).mode & 0o777).toBe(0o700);
    expect(finished.output?.logPath).toBe(join(logDir, 'a.log'));
    const { createHash } = await import('node:crypto');
    expect(finished.output?.sha256).toBe(createHash('sha256').update(log).digest('hex'));
    expect(finished.output?.tail).toContain('out');
  });

  it('writes no log file for a step that prints nothing', async () => {
    const logDir = join(mkdtempSync(join(tmpdir(), 'handrail-logs-')), 'run');
    const rb = runbook([run('true', { id: 'quiet' }), run('echo said', { id: 'loud' })]);
    const r = await execute({ runbook: rb, logDir });
    const [quiet, loud] = eventsOf(r.events, 'step-finished');
    expect(quiet.output).not.toHaveProperty('logPath');
    expect(quiet.output?.bytes).toBe(0);
    expect(loud.output?.logPath).toBe(join(logDir, 'loud.log'));
    expect(readdirSync(logDir)).toEqual(['loud.log']);
  });

  it('never appends to an earlier attempt’s log, so each log matches its reported sha256', async () => {
    const logDir = join(mkdtempSync(join(tmpdir(), 'handrail-logs-')), 'run');
    const rb = runbook([run('echo again', { id: 'a' })]);
    await execute({ runbook: rb, logDir });
    const second = await execute({ runbook: rb, logDir });
    const finished = eventsOf(second.events, 'step-finished')[0];
    expect(finished.output?.logPath).toBe(join(logDir, 'a.attempt-2.log'));
    expect(readFileSync(join(logDir, 'a.log'), 'utf8')).toBe('again\n');
    expect(readFileSync(join(logDir, 'a.attempt-2.log'), 'utf8')).toBe('again\n');
  });

  it('captures trimmed stdout into a variable that later steps read from the environment', async () => {
    const rb = runbook([run('printf "  v1.2.3 \\n"', { id: 'cap', capture: 'VERSION' }), run('echo "got:$VERSION"', { id: 'use' })]);
    const r = await execute({ runbook: rb });
    expect(eventsOf(r.events, 'capture')[0]).toMatchObject({ stepId: 'cap', name: 'VERSION', value: 'v1.2.3' });
    expect(outputOf(r.events, 'use').trim()).toBe('got:v1.2.3');
  });

  it('passes a check only when stdout matches expect=', async () => {
    const rb = runbook([
      check('echo "status: healthy"', { id: 'ok', expect: 'status: (healthy|ready)' }),
      check('echo "status: degraded"', { id: 'bad', expect: 'status: (healthy|ready)' }),
    ]);
    const r = await execute({ runbook: rb, yes: true });
    expect(statuses(r.events)).toEqual({ ok: 'passed', bad: 'failed' });
    expect(eventsOf(r.events, 'run-ended')[0].reason).toMatch(/did not match/);
  });

  it('gives each automatic retry its own attempt and passes when one succeeds', async () => {
    const rb = runbook([run('n=$(cat n 2>/dev/null || echo 0); n=$((n+1)); echo $n > n; [ $n -ge 3 ]', { id: 'flaky', retries: 2 })]);
    const r = await execute({ runbook: rb, yes: true });
    expect(eventsOf(r.events, 'step-started').map((e) => e.attempt)).toEqual([1, 2, 3]);
    expect(statuses(r.events)).toEqual({ flaky: 'passed' });
  });

  it('waits retry-delay before an automatic retry, and an abort ends the wait', async () => {
    // A ten-minute delay: the second attempt cannot start before the abort, which ends the wait at once.
    const controller = new AbortController();
    const slow = runbook([run('touch failed-once; exit 1', { id: 'slow', retries: 1, retryDelayMs: 600_000 })]);
    const pending = execute({ runbook: slow, yes: true, signal: controller.signal });
    await new Promise<void>((resolve) => {
      const poll = () => (existsSync(join(slow.dir, 'failed-once')) ? resolve() : setTimeout(poll, 20));
      poll();
    });
    controller.abort();
    const aborted = await pending;
    expect(eventsOf(aborted.events, 'step-started').map((e) => e.attempt)).toEqual([1]);
    expect(eventsOf(aborted.events, 'run-ended')[0].outcome).toBe('aborted');
  });

  it('asks the operator after retries run out: retry, then skip with a reason, and the run goes on', async () => {
    const rb = runbook([check('exit 3', { id: 'c', retries: 1 }), run('echo done > done.txt', { id: 'next' })]);
    const prompter = scriptedPrompter({ failure: [retry, skip('known flaky on staging')] });
    const r = await execute({ runbook: rb, prompter });
    expect(
      eventsOf(r.events, 'step-started')
        .filter((e) => e.stepId === 'c')
        .map((e) => e.attempt),
    ).toEqual([1, 2, 3]);
    expect(prompter.asked.filter((a) => a.kind === 'failure')).toHaveLength(2);
    expect(prompter.asked.find((a) => a.kind === 'failure')?.request).toMatchObject({ exitCode: 3, reason: 'exit status 3' });
    expect(eventsOf(r.events, 'decision').map((d) => [d.decision, d.reason, d.auto])).toEqual([
      ['retry', undefined, false],
      ['skip', 'known flaky on staging', false],
    ]);
    expect(eventsOf(r.events, 'step-finished')[0]).toMatchObject({ stepId: 'c', status: 'skipped', reason: 'known flaky on staging' });
    expect(existsSync(join(rb.dir, 'done.txt'))).toBe(true);
    expect(r.exitCode).toBe(0);
  });

  it('stops the run when the operator aborts after a failure; later steps do not run', async () => {
    const rb = runbook([run('exit 1', { id: 'a' }), run('touch later', { id: 'b' })]);
    const r = await execute({ runbook: rb, prompter: scriptedPrompter({ failure: [abort] }) });
    expect(r.exitCode).toBe(1);
    expect(statuses(r.events)).toEqual({ a: 'failed' });
    expect(existsSync(join(rb.dir, 'later'))).toBe(false);
    expect(eventsOf(r.events, 'decision')[0]).toMatchObject({ decision: 'abort', auto: false });
  });

  it('under --yes a failing check fails the run without asking anyone', async () => {
    const rb = runbook([check('exit 4', { id: 'a' }), run('touch later', { id: 'b' })]);
    const prompter = scriptedPrompter();
    const r = await execute({ runbook: rb, yes: true, prompter });
    expect(r).toMatchObject({ outcome: 'failed', exitCode: 1 });
    expect(prompter.asked.map((a) => a.kind)).toEqual(['begin']);
    expect(existsSync(join(rb.dir, 'later'))).toBe(false);
  });

  it('asks before a confirm step: skip records the reason and runs nothing', async () => {
    const rb = runbook([run('touch deleted', { id: 'del', confirm: true })]);
    const prompter = scriptedPrompter({ confirmStep: [skip('already cleaned up')] });
    const r = await execute({ runbook: rb, prompter });
    expect(existsSync(join(rb.dir, 'deleted'))).toBe(false);
    expect(eventsOf(r.events, 'step-finished')[0]).toMatchObject({ status: 'skipped', reason: 'already cleaned up' });
    expect(prompter.asked.find((a) => a.kind === 'confirmStep')?.request).toMatchObject({ display: 'touch deleted' });
  });

  it('a confirm step aborted by the operator ends the run aborted, exit 1', async () => {
    const rb = runbook([run('touch deleted', { id: 'del', confirm: true })]);
    const r = await execute({ runbook: rb, prompter: scriptedPrompter({ confirmStep: [abort] }) });
    expect(r).toMatchObject({ outcome: 'aborted', exitCode: 1 });
    expect(existsSync(join(rb.dir, 'deleted'))).toBe(false);
  });

  it('under --yes a confirm step proceeds and the decision is recorded as automatic', async () => {
    const rb = runbook([run('touch made', { id: 'mk', confirm: true })]);
    const r = await execute({ runbook: rb, yes: true, prompter: (await import('../../src/engine')).createAutoPrompter() });
    expect(existsSync(join(rb.dir, 'made'))).toBe(true);
    expect(eventsOf(r.events, 'decision')[0]).toMatchObject({ decision: 'proceed', auto: true });
  });

  it('skips a step whose if= is false with reason condition', async () => {
    const rb = runbook(
      [
        run('touch public', { id: 'pub', if: "VISIBILITY == 'public'" }),
        run('touch private', { id: 'priv', if: "VISIBILITY != 'public'" }),
      ],
      { inputs: { VISIBILITY: { prompt: 'Visibility', choices: ['public', 'private'] } } },
    );
    const r = await execute({ runbook: rb, sets: { VISIBILITY: 'private' } });
    expect(eventsOf(r.events, 'step-finished').map((e) => [e.stepId, e.status, e.reason])).toEqual([
      ['pub', 'skipped', 'condition'],
      ['priv', 'passed', undefined],
    ]);
    expect(existsSync(join(rb.dir, 'public'))).toBe(false);
    expect(existsSync(join(rb.dir, 'private'))).toBe(true);
  });

  it('feeds stdin= from a variable and otherwise gives the command an empty stdin', async () => {
    const rb = runbook([run('cat > fed.txt', { id: 'fed', stdin: 'NOTE' }), run('cat > empty.txt', { id: 'empty' })], {
      inputs: { NOTE: { prompt: 'Note' } },
    });
    await execute({ runbook: rb, sets: { NOTE: 'hello via stdin' } });
    expect(readFileSync(join(rb.dir, 'fed.txt'), 'utf8')).toBe('hello via stdin');
    expect(readFileSync(join(rb.dir, 'empty.txt'), 'utf8')).toBe('');
  });

  it('hands the terminal to an interactive step and does not capture its output', async () => {
    const rb = runbook([run('echo interactive > i.txt', { id: 'i', interactive: true })]);
    let lent = 0;
    const prompter = { ...scriptedPrompter(), withTerminal: async <T>(fn: () => Promise<T>) => (lent++, fn()) };
    const r = await execute({ runbook: rb, prompter });
    expect(lent).toBe(1);
    expect(readFileSync(join(rb.dir, 'i.txt'), 'utf8')).toBe('interactive\n');
    expect(eventsOf(r.events, 'output')).toHaveLength(0);
    expect(statuses(r.events)).toEqual({ i: 'passed' });
  });
});
