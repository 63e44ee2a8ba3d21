// Output travels as bytes from the step's pipes to the log and the hash, and is decoded once for the
// screen; the shell is started without execa. These pin what an operator would notice if that path
// went wrong: a log that differs from what the command printed, a character torn in two on screen, a
// secret in a log, a start-up failure that names the wrong cause, a script that ignores its stdin.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputCollector } from '../../src/engine/output';
import type { SecretResolver } from '../../src/core/ports';
import { MASK, Masker } from '../../src/core/masker';
import { abort, eventsOf, execute, outputOf, run, runbook, scriptedPrompter } from '../fixtures/engine/builders';

/** The operator answers the failure question with q: the run ends with exit 1 because the step failed. */
function abortsOnFailure() {
  const prompter = scriptedPrompter({ failure: [abort] });
  const reasons = () => prompter.asked.filter((q) => q.kind === 'failure').map((q) => (q.request as { reason: string }).reason);
  return { prompter, reasons };
}

const logDirOf = () => join(mkdtempSync(join(tmpdir(), 'handrail-bytes-')), 'logs');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('output as bytes', () => {
  it('logs and hashes exactly the bytes a command printed when nothing needs masking, even bytes that are not UTF-8', async () => {
    const logDir = logDirOf();
    const rb = runbook([run(String.raw`printf 'ok \377\376 end\n'`, { id: 'raw' })]);
    const r = await execute({ runbook: rb, logDir });
    const log = readFileSync(join(logDir, 'raw.log'));
    expect([...log]).toEqual([...Buffer.from('ok '), 0xff, 0xfe, ...Buffer.from(' end\n')]);
    const finished = eventsOf(r.events, 'step-finished')[0];
    expect(finished.output?.sha256).toBe(sha256(log));
    expect(finished.output?.bytes).toBe(log.length);
    // The screen gets text: the stray bytes become replacement characters, the rest is as printed.
    expect(outputOf(r.events, 'raw')).toBe('ok \uFFFD\uFFFD end\n');
  });

  it('shows a character split across two reads whole, never as two broken halves', () => {
    const shown: string[] = [];
    const collector = new OutputCollector({ masker: new Masker(), onOutput: (_stream, bytes) => shown.push(bytes.toString()) });
    const check = Buffer.from('✓\n');
    collector.push('stdout', check.subarray(0, 2));
    collector.push('stdout', check.subarray(2));
    const summary = collector.finish();
    expect(shown.join('')).toBe('✓\n');
    expect(shown.every((text) => !text.includes('\uFFFD'))).toBe(true);
    expect(summary.tail).toBe('✓\n');
    expect(summary.bytes).toBe(check.length);
  });

  it('keeps a secret split across reads out of the log, the hash and the screen', () => {
    const secret = 'ghp_s3cr3tT0kenValue';
    const masker = new Masker();
    masker.add(secret);
    const logPath = join(logDirOf(), 'step.log');
    const shown: string[] = [];
    const collector = new OutputCollector({ masker, logPath, onOutput: (_stream, bytes) => shown.push(bytes.toString()) });
    const bytes = Buffer.from(`token=${secret}\n`);
    for (let at = 0; at < bytes.length; at += 5) collector.push('stdout', bytes.subarray(at, at + 5));
    const summary = collector.finish();
    const log = readFileSync(logPath, 'utf8');
    expect(log).toBe(`token=${MASK}\n`);
    expect(shown.join('')).toBe(log);
    expect(summary.sha256).toBe(sha256(Buffer.from(log)));
    expect(summary.tail).not.toContain('s3cr3t');
  });

  it('captures stdout that arrived in many reads, in order', async () => {
    const rb = runbook([
      run('i=0; while [ $i -lt 2000 ]; do printf "%05d," $i; i=$((i+1)); done', { id: 'many', capture: 'LIST' }),
      run('printf "%s" "$LIST" | tr , "\\n" | wc -l', { id: 'count', capture: 'COUNT' }),
    ]);
    const r = await execute({ runbook: rb });
    expect(r.exitCode).toBe(0);
    const captured = eventsOf(r.events, 'capture');
    expect(captured.find((c) => c.name === 'LIST')?.value.startsWith('00000,00001,')).toBe(true);
    expect(captured.find((c) => c.name === 'COUNT')?.value).toBe('2000');
  });
});

