// The team layer (SPEC §6.2–6.4) through the real CLI against the loopback GitHub: records are
// committed to the team's repository, wait in the outbox when GitHub cannot be reached, a live run
// relies on (or refuses without) a rehearsal, and the incident issue gets one status comment that is
// edited in place. github.com is the only thing stood in for. The keychain is turned off here: the
// tokens come from their env vars, as on a CI runner.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempHome, type CliResult } from '../helpers/cli';
import { startGithubServer, type GithubServer } from '../helpers/github-server';
import { repoFiles } from '../helpers/github-team';
import { predicateOf } from '../../src/record/read';
import { makeKey } from '../helpers/ssh';
import { generateKeyPairSync } from 'node:crypto';
import { EventBus } from '../../src/core/bus';
import { startRecorder } from '../../src/record/recorder';
import { findSshIdentity } from '../../src/record/ssh-identity';
import { keyId } from '../../src/record/dsse';
import type { SigningKey } from '../../src/record/keys';

const ALICE = 'ghp_aliceToken0123456789abcdefABCDEF';
const BOB = 'ghp_bobToken0123456789abcdefABCDEFGH';
const REPO = 'craton-co/ops-records';
const OUTPUT_MARKER = 'OUTPUT-LINE-7f3a';

const RUNBOOK = `---
id: team-demo
title: Team demo
version: 1.0.0
secrets:
  GH_PAT:
    prompt: A GitHub token
    env: TEST_GH_PAT
github:
  token: GH_PAT
records:
  repo: ${REPO}
rehearsal:
  required: true
  within: 14d
---

# Team demo

## Say hello

\`\`\`sh run secrets=GH_PAT
echo "${OUTPUT_MARKER}"
echo "token is $GH_PAT"
\`\`\`

## Check

\`\`\`sh check
true
\`\`\`
`;

const pair = generateKeyPairSync('ed25519');
const localKey: SigningKey = { ...pair, keyid: keyId(pair.publicKey), source: 'file' };

let server: GithubServer;
let dir: string;
let runbookPath: string;

beforeEach(async () => {
  server = await startGithubServer({
    state: { tokens: { [ALICE]: { login: 'alice', scopes: ['repo'] }, [BOB]: { login: 'bob', scopes: ['repo'] } } },
  });
  server.state.team.files[REPO] = repoFiles({ 'README.md': '# ops records\n' });
  dir = tempHome('handrail-team-').root;
  runbookPath = join(dir, 'team-demo.md');
  writeFileSync(runbookPath, RUNBOOK);
});
afterEach(() => server.close());

/** One operator: a state directory of their own and their token. */
function operator(token: string, name: string, sshKey?: string) {
  const home = tempHome(`handrail-team-${name}-`);
  const env = {
    ...home.env,
    TEST_GH_PAT: token,
    GH_TOKEN: '',
    GITHUB_TOKEN: '',
    HANDRAIL_NO_KEYCHAIN: '1',
    HANDRAIL_RECORDS_REPO: '',
    HANDRAIL_REPORT_TO: '',
    // No SSH signature unless the test gives a key: git's own config on this machine is not the operator's.
    HANDRAIL_SSH_SIGNING_KEY: sshKey ?? '',
    GIT_CONFIG_GLOBAL: '/dev/null',
    USER: name,
  };
  const records = join(home.env.XDG_STATE_HOME!, 'handrail', 'records');
  return {
    env,
    records,
    outbox: join(home.env.XDG_STATE_HOME!, 'handrail', 'outbox'),
    run: (...args: string[]): Promise<CliResult> =>
      runCli(['run', runbookPath, '--yes', '--plain', '--github-api', server.url, ...args], { env }),
    cli: (...args: string[]): Promise<CliResult> => runCli(args, { env: { ...env, GH_TOKEN: token } }),
    recordFiles: () => (existsSync(records) ? readdirSync(records).filter((n) => n.endsWith('.json')) : []),
  };
}

/** A real SSH key that GitHub lists as `login`'s signing key; its private key file's path. */
function sshKeyOnGithub(login: string): string {
  const key = makeKey(tempHome(`handrail-team-${login}-ssh-`).root, login);
  server.state.sshSigningKeys = { ...server.state.sshSigningKeys, [login]: [{ key: key.line }] };
  return key.path;
}

const puts = () => server.requests.filter((r) => r.method === 'PUT' && r.path.includes('/contents/'));
const teamFiles = () => Object.keys(server.state.team.files[REPO]!.files).filter((p) => p.startsWith('records/'));

