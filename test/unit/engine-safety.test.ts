// Variables stay data, secrets stay masked and scoped, and no child process outlives its step.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventsOf, execute, outputOf, run, runbook, scriptedPrompter, statuses, skip } from '../fixtures/engine/builders';
import type { SecretResolver } from '../../src/core/ports';

const HOSTILE = `$(touch pwned) \`touch pwned2\` "double" 'single'; touch pwned3 && touch pwned4\nline two ünïcødé ✓`;

/** Resolves secrets from a fixed table, as the real resolver would from env/keychain. */
function fixedSecrets(values: Record<string, string>): SecretResolver {
  return {
    lookup: async (name) => ({ source: name in values ? 'env' : 'missing' }),
    resolve: async (name) => ({ value: values[name], source: 'env' }),
  };
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error('condition never became true');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('variables are data, never code', () => {
  it('passes a hostile input value through the environment verbatim without running any of it', async () => {
    const rb = runbook([run('printf "%s" "$VALUE" > value.txt', { id: 'write' })], { inputs: { VALUE: { prompt: 'Value' } } });
    const r = await execute({ runbook: rb, sets: { VALUE: HOSTILE } });
    expect(r.exitCode).toBe(0);
    expect(readFileSync(join(rb.dir, 'value.txt'), 'utf8')).toBe(HOSTILE);
    for (const f of ['pwned', 'pwned2', 'pwned3', 'pwned4']) expect(() => readFileSync(join(rb.dir, f))).toThrow();
  });

  it('keeps a hostile captured value as data in later steps', async () => {
    const rb = runbook([
      run(`printf '%s' '$(touch pwned)'`, { id: 'cap', capture: 'OUT' }),
      run('printf "%s" "$OUT" > out.txt', { id: 'use' }),
    ]);
    await execute({ runbook: rb });
    expect(readFileSync(join(rb.dir, 'out.txt'), 'utf8')).toBe('$(touch pwned)');
    expect(() => readFileSync(join(rb.dir, 'pwned'))).toThrow();
  });

  it('shows the variables a script reads above it, without splicing them into the script', async () => {
    const rb = runbook([run('echo "$ORG/${PKG}"', { id: 'show' })], { inputs: { ORG: { prompt: 'Org' }, PKG: { prompt: 'Pkg' } } });
    const r = await execute({ runbook: rb, sets: { ORG: 'craton-co', PKG: 'a b' } });
    expect(eventsOf(r.events, 'step-started')[0].display).toBe('# ORG=craton-co\n# PKG="a b"\necho "$ORG/${PKG}"');
  });
});

describe('the child environment', () => {
  it('passes allowlisted variables and drops everything else from handrail’s environment', async () => {
    const rb = runbook([run('echo "home=$HOME leak=${AWS_SECRET_ACCESS_KEY:-none} lc=${LC_TESTING:-none}"', { id: 'env' })]);
    const r = await execute({
      runbook: rb,
      env: { PATH: process.env.PATH, HOME: '/home/op', AWS_SECRET_ACCESS_KEY: 'should-not-leak', LC_TESTING: 'kept' },
    });
    expect(outputOf(r.events, 'env').trim()).toBe('home=/home/op leak=none lc=kept');
  });
});

describe('secrets', () => {
  const meta = { secrets: { API_TOKEN: { prompt: 'Token', env: 'API_TOKEN_ENV' } } };

  it('reach only the steps that name them, and are masked in output, display and logs', async () => {
    const rb = runbook(
      [
        run('echo "token is $API_TOKEN"', { id: 'granted', secrets: ['API_TOKEN'] }),
        run('echo "other sees ${API_TOKEN:-nothing}"', { id: 'other' }),
      ],
      meta,
    );
    const logDir = join(rb.dir, 'logs');
    const r = await execute({ runbook: rb, secrets: fixedSecrets({ API_TOKEN: 'tok-5ecret-value' }), logDir });
    expect(outputOf(r.events, 'granted').trim()).toBe('token is ••••');
    expect(outputOf(r.events, 'other').trim()).toBe('other sees nothing');
    expect(readFileSync(join(logDir, 'granted.log'), 'utf8')).not.toContain('tok-5ecret-value');
    expect(eventsOf(r.events, 'secret-resolved')).toEqual([expect.objectContaining({ name: 'API_TOKEN', source: 'env' })]);
    expect(JSON.stringify(r.events)).not.toContain('tok-5ecret-value');
  });

  it('feeds a secret on stdin=, never in argv or the environment of the step', async () => {
    const rb = runbook([run('cat > pw.txt; echo "env=${API_TOKEN:-unset}"', { id: 'login', stdin: 'API_TOKEN' })], meta);
    const r = await execute({ runbook: rb, secrets: fixedSecrets({ API_TOKEN: 'tok-5ecret-value' }) });
    expect(readFileSync(join(rb.dir, 'pw.txt'), 'utf8')).toBe('tok-5ecret-value');
    expect(outputOf(r.events, 'login').trim()).toBe('env=unset');
    expect(eventsOf(r.events, 'step-started')[0].display).toContain('# stdin: API_TOKEN (••••)');
  });

  it('a secret that cannot be resolved stops the run before step 1', async () => {
    const rb = runbook([run('touch ran', { id: 'a', secrets: ['API_TOKEN'] })], meta);
    const resolver: SecretResolver = {
      lookup: async () => ({ source: 'missing' }),
      resolve: async () => {
        throw new (await import('../../src/core/errors')).HandrailError('API_TOKEN is missing; set API_TOKEN_ENV.');
      },
    };
    const r = await execute({ runbook: rb, secrets: resolver });
    expect(r).toMatchObject({ outcome: 'failed', exitCode: 1 });
    expect(eventsOf(r.events, 'step-started')).toHaveLength(0);
    expect(eventsOf(r.events, 'run-ended')[0].reason).toBe('API_TOKEN is missing; set API_TOKEN_ENV.');
  });
});

describe('timeouts and aborts end the whole process group', () => {
  it('fails a step that runs past timeout= with reason timeout and kills its children', async () => {
    const rb = runbook([run('sleep 30 & echo $! > child.pid; wait', { id: 'slow', timeoutMs: 300 })]);
    const r = await execute({ runbook: rb, yes: true, killGraceMs: 200 });
    expect(eventsOf(r.events, 'step-finished')[0]).toMatchObject({ status: 'failed', reason: 'timeout' });
    const pid = Number(readFileSync(join(rb.dir, 'child.pid'), 'utf8'));
    await waitFor(() => !alive(pid));
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });

  it('kills a child that ignores SIGTERM after the grace period', async () => {
    const rb = runbook([
      run(`sh -c 'trap "" TERM; echo $$ > stubborn.pid; while :; do sleep 1; done' & wait`, { id: 'stubborn', timeoutMs: 500 }),
    ]);
    const r = await execute({ runbook: rb, yes: true, killGraceMs: 100 });
    expect(statuses(r.events)).toEqual({ stubborn: 'failed' });
    const pid = Number(readFileSync(join(rb.dir, 'stubborn.pid'), 'utf8'));
    await waitFor(() => !alive(pid));
  });

  it('an abort signal ends the running step, its children, and the run (outcome aborted)', async () => {
    const rb = runbook([run('sleep 30 & echo $! > child.pid; wait', { id: 'long' }), run('touch later', { id: 'later' })]);
    const controller = new AbortController();
    const pending = execute({ runbook: rb, signal: controller.signal, killGraceMs: 200 });
    await waitFor(() => {
      try {
        return readFileSync(join(rb.dir, 'child.pid'), 'utf8').trim() !== '';
      } catch {
        return false;
      }
    });
    controller.abort('interrupted by SIGINT');
    const r = await pending;
    expect(r).toMatchObject({ outcome: 'aborted', exitCode: 1 });
    expect(eventsOf(r.events, 'step-finished')[0]).toMatchObject({ stepId: 'long', status: 'failed', reason: 'interrupted by SIGINT' });
    expect(eventsOf(r.events, 'run-ended')[0]).toMatchObject({ outcome: 'aborted', reason: 'interrupted by SIGINT' });
    const pid = Number(readFileSync(join(rb.dir, 'child.pid'), 'utf8'));
    await waitFor(() => !alive(pid));
    expect(() => readFileSync(join(rb.dir, 'later'))).toThrow();
  });

  it('an abort while the operator is being asked ends the run without waiting for the answer', async () => {
    const rb = runbook([run('exit 1', { id: 'a' })]);
    const controller = new AbortController();
    const prompter = scriptedPrompter({
      failure: () => {
        controller.abort('interrupted by SIGTERM');
        return new Promise<never>(() => {});
      },
    });
    const r = await execute({ runbook: rb, prompter, signal: controller.signal });
    expect(r.outcome).toBe('aborted');
    expect(statuses(r.events)).toEqual({ a: 'failed' });
  });

  it('a step that leaves a background process behind does not hang; the process ends with the step', async () => {
    const rb = runbook([run('sleep 30 > /dev/null 2>&1 & echo $! > bg.pid; sleep 30 & echo started', { id: 'bg' })]);
    const r = await execute({ runbook: rb, prompter: scriptedPrompter({ failure: [skip('n/a')] }) });
    expect(statuses(r.events)).toEqual({ bg: 'passed' });
    const pid = Number(readFileSync(join(rb.dir, 'bg.pid'), 'utf8'));
    await waitFor(() => !alive(pid));
  });
});

describe('memory stays bounded', () => {
  it('a step printing 100 MB keeps only a small tail and hashes the whole output', async () => {
    const rb = runbook([run('head -c 104857600 /dev/zero | tr "\\0" "x"; echo; echo last-line', { id: 'big' })]);
    const before = process.memoryUsage().rss;
    let peak = before;
    let bytes = 0;
    const bus = new (await import('../../src/core/bus')).EventBus();
    bus.subscribe((e) => {
      if (e.type === 'output') {
        bytes += 'bytes' in e ? e.bytes.length : e.text.length;
        peak = Math.max(peak, process.memoryUsage().rss);
      }
    });
    const r = await execute({ runbook: rb, bus, logDir: join(rb.dir, 'logs'), keepOutput: false });
    const finished = eventsOf(r.events, 'step-finished')[0];
    expect(finished.output?.bytes).toBe(104857600 + 1 + 'last-line\n'.length);
    expect(finished.output?.tail.endsWith('last-line\n')).toBe(true);
    expect(finished.output!.tail.length).toBeLessThanOrEqual(8 * 1024);
    expect(bytes).toBe(finished.output?.bytes);
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
  }, 120_000);
});
