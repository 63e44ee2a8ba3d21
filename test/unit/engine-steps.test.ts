// Inputs, task lists, github steps (against the loopback GitHub), dry-run rules, preflight and resume.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  abort,
  check,
  eventsOf,
  execute,
  github,
  input,
  proceed,
  run,
  runbook,
  scriptedPrompter,
  skip,
  statuses,
  tasks,
} from '../fixtures/engine/builders';
import { createGithubRunner } from '../../src/github';
import { startGithubServer, type GithubServer } from '../helpers/github-server';
import type { SecretResolver } from '../../src/core/ports';
import { UsageError } from '../../src/core/errors';
import { chooseGithubApi } from '../../src/github/hosts';

const TOKEN = 'ghp_loopbackTestToken0001';
const secrets: SecretResolver = {
  lookup: async () => ({ source: 'env' }),
  resolve: async () => ({ value: TOKEN, source: 'env' }),
};
const ghMeta = (scopes?: string[]) => ({
  secrets: { GH_PAT: { prompt: 'PAT', env: 'GH_TOKEN', ...(scopes ? { scopes } : {}) } },
  github: { token: 'GH_PAT' },
});

let server: GithubServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** `null` scopes: a fine-grained token, for which GitHub sends no X-OAuth-Scopes. */
async function fakeGithub(scopes: string[] | null = ['write:packages']) {
  server = await startGithubServer({
    state: {
      tokens: { [TOKEN]: { login: 'octo-admin', ...(scopes ? { scopes } : {}) } },
      packages: { 'craton-co/tensor-wasm': { visibility: 'private', versions: [{ id: 42, name: 'sha256:abc', tags: ['latest'] }] } },
    },
  });
  // The loopback server is the operator's chosen API, as --github-api would make it (SPEC §5.1).
  chooseGithubApi(server.url);
  return { github: createGithubRunner, githubBaseUrl: server.url, secrets };
}

describe('input steps', () => {
  it('asks again with the reason until the value matches the pattern, then the variable is set', async () => {
    const rb = runbook([
      input('DIGEST', { id: 'digest', pattern: '^sha256:[0-9a-f]{4}$' }),
      run('printf %s "$DIGEST" > d.txt', { id: 'use' }),
    ]);
    const prompter = scriptedPrompter({ input: ['latest', 'sha256:beef'] });
    const r = await execute({ runbook: rb, prompter });
    const asked = prompter.asked.filter((a) => a.kind === 'input').map((a) => a.request as { error?: string });
    expect(asked[0].error).toBeUndefined();
    expect(asked[1].error).toMatch(/DIGEST must match/);
    expect(eventsOf(r.events, 'input-given')[0]).toMatchObject({
      name: 'DIGEST',
      value: 'sha256:beef',
      source: 'prompt',
      stepId: 'digest',
    });
    expect(readFileSync(join(rb.dir, 'd.txt'), 'utf8')).toBe('sha256:beef');
  });

  it('front-matter inputs: --set wins, defaults apply under --yes, a missing one is a usage error before any event', async () => {
    const meta = { inputs: { ORG: { prompt: 'Org', default: 'craton-co' }, ENV: { prompt: 'Env', choices: ['a', 'b'] } } };
    const r = await execute({ runbook: runbook([], meta), yes: true, sets: { ENV: 'b' } });
    expect(eventsOf(r.events, 'input-given').map((e) => [e.name, e.value, e.source])).toEqual([
      ['ORG', 'craton-co', 'default'],
      ['ENV', 'b', 'set'],
    ]);
    await expect(execute({ runbook: runbook([], meta), yes: true })).rejects.toThrow(UsageError);
    await expect(execute({ runbook: runbook([], meta), sets: { ENV: 'c' } })).rejects.toThrow(/ENV must be one of a, b/);
  });
});

