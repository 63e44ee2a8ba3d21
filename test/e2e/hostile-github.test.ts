// SPEC §3.2, as an attacker would try it: a value that would make a github step's route name
// another resource. `DELETE /orgs/{ORG}/hooks/{HOOK}` with HOOK=.. would be `DELETE /orgs/acme/`,
// GitHub's "delete an organization". The loopback server records what it received.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/cli';
import { startGithubServer, type GithubServer } from '../helpers/github-server';

const TOKEN = 'ghp_hostile_test_token_0123456789';
const RUNBOOK = `---
id: remove-hook
title: Remove a webhook
version: 1.0.0
inputs:
  ORG: { prompt: Organisation }
  HOOK: { prompt: Hook id }
secrets:
  GH_PAT: { prompt: PAT, env: HANDRAIL_TEST_GH_TOKEN }
github:
  token: GH_PAT
---

# Remove the hook

\`\`\`yaml github id=remove confirm
request: DELETE /orgs/{ORG}/hooks/{HOOK}
status: 204
\`\`\`
`;

let gh: GithubServer;
beforeEach(async () => {
  gh = await startGithubServer();
  gh.state.tokens[TOKEN] = { login: 'octo-admin', scopes: ['admin:org_hook'] };
});
afterEach(() => gh.close());

describe('a github placeholder fills exactly one path segment', () => {
  it.each(['..', '%2E%2E', '/', '%2F'])('HOOK=%s fails the step with one sentence naming it, and GitHub receives no DELETE', async (hook) => {
    const home = tempHome('handrail-hostile-gh-');
    const dir = join(home.root, 'work');
    mkdirSync(dir);
    writeFileSync(join(dir, 'remove-hook.md'), RUNBOOK);
    const r = await runCli(['run', 'remove-hook.md', '--yes', '--github-api', gh.url, '--set', 'ORG=acme', '--set', `HOOK=${hook}`], {
      cwd: dir,
      env: { ...home.env, HANDRAIL_TEST_GH_TOKEN: TOKEN },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`{HOOK} in /orgs/{ORG}/hooks/{HOOK} is ${JSON.stringify(hook)}, which is not exactly one path segment`);
    expect(r.stdout).toContain('the request was not sent');
    expect(gh.requests.filter((request) => request.method !== 'GET')).toEqual([]);
    expect(gh.requests.map((request) => request.path)).not.toContain('/orgs/acme/');
  });
});
