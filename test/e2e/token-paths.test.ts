// Where on a chosen host a token's request lands, tried as an attacker would: a repository written
// `x/..` or `x/.` is a name GitHub never gives, and a URL parser reads it as "the parent" or "this"
// segment, so a request meant for one repository would name another resource than the operator was
// shown. Each way of naming a repository refuses it before any request, exit 2.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempHome, type CliResult } from '../helpers/cli';
import { startGithubServer, type GithubServer } from '../helpers/github-server';

const GH_TOKEN = `ghp_paths${randomBytes(12).toString('hex')}`;

const runbook = (repo: string) => `---
id: paths
title: Paths
version: 1.0.0
records:
  repo: ${repo}
---

# Paths

\`\`\`sh run
echo hello
\`\`\`
`;

let gh: GithubServer;
let home: ReturnType<typeof tempHome>;
let env: Record<string, string>;

beforeEach(async () => {
  gh = await startGithubServer({ state: { tokens: { [GH_TOKEN]: { login: 'octo', scopes: ['repo'] } } } });
  home = tempHome('handrail-paths-');
  env = {
    ...(home.env as Record<string, string>),
    GH_TOKEN,
    GITHUB_TOKEN: '',
    HANDRAIL_GITHUB_API: gh.url,
    HANDRAIL_RECORDS_REPO: '',
    HANDRAIL_REPORT_TO: '',
    HANDRAIL_NO_KEYCHAIN: '1',
  };
  writeFileSync(join(home.root, 'good.md'), runbook('x/y'));
});
afterEach(() => gh.close());

const run = (args: string[], extra: Record<string, string> = {}): Promise<CliResult> =>
  runCli(args, { cwd: home.root, env: { ...env, ...extra } });

function expectRefused(result: CliResult, what: RegExp) {
  expect(result.code, result.stdout + result.stderr).toBe(2);
  expect(result.stdout + result.stderr).toMatch(what);
  expect(result.stdout + result.stderr).not.toMatch(/at .*\.(js|ts):\d+/);
  expect(gh.requests).toEqual([]);
}

describe('a repository named . or ..', () => {
  for (const repo of ['x/..', 'x/.']) {
    it(`records.repo ${repo}: lint and run say file:line:col, exit 2`, async () => {
      writeFileSync(join(home.root, 'dots.md'), runbook(repo));
      expectRefused(await run(['lint', 'dots.md']), /dots\.md:6:\d+: .*OWNER\/REPO/);
      expectRefused(await run(['run', 'dots.md', '--yes', '--dry-run']), /dots\.md:6:\d+: .*OWNER\/REPO/);
    });

    it(`--report-to ${repo}#1, HANDRAIL_RECORDS_REPO=${repo}, records --repo ${repo} and approve ${repo}: refused, nothing sent`, async () => {
      expectRefused(await run(['run', 'good.md', '--yes', '--dry-run', '--report-to', `${repo}#1`]), /is not an issue/);
      expectRefused(
        await run(['run', 'good.md', '--yes', '--dry-run'], { HANDRAIL_RECORDS_REPO: repo }),
        /HANDRAIL_RECORDS_REPO is not OWNER\/REPO/,
      );
      expectRefused(await run(['records', '--repo', repo]), /is not a repository; write it as OWNER\/REPO/);
      expectRefused(await run(['approve', repo]), /is not a repository; write it as OWNER\/REPO/);
    });
  }
});