describe('task lists', () => {
  it('shows items with variables substituted and secrets masked; ticked by the operator = confirmed', async () => {
    const rb = runbook([tasks(['Announce {{ORG}}', 'Token {{GH_PAT}} rotated'], { id: 't' })], {
      inputs: { ORG: { prompt: 'Org' } },
      secrets: { GH_PAT: { prompt: 'PAT' } },
    });
    const prompter = scriptedPrompter({ tasks: [proceed] });
    const r = await execute({ runbook: rb, prompter, sets: { ORG: 'craton-co' } });
    expect(prompter.asked.find((a) => a.kind === 'tasks')?.request).toMatchObject({
      items: [
        { text: 'Announce craton-co', checked: false },
        { text: 'Token •••• rotated', checked: false },
      ],
    });
    expect(statuses(r.events)).toEqual({ t: 'confirmed' });
  });

  it('abort at a task list ends the run aborted; skip needs and records a reason', async () => {
    const aborted = await execute({ runbook: runbook([tasks(['x'], { id: 't' })]), prompter: scriptedPrompter({ tasks: [abort] }) });
    expect(aborted).toMatchObject({ outcome: 'aborted', exitCode: 1 });
    const skipped = await execute({
      runbook: runbook([tasks(['x'], { id: 't' })]),
      prompter: scriptedPrompter({ tasks: [skip('done by hand')] }),
    });
    expect(eventsOf(skipped.events, 'step-finished')[0]).toMatchObject({ status: 'skipped', reason: 'done by hand' });
  });
});

describe('dry-run', () => {
  it('runs checks, rehearses run steps, honours dry-run=run and dry-run=skip, and walks task lists', async () => {
    const rb = runbook([
      check('echo checked > checked.txt', { id: 'c' }),
      run('touch changed.txt', { id: 'r' }),
      run('touch forced.txt', { id: 'forced', dryRun: 'run' }),
      check('touch skipped.txt', { id: 'noisy', dryRun: 'skip' }),
      tasks(['walk me'], { id: 't' }),
    ]);
    const r = await execute({ runbook: rb, mode: 'rehearsal', prompter: scriptedPrompter({ tasks: [proceed] }) });
    expect(statuses(r.events)).toEqual({ c: 'passed', r: 'rehearsed', forced: 'passed', noisy: 'skipped', t: 'confirmed' });
    expect(eventsOf(r.events, 'step-started').find((e) => e.stepId === 'r')).toMatchObject({
      rehearsal: true,
      display: 'touch changed.txt',
    });
    expect(existsSync(join(rb.dir, 'checked.txt'))).toBe(true);
    expect(existsSync(join(rb.dir, 'changed.txt'))).toBe(false);
    expect(existsSync(join(rb.dir, 'forced.txt'))).toBe(true);
    expect(existsSync(join(rb.dir, 'skipped.txt'))).toBe(false);
  });

  it('sends GET requests, shows other methods without sending them unless dry-run=run', async () => {
    const gh = await fakeGithub();
    const rb = runbook(
      [
        github('GET /orgs/craton-co/packages/container/tensor-wasm/versions', { id: 'list', capture: { VID: '[0].id' } }),
        github('DELETE /orgs/craton-co/packages/container/tensor-wasm/versions/{VID}', { id: 'del' }),
      ],
      ghMeta(),
    );
    const r = await execute({ runbook: rb, mode: 'rehearsal', ...gh });
    expect(statuses(r.events)).toEqual({ list: 'passed', del: 'rehearsed' });
    expect(eventsOf(r.events, 'step-started').find((e) => e.stepId === 'del')?.display).toBe(
      'DELETE /orgs/craton-co/packages/container/tensor-wasm/versions/42',
    );
    expect(server!.requests.filter((q) => q.method === 'DELETE')).toHaveLength(0);
    expect(server!.state.packages['craton-co/tensor-wasm'].versions).toHaveLength(1);
  });
});

