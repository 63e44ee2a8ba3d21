// SPEC §3.2, as an attacker would try it: a value that would make a github step's route name
// another resource. `DELETE /orgs/{ORG}/hooks/{HOOK}` with HOOK=.. would be `DELETE /orgs/acme/`,
// GitHub's "delete an organization". The loopback server records what it received.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/cli';
import { startGithubServer, type GithubServer, type RouteReply } from '../helpers/github-server';
import { blobSha, repoFiles } from '../helpers/github-team';

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
  it.each(['..', '%2E%2E', '/', '%2F'])(
    'HOOK=%s fails the step with one sentence naming it, and GitHub receives no DELETE',
    async (hook) => {
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
    },
  );
});

// The team's records repository answers as an attacker (or a broken proxy) might (#23): every odd
// answer is one sentence, one bad record is named and skipped, nothing malformed is cached.
describe("hostile answers for the team's records", () => {
  const REPO = 'craton-co/ops-records';
  const record = (n: number) => `{"not":"a record","n":${n}}`;
  const name = (day: number) => `records/deploy/deploy-202601${String(day).padStart(2, '0')}T000000Z-completed.json`;
  let home: ReturnType<typeof tempHome>;
  const list = () =>
    runCli(['records', '--repo', REPO, '--github-api', gh.url], { env: { ...home.env, GH_TOKEN: TOKEN, HANDRAIL_NO_KEYCHAIN: '1' } });
  const blobRequests = () => gh.requests.filter((r) => r.path.includes('/git/blobs/'));
  const cachedBlobs = () => {
    const dir = join(home.env.XDG_STATE_HOME!, 'handrail', 'cache', 'github', 'blobs');
    return existsSync(dir) ? readdirSync(dir) : [];
  };
  /** The honest blob answer, or `hostile(sha)` while `hostile` is set. */
  let hostile: ((sha: string) => RouteReply | undefined) | undefined;
  beforeEach(() => {
    home = tempHome('handrail-hostile-records-');
    gh.state.team.files[REPO] = repoFiles({ [name(1)]: record(1), [name(2)]: record(2) });
    hostile = undefined;
    gh.route('GET', '/repos/{owner}/{repo}/git/blobs/{sha}', ({ params }) => {
      const odd = hostile?.(params.sha);
      if (odd) return odd;
      const content = Object.values(gh.state.team.files[REPO]!.files).find((c) => blobSha(c) === params.sha);
      return content
        ? { status: 200, body: { sha: params.sha, size: content.length, content: content.toString('base64'), encoding: 'base64' } }
        : { status: 404, body: { message: 'Not Found' } };
    });
  });
  const shaOf = (day: number) => blobSha(gh.state.team.files[REPO]!.files[name(day)]!);
  const oneSentence = (text: string) => {
    expect(text).not.toContain('unexpected error');
    expect(text).not.toMatch(/\n\s+at /);
  };

  it('a blob answer without content is named and skipped, the listing goes on, and it is not cached', async () => {
    hostile = (sha) => (sha === shaOf(2) ? { status: 200, body: { sha, size: 30, encoding: 'base64' } } : undefined);
    const r = await list();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /warning: GitHub's answer for craton-co\/ops-records:records\/deploy\/deploy-20260102T000000Z-completed\.json carries no content; it was not used/,
    );
    expect(r.stderr).toContain('deploy-20260101T000000Z-completed.json is not a handrail record; skipped');
    expect(cachedBlobs()).not.toContain(shaOf(2));
    // Once GitHub answers properly, the record is read: nothing empty was kept for it.
    hostile = undefined;
    const again = await list();
    expect(again.stderr).toContain('deploy-20260102T000000Z-completed.json is not a handrail record; skipped');
  });

  it('a blob whose content does not hash to its sha is refused and not cached', async () => {
    hostile = (sha) =>
      sha === shaOf(2)
        ? { status: 200, body: { sha, size: 30, content: Buffer.from(record(9)).toString('base64'), encoding: 'base64' } }
        : undefined;
    const r = await list();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /deploy-20260102T000000Z-completed\.json is not the blob [0-9a-f]{40} \(its bytes hash to [0-9a-f]{40}\); it was not used/,
    );
    expect(cachedBlobs()).toEqual([shaOf(1)]);
  });

  it('one blob GitHub will not give fails only that entry', async () => {
    hostile = (sha) => (sha === shaOf(2) ? { status: 500, body: { message: 'Server Error' } } : undefined);
    const r = await list();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: .*deploy-20260102T000000Z-completed\.json could not be read: .*500/);
    expect(r.stderr).toContain('deploy-20260101T000000Z-completed.json is not a handrail record');
  });

  it('a record over 1 MB is refused by the size the tree gives, before it is fetched', async () => {
    gh.state.team.files[REPO]!.files[name(3)] = Buffer.alloc(40 * 1024 * 1024, 'x');
    const r = await list();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'craton-co/ops-records:records/deploy/deploy-20260103T000000Z-completed.json is 40.0 MB; a record over 1 MB is refused.',
    );
    expect(blobRequests().map((q) => q.path)).not.toContain(`/repos/${REPO}/git/blobs/${shaOf(3)}`);
  });

  it('a tree that understates a size is caught on the bytes', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 'y');
    gh.state.team.files[REPO]!.files[name(3)] = big;
    gh.route('GET', '/repos/{owner}/{repo}/git/trees/{tree}', () => ({
      status: 200,
      body: { sha: 'f'.repeat(40), truncated: false, tree: [{ path: name(3), mode: '100644', type: 'blob', sha: blobSha(big), size: 10 }] },
    }));
    const r = await list();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /deploy-20260103T000000Z-completed\.json is over 1 MB, whatever its listing said; a record over 1 MB is refused/,
    );
    oneSentence(r.stderr);
  });

  it('a blob answer that never ends is cut off near the bound of a record, not read to its end', async () => {
    const big = Buffer.from(record(3));
    gh.state.team.files[REPO]!.files[name(3)] = big;
    // 300 MB, sent as fast as the reader takes it: without a bound the reader would take it all.
    const total = 300 * 1024 * 1024;
    const chunk = Buffer.alloc(256 * 1024, 'A');
    let sent = 0;
    hostile = (sha) =>
      sha === blobSha(big)
        ? {
            status: 200,
            stream: (res) => {
              res.write('{"encoding":"base64","content":"');
              const more = () => {
                while (sent < total && !res.destroyed) {
                  sent += chunk.length;
                  if (!res.write(chunk)) return void res.once('drain', more);
                }
                if (!res.destroyed) res.end('"}');
              };
              res.once('close', () => (sent = Math.min(sent, total)));
              more();
            },
          }
        : undefined;
    const r = await list();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /deploy-20260103T000000Z-completed\.json is over 1 MB, whatever its listing said; a record over 1 MB is refused/,
    );
    oneSentence(r.stderr);
    // The bound is about 1.4 MB of base64; what socket buffers held beyond it is a few MB at most.
    expect(sent).toBeLessThan(32 * 1024 * 1024);
    expect(cachedBlobs()).not.toContain(blobSha(big));
  });

  const oddTrees: [string, RouteReply][] = [
    ['a 304 with nothing cached', { status: 304 }],
    ['a tree that is not a list', { status: 200, body: { sha: 'f'.repeat(40), tree: 'everything' } }],
    ['no body at all', { status: 200, body: [] }],
    [
      'a giant tree array',
      {
        status: 200,
        body: {
          sha: 'f'.repeat(40),
          truncated: false,
          tree: Array.from({ length: 150_000 }, (_, i) => ({ path: `x/${i}`, type: 'blob', sha: 'a'.repeat(40), size: 1 })),
        },
      },
    ],
  ];
  it.each(oddTrees)('%s is one sentence, never an unexpected error', async (_, reply) => {
    gh.route('GET', '/repos/{owner}/{repo}/git/trees/{tree}', () => reply);
    const r = await list();
    expect(r.code).toBe(1);
    // Before its first request, the command says which token goes where (SPEC 5.1); then one sentence.
    const [announced, ...said] = r.stderr.trim().split('\n');
    expect(announced).toBe(`handrail: GitHub token from environment variable GH_TOKEN goes to ${gh.url} (the team's records)`);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^handrail: GitHub's answer for the files of craton-co\/ops-records /);
    oneSentence(r.stderr);
  });

  it('tree entries of the wrong shape are dropped, the rest are listed', async () => {
    gh.route('GET', '/repos/{owner}/{repo}/git/trees/{tree}', () => ({
      status: 200,
      body: {
        sha: 'f'.repeat(40),
        truncated: false,
        tree: [null, 7, { path: name(1) }, { path: name(1), type: 'blob', sha: shaOf(1), size: 30 }],
      },
    }));
    const r = await list();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('deploy-20260101T000000Z-completed.json is not a handrail record');
    oneSentence(r.stderr);
  });
});