describe('publishing records', () => {
  it('commits the record to <path>/<runbook id>/<file> with a message naming runbook, mode, outcome and operator', async () => {
    const alice = operator(ALICE, 'alice');
    const result = await alice.run('--dry-run');
    expect(result.code, result.stderr).toBe(0);
    const [local] = alice.recordFiles();
    const path = `records/team-demo/${local}`;
    expect(teamFiles()).toEqual([path]);
    // The same bytes as the local record, so either copy verifies.
    expect(server.state.team.files[REPO]!.files[path]!.equals(readFileSync(join(alice.records, local!)))).toBe(true);
    expect((puts()[0]!.body as { message: string }).message).toBe('team-demo 1.0.0: rehearsal run completed, by @alice');
    expect(result.stdout).toContain(`Published to ${REPO}: ${path}`);
  });

  it('keeps the record in the outbox when GitHub is down at the end, and `records publish` sends it once', async () => {
    const alice = operator(ALICE, 'alice');
    // The run itself talks to GitHub (GET /user); GitHub is gone by the time the record is sent.
    server.state.team.down = ({ method }) => method === 'PUT';
    const result = await alice.run('--dry-run');
    expect(result.code, 'publishing never changes the outcome').toBe(0);
    expect(result.stderr).toMatch(/Not published to craton-co\/ops-records .*it waits in the outbox — `handrail records publish` sends it/);
    expect(readdirSync(alice.outbox)).toHaveLength(1);
    expect(teamFiles()).toEqual([]);

    // The next preflight says so.
    const next = await alice.run('--dry-run');
    expect(next.stdout).toContain('1 record waits to be published');
    expect(readdirSync(alice.outbox)).toHaveLength(2);

    server.state.team.down = false;
    const before = server.requests.length;
    const sent = await alice.cli('records', 'publish', '--github-api', server.url);
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toMatch(/published: craton-co\/ops-records records\/team-demo\/team-demo-.*\.json/);
    const sentPuts = () => server.requests.slice(before).filter((r) => r.method === 'PUT');
    expect(sentPuts()).toHaveLength(2);
    expect(readdirSync(alice.outbox)).toHaveLength(0);
    expect(teamFiles()).toHaveLength(2);

    const again = await alice.cli('records', 'publish', '--github-api', server.url);
    expect(again.stdout).toContain('Nothing waits to be published.');
    expect(sentPuts()).toHaveLength(2);
  });

  it('counts a record already there with the same bytes as sent', async () => {
    const alice = operator(ALICE, 'alice');
    server.state.team.down = ({ method }) => method === 'PUT';
    await alice.run('--dry-run');
    server.state.team.down = false;
    const [entryName] = readdirSync(alice.outbox);
    const entry = readFileSync(join(alice.outbox, entryName!));
    expect((await alice.cli('records', 'publish', '--github-api', server.url)).code).toBe(0);
    // The same entry again, as if the first answer had been lost on the way back.
    writeFileSync(join(alice.outbox, entryName!), entry);
    const again = await alice.cli('records', 'publish', '--github-api', server.url);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/already there: craton-co\/ops-records records\/team-demo\//);
    expect(teamFiles()).toHaveLength(1);
  });

  it("sends only the run's own token: when it cannot write the records repository, GH_TOKEN is not tried and the record waits", async () => {
    const alice = operator(ALICE, 'alice');
    // The runbook's token (alice's, packages only here) may not write; the operator's gh token could,
    // but a rejection is never answered with the next token (SPEC §5.1).
    server.state.team.files[REPO]!.writers = ['bob'];
    const result = await runCli(['run', runbookPath, '--yes', '--plain', '--dry-run', '--github-api', server.url], {
      env: { ...alice.env, GH_TOKEN: BOB },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(teamFiles()).toHaveLength(0);
    expect(puts().map((r) => r.headers.authorization)).toEqual([`token ${ALICE}`]);
    expect(result.stderr).toMatch(
      /Not published to craton-co\/ops-records \(GitHub .* the token from GH_PAT from environment variable TEST_GH_PAT .*\); it waits in the outbox/,
    );
    expect(readdirSync(alice.outbox)).toHaveLength(1);
  });

  it('lands both records when two operators publish the same runbook at once', async () => {
    const alice = operator(ALICE, 'alice');
    const bob = operator(BOB, 'bob');
    // Both PUTs are held until both arrived: the second is based on a head the first has moved.
    server.state.team.files[REPO]!.holdPuts = 2;
    const [a, b] = await Promise.all([alice.run('--dry-run'), bob.run('--dry-run')]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(teamFiles()).toHaveLength(2);
    expect(server.requests.some((r) => r.method === 'PUT') && puts().length).toBeGreaterThanOrEqual(3);
    for (const op of [alice, bob]) expect(readdirSync(op.records).length).toBe(1);
    expect(`${a.stderr}${b.stderr}`).not.toContain('outbox');
  });
});

describe('rehearse before live', () => {
  it("finds a teammate's rehearsal in the team's repository, shows it, and the live record names it", async () => {
    // Another machine's record counts here only by an SSH signature GitHub lists for its operator (SPEC §6.3).
    const bob = operator(BOB, 'bob', sshKeyOnGithub('bob'));
    expect((await bob.run('--dry-run')).code).toBe(0);
    const [rehearsalName] = bob.recordFiles();
    const rehearsalSha = createHash('sha256')
      .update(readFileSync(join(bob.records, rehearsalName!)))
      .digest('hex');

    const alice = operator(ALICE, 'alice');
    const live = await alice.run();
    expect(live.code, live.stderr).toBe(0);
    expect(live.stdout).toMatch(
      /Rehearsed by @bob at \d{4}-\d\d-\d\dT[\d:]+Z \(these same bytes; craton-co\/ops-records:records\/team-demo\//,
    );
    const [liveName] = alice.recordFiles();
    const predicate = predicateOf(readFileSync(join(alice.records, liveName!)))!;
    expect(predicate.mode).toBe('live');
    expect(predicate.rehearsal?.reliedOn).toMatchObject({ recordSha256: rehearsalSha, operator: '@bob' });
  });

  it('shows a local rehearsal of different bytes as such, and refuses a required live run without one of these bytes', async () => {
    const alice = operator(ALICE, 'alice');
    expect((await alice.run('--dry-run')).code).toBe(0);
    writeFileSync(runbookPath, RUNBOOK.replace('echo "token', '# edited\necho "token'));
    const before = server.requests.length;
    const refused = await alice.run();
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('must be rehearsed before a live run');
    expect(refused.stderr).toContain(`handrail run ${runbookPath} --dry-run`);
    expect(refused.stderr).toContain('--without-rehearsal');
    expect(refused.stdout).not.toContain(OUTPUT_MARKER);
    expect(alice.recordFiles()).toHaveLength(1);
    expect(server.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('refuses a required live run with no rehearsal (exit 2, nothing run); --without-rehearsal proceeds and records the reason', async () => {
    const alice = operator(ALICE, 'alice');
    const refused = await alice.run();
    expect(refused.code).toBe(2);
    expect(refused.stdout).not.toContain(OUTPUT_MARKER);
    expect(alice.recordFiles()).toEqual([]);
    expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);

    const forced = await alice.run('--without-rehearsal', 'prod is down, no time to rehearse');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('Running live without a rehearsal: prod is down, no time to rehearse');
    const predicate = predicateOf(readFileSync(join(alice.records, alice.recordFiles()[0]!)))!;
    expect(predicate.rehearsal).toEqual({ withoutRehearsal: 'prod is down, no time to rehearse' });
  });
});

describe('status comment on the incident issue', () => {
  it('posts one comment and edits it in place; it never carries output or a secret', async () => {
    server.state.team.issues['craton-co/incidents#42'] = [];
    const alice = operator(ALICE, 'alice');
    const result = await alice.run('--dry-run', '--report-to', 'craton-co/incidents#42');
    expect(result.code, result.stderr).toBe(0);
    const comments = server.requests.filter((r) => r.path.includes('/issues/'));
    expect(comments.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(comments.filter((r) => r.method === 'PATCH').length).toBeGreaterThanOrEqual(2);
    expect(
      comments.every((r) =>
        r.method === 'POST'
          ? r.path === '/repos/craton-co/incidents/issues/42/comments'
          : /^\/repos\/craton-co\/incidents\/issues\/comments\/\d+$/.test(r.path),
      ),
    ).toBe(true);
    for (const request of comments) {
      expect(request.rawBody).not.toContain(OUTPUT_MARKER);
      expect(request.rawBody).not.toContain(ALICE);
      expect(request.rawBody).not.toContain('token is');
    }
    const [comment] = server.state.team.issues['craton-co/incidents#42']!;
    expect(server.state.team.issues['craton-co/incidents#42']).toHaveLength(1);
    expect(comment!.body).toContain('Team demo');
    expect(comment!.body).toContain('rehearsal — completed');
    expect(comment!.body).toMatch(/\| 1 \| Say hello \| .* rehearsed \|/);
    expect(comment!.body).toMatch(/\*\*Record:\*\* `.*team-demo-.*\.json` — published to craton-co\/ops-records/);
  });

  it('a reporting failure is a warning; the run goes on', async () => {
    const alice = operator(ALICE, 'alice');
    const result = await alice.run('--dry-run', '--report-to', 'craton-co/incidents#404');
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: the status comment on craton-co\/incidents#404 was not updated: .*the run goes on/);
  });

  it('a malformed --report-to is bad usage: exit 2, nothing run', async () => {
    const alice = operator(ALICE, 'alice');
    const result = await alice.run('--dry-run', '--report-to', 'incidents-42');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('write it as OWNER/REPO#NUMBER');
    expect(server.requests).toEqual([]);
  });
});

describe("the team's history", () => {
  it('lists the records newest first with operator, mode and outcome, fetching each record once ever', async () => {
    const alice = operator(ALICE, 'alice');
    const bob = operator(BOB, 'bob', sshKeyOnGithub('bob'));
    expect((await bob.run('--dry-run')).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1100)); // record file names carry the second they ended
    expect((await alice.run()).code).toBe(0);
    const list = await alice.cli('records', '--repo', REPO, '--github-api', server.url);
    expect(list.code, list.stderr).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^WHEN\s+RUNBOOK\s+VERSION\s+MODE\s+OUTCOME\s+OPERATOR\s+SSH SIGNATURE\s+PATH$/);
    expect(lines[1]).toMatch(/team-demo\s+1\.0\.0\s+live\s+completed\s+@alice\s+not signed\s+records\/team-demo\//);
    expect(lines[2]).toMatch(/team-demo\s+1\.0\.0\s+rehearsal\s+completed\s+@bob\s+yes, @bob\s+records\/team-demo\//);

    const blobsBefore = server.requests.filter((r) => r.path.includes('/git/blobs/')).length;
    const again = await alice.cli('records', '--repo', REPO, '--github-api', server.url);
    expect(again.stdout).toBe(list.stdout);
    // The second listing: the tree answered 304 (free), and no record was fetched again.
    expect(server.requests.filter((r) => r.path.includes('/git/blobs/')).length).toBe(blobsBefore);
    const trees = server.requests.filter((r) => r.path.includes('/git/trees/'));
    expect(trees.at(-1)!.headers['if-none-match']).toBeTruthy();

    const one = await alice.cli('records', '--repo', REPO, '--runbook', 'team-demo', '--limit', '1', '--github-api', server.url);
    expect(one.stdout).toMatch(/@alice/);
    expect(one.stdout).toContain('… 1 older; show more with --limit 2.');
  });

  it("says whether each record's SSH signature belongs to the operator it names, on GitHub", async () => {
    const keys = tempHome('handrail-team-keys-').root;
    const aliceKey = makeKey(keys, 'alice');
    const bobKey = makeKey(keys, 'bob');
    // GitHub lists alice's key for alice, and for bob only a key that is not the one bob signed with.
    server.state.sshSigningKeys = { alice: [{ key: aliceKey.line }], bob: [{ key: aliceKey.line }] };
    const signed = async (login: string, key: string, end: string) => {
      const root = tempHome('handrail-team-signed-').root;
      const bus = new EventBus();
      const recorder = startRecorder(bus, {
        runbook: {
          path: 'runbooks/deploy.md',
          dir: root,
          source: '',
          sha256: 'a'.repeat(64),
          meta: { id: 'deploy', title: 'Deploy', version: '1.2.0' },
          steps: [],
        },
        stateDir: join(root, 'state'),
        recordDir: join(root, 'records'),
        signingKey: async () => localKey,
        sshIdentity: () => findSshIdentity({ env: { HANDRAIL_SSH_SIGNING_KEY: key } }),
      });
      bus.emit({
        type: 'run-started',
        at: end,
        runId: login,
        mode: 'live',
        runbook: { path: 'runbooks/deploy.md', id: 'deploy', title: 'Deploy', version: '1.2.0', sha256: 'a'.repeat(64) },
        steps: [],
        operator: { user: login, host: 'laptop' },
        tool: { name: 'handrail', version: 'test' },
      });
      bus.emit({ type: 'github-login', at: end, login });
      bus.emit({ type: 'run-ended', at: end, outcome: 'completed' });
      const path = await recorder.finish();
      server.state.team.files[REPO]!.files[`records/deploy/${path.split('/').at(-1)}`] = readFileSync(path);
    };
    delete process.env.SSH_AUTH_SOCK;
    await signed('alice', aliceKey.path, '2026-01-02T03:04:05.000Z');
    await signed('bob', bobKey.path, '2026-01-01T03:04:05.000Z');
    const list = await operator(ALICE, 'alice').cli('records', '--repo', REPO, '--runbook', 'deploy', '--github-api', server.url);
    expect(list.code, list.stderr).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines[1]).toMatch(
      /deploy\s+1\.2\.0\s+live\s+completed\s+@alice\s+yes, @alice\s+records\/deploy\/deploy-20260102T030405Z-completed\.json/,
    );
    expect(lines[2]).toMatch(/deploy\s+1\.2\.0\s+live\s+completed\s+@bob\s+NOT @bob's\s+records\/deploy\//);
    // One key lookup per operator, however many records.
    expect(server.requests.filter((r) => r.path.endsWith('/ssh_signing_keys'))).toHaveLength(2);
  });
});