describe('github steps and preflight', () => {
  it('sets GITHUB_LOGIN from the token, captures from responses, and sends the change in a live run', async () => {
    const gh = await fakeGithub();
    const rb = runbook(
      [
        github('GET /orgs/craton-co/packages/container/tensor-wasm/versions', { id: 'list', capture: { VID: '[0].id' } }),
        github('DELETE /orgs/craton-co/packages/container/tensor-wasm/versions/{VID}', { id: 'del', confirm: true }),
        run('echo "login=$GITHUB_LOGIN token=${GH_PAT:-none}"', { id: 'who' }),
      ],
      ghMeta(['read:packages']),
    );
    const r = await execute({ runbook: rb, prompter: scriptedPrompter({ confirmStep: [proceed] }), ...gh });
    expect(r.exitCode).toBe(0);
    expect(eventsOf(r.events, 'github-login')[0].login).toBe('octo-admin');
    expect(eventsOf(r.events, 'capture')[0]).toMatchObject({ name: 'VID', value: '42' });
    expect(server!.state.packages['craton-co/tensor-wasm'].versions).toHaveLength(0);
    expect(
      r.events
        .filter((e) => e.type === 'output' && e.stepId === 'who')
        .map((e) => (e as { text: string }).text)
        .join(''),
    ).toBe('login=octo-admin token=none\n');
    expect(JSON.stringify(r.events)).not.toContain(TOKEN);
  });

  it('stops before step 1 naming each missing scope (exit 1)', async () => {
    const gh = await fakeGithub(['read:org']);
    const rb = runbook([github('GET /user', { id: 'me' }), run('touch ran', { id: 'r' })], ghMeta(['write:packages', 'admin:org']));
    const r = await execute({ runbook: rb, ...gh });
    expect(r).toMatchObject({ outcome: 'failed', exitCode: 1 });
    expect(eventsOf(r.events, 'run-ended')[0].reason).toMatch(/GH_PAT lacks the scopes write:packages, admin:org/);
    expect(eventsOf(r.events, 'step-started')).toHaveLength(0);
    expect(existsSync(join(rb.dir, 'ran'))).toBe(false);
  });

  it('warns, and goes on, when GitHub reports no scopes (a fine-grained token)', async () => {
    const gh = await fakeGithub(null);
    const rb = runbook([github('GET /user', { id: 'me' })], ghMeta(['write:packages']));
    const r = await execute({ runbook: rb, ...gh });
    expect(r.exitCode).toBe(0);
    expect(eventsOf(r.events, 'warning')[0].message).toMatch(/did not report the scopes of GH_PAT/);
  });

  it('a failing github step offers retry / skip / abort like any other', async () => {
    const gh = await fakeGithub();
    const rb = runbook([github('GET /orgs/craton-co/packages/container/missing-pkg', { id: 'pkg' })], ghMeta());
    const prompter = scriptedPrompter({ failure: [abort] });
    const r = await execute({ runbook: rb, prompter, ...gh });
    expect(r.exitCode).toBe(1);
    expect(statuses(r.events)).toEqual({ pkg: 'failed' });
    expect((prompter.asked.find((a) => a.kind === 'failure')?.request as { reason: string }).reason).toMatch(/404|not found/i);
  });

  it('fails preflight when a required tool is missing or too old, and runs nothing', async () => {
    const rb = runbook([run('touch ran', { id: 'r' })], {
      requires: ['sh', 'handrail-no-such-tool', { name: 'node', version: '>=999' }],
    });
    const r = await execute({ runbook: rb });
    expect(r).toMatchObject({ outcome: 'failed', exitCode: 1 });
    const pre = eventsOf(r.events, 'preflight')[0];
    expect(pre.ok).toBe(false);
    expect(pre.tools.map((t) => [t.name, t.ok])).toEqual([
      ['sh', true],
      ['handrail-no-such-tool', false],
      ['node', false],
    ]);
    expect(pre.tools[2].version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(existsSync(join(rb.dir, 'ran'))).toBe(false);
  });
});

describe('resume', () => {
  it('does not run finished steps again, restores variables, and asks about the interrupted step', async () => {
    const rb = runbook([
      run('touch first-again', { id: 'first' }),
      run('printf %s "$ORG" > org.txt', { id: 'second' }),
      run('touch third', { id: 'third' }),
    ]);
    const prompter = scriptedPrompter({ interrupted: [proceed] });
    const r = await execute({
      runbook: rb,
      prompter,
      resume: {
        journalPath: '/dev/null',
        runId: 'earlier-run',
        finished: new Map([['first', 'passed']]),
        interruptedStepId: 'second',
        variables: { ORG: 'craton-co' },
        runbookChanged: false,
      },
    });
    expect(r.exitCode).toBe(0);
    expect(existsSync(join(rb.dir, 'first-again'))).toBe(false);
    expect(readFileSync(join(rb.dir, 'org.txt'), 'utf8')).toBe('craton-co');
    expect(eventsOf(r.events, 'decision')[0]).toMatchObject({ stepId: 'second', decision: 'rerun-interrupted' });
    expect(eventsOf(r.events, 'run-started')[0].resumed).toEqual({ journalPath: '/dev/null', fromIndex: 1, finished: { first: 'passed' } });
    expect(statuses(r.events)).toEqual({ second: 'passed', third: 'passed' });
  });
});
