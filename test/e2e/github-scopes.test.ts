// Scopes are checked against the loopback GitHub's `X-OAuth-Scopes` before the first step: a token
// lacking one stops the run with the list of what is missing, and nothing runs. The token comes
// from its env var, so this needs no keychain.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { EventBus, createAutoPrompter, runEngine } from '../../src/engine';
import type { RunEvent } from '../../src/core/events';
import { createGithubRunner } from '../../src/github';
import { loadRunbook } from '../../src/runbook/load';
import { Masker, createSecretResolver } from '../../src/secrets';
import { startGithubServer, type GithubServer } from '../helpers/github-server';
import { chooseGithubApi } from '../../src/github/hosts';

const TOKEN = 'ghp_scope_test_token_0123456789';

const RUNBOOK = `---
id: scopes
title: Scopes are checked first
version: 1.0.0
secrets:
  GH_PAT:
    prompt: PAT
    env: HANDRAIL_TEST_GH_TOKEN
    scopes: [read:packages, delete:packages, read:org]
github:
  token: GH_PAT
---

# Delete

\`\`\`yaml github
request: DELETE /orgs/craton-co/packages/container/tensor-wasm/versions/11
\`\`\`
`;

let gh: GithubServer;
beforeEach(async () => {
  gh = await startGithubServer({
    state: { packages: { 'craton-co/tensor-wasm': { visibility: 'public', versions: [{ id: 11, name: 'sha256:a', tags: [] }] } } },
  });
  chooseGithubApi(gh.url);
});
afterEach(() => gh.close());

async function run(scopes: string[] | undefined): Promise<{ exitCode: number; events: RunEvent[] }> {
  gh.state.tokens[TOKEN] = { login: 'octo-admin', scopes };
  const dir = mkdtempSync(join(tmpdir(), 'handrail-scopes-'));
  writeFileSync(join(dir, 'runbook.md'), RUNBOOK);
  const { runbook, problems } = await loadRunbook(join(dir, 'runbook.md'));
  expect(problems).toEqual([]);
  const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config'), HANDRAIL_TEST_GH_TOKEN: TOKEN };
  const bus = new EventBus();
  const events: RunEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const masker = new Masker();
  const prompter = createAutoPrompter();
  const result = await runEngine({
    runbook: runbook!,
    bus,
    prompter,
    mode: 'live',
    yes: true,
    secrets: createSecretResolver({ prompter, env, masker }),
    github: createGithubRunner,
    githubBaseUrl: gh.url,
    masker,
    runId: 'scopes',
    env,
    tool: { name: 'handrail', version: 'test' },
    operator: { user: 'tester', host: 'localhost' },
  });
  return { exitCode: result.exitCode, events };
}

it('stops before step 1 and lists the missing scopes, counting implied ones as granted', async () => {
  const { exitCode, events } = await run(['write:packages', 'write:org']);
  expect(exitCode).toBe(1);
  const ended = events.find((e) => e.type === 'run-ended');
  expect(ended).toMatchObject({ outcome: 'failed' });
  // write:packages implies read:packages, write:org implies read:org: only delete:packages is missing.
  expect(ended && 'reason' in ended ? ended.reason : '').toMatch(/^GH_PAT lacks the scope delete:packages;/);
  expect(events.some((e) => e.type === 'step-started')).toBe(false);
  expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /user']);
  expect(gh.state.packages['craton-co/tensor-wasm'].versions).toHaveLength(1);
});

it('runs the step when every scope is granted', async () => {
  const { exitCode } = await run(['delete:packages', 'admin:org']);
  expect(exitCode).toBe(0);
  expect(gh.state.packages['craton-co/tensor-wasm'].versions).toHaveLength(0);
  expect(gh.requests.at(-1)).toMatchObject({ method: 'DELETE', headers: { authorization: `token ${TOKEN}` } });
});

it('warns rather than guesses when GitHub reports no scopes (a fine-grained token)', async () => {
  const { exitCode, events } = await run(undefined);
  expect(exitCode).toBe(0);
  expect(events).toContainEqual(
    expect.objectContaining({ type: 'warning', message: expect.stringMatching(/did not report the scopes of GH_PAT/) }),
  );
});