describe('starting the shell', () => {
  it('says the working directory is missing, not that the shell is', async () => {
    const rb = runbook([run('true', { id: 'gone', cwd: 'no-such-folder' })]);
    const operator = abortsOnFailure();
    const r = await execute({ runbook: rb, prompter: operator.prompter });
    expect(r.exitCode).toBe(1);
    const finished = eventsOf(r.events, 'step-finished')[0];
    expect(finished.status).toBe('failed');
    expect(finished.reason).toBe(`sh could not be started: its working directory ${join(rb.dir, 'no-such-folder')} does not exist`);
    expect(operator.reasons()).toEqual([finished.reason]);
  });

  it('says the shell is not on PATH when it is not', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'handrail-nopath-'));
    const rb = runbook([run('true', { id: 'nosh', shell: 'bash' })]);
    const operator = abortsOnFailure();
    const r = await execute({ runbook: rb, env: { PATH: empty }, prompter: operator.prompter });
    expect(r.exitCode).toBe(1);
    expect(eventsOf(r.events, 'step-finished')[0].reason).toBe('bash could not be started: bash is not on PATH');
    expect(operator.reasons()).toEqual(['bash could not be started: bash is not on PATH']);
  });

  it('passes a step that never reads the stdin it was given, even more than a pipe holds', async () => {
    // A secret on stdin (never in the environment, so it may be large): far more than the pipe holds,
    // so writing it fails once the script has exited without reading.
    const big = 'x'.repeat(8 * 1024 * 1024);
    const secrets: SecretResolver = { lookup: async () => ({ source: 'env' }), resolve: async () => ({ value: big, source: 'env' }) };
    const rb = runbook([run('exit 0', { id: 'deaf', stdin: 'BLOB' })], { secrets: { BLOB: { prompt: 'Blob', env: 'BLOB' } } });
    const r = await execute({ runbook: rb, secrets });
    expect(r.exitCode).toBe(0);
    expect(eventsOf(r.events, 'step-finished')[0].status).toBe('passed');
  });

  it('says a variable too large for the environment is the problem, and runs nothing', async () => {
    const rb = runbook([run('touch ran', { id: 'huge' })], { inputs: { HUGE: { prompt: 'Huge' } } });
    const operator = abortsOnFailure();
    const r = await execute({ runbook: rb, sets: { HUGE: 'x'.repeat(256 * 1024) }, prompter: operator.prompter });
    expect(r.exitCode).toBe(1);
    expect(eventsOf(r.events, 'step-finished')[0].reason).toMatch(/too large to pass to a command/);
    expect(operator.reasons()).toEqual([expect.stringMatching(/too large to pass to a command/)]);
    expect(() => readFileSync(join(rb.dir, 'ran'))).toThrow();
  });

  it('reports the exit status and the signal that ended a script', async () => {
    const rb = runbook([run('exit 7', { id: 'seven' })]);
    const r = await execute({ runbook: rb, prompter: abortsOnFailure().prompter });
    expect(eventsOf(r.events, 'step-finished')[0]).toMatchObject({ status: 'failed', exitCode: 7, reason: 'exit status 7' });
    const killed = await execute({ runbook: runbook([run('kill -TERM $$', { id: 'self' })]), prompter: abortsOnFailure().prompter });
    expect(eventsOf(killed.events, 'step-finished')[0]).toMatchObject({ status: 'failed', reason: 'ended by SIGTERM' });
  });
});
