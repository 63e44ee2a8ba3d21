// Two people, signed (SPEC §6.6), through the real CLI: two operators with their own state folders and
// SSH keys (one in a real ssh-agent), real ssh-keygen, the loopback GitHub. A live run waits for an
// approval of its rehearsal's plan; `handrail approve` on the other operator's machine signs one; the
// run starts by itself, its record embeds the approval, and `verify --github` names the approver.
// Approvals that must not count are planted as a careless or hostile teammate would commit them.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runCli, tempHome, type CliResult } from '../helpers/cli';
import { hasTmux, startTmux, type TmuxSession } from '../helpers/tmux';
import { startGithubServer, type GithubServer } from '../helpers/github-server';
import { repoFiles } from '../helpers/github-team';
import { makeKey, startAgent, type TestAgent, type TestKey } from '../helpers/ssh';
import { approvalFile, rehearsalRecord } from '../helpers/approval';
import { planDigest, type Plan } from '../../src/core/plan';
import { predicateOf } from '../../src/record/read';

const TOKENS = {
  alice: 'ghp_aliceToken0123456789abcdefABCDEF',
  bob: 'ghp_bobToken0123456789abcdefABCDEFGH',
  dave: 'ghp_daveToken0123456789abcdefABCDEFG',
};
const REPO = 'craton-co/ops-records';
const ISSUE = 'craton-co/incidents#7';
const MARKER = 'CHANGED-7c1e';

const runbookText = (from: string) => `---
id: approval-demo
title: Approval demo
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
approval:
  required: 1
  from: ${from}
  within: 4h
---

# Approval demo

## Change the thing

\`\`\`sh run
echo "${MARKER}"
\`\`\`
`;

const META = { id: 'approval-demo', title: 'Approval demo', version: '1.0.0' };
const PLAN: Plan = {
  inputs: {},
  steps: [{ id: 'change-the-thing', kind: 'run', title: 'Change the thing', text: `echo "${MARKER}"`, captured: {} }],
};
const DIGEST = planDigest(PLAN);
const FOLDER = `records/approval-demo/approvals/${DIGEST.slice('sha256:'.length)}`;

let server: GithubServer;
let dir: string;
let runbookPath: string;
let keys: Record<'alice' | 'bob' | 'carol' | 'dave', TestKey>;
let agent: TestAgent;

async function setRunbook(from = '[bob, carol]'): Promise<void> {
  const text = runbookText(from);
  writeFileSync(runbookPath, text);
  const rehearsal = await rehearsalRecord({
    runbookText: text,
    runbookPath,
    meta: META,
    plan: PLAN,
    key: keys.alice,
    login: 'alice',
    tail: 'would change the thing\n',
  });
  server.state.team.files[REPO]!.files[`records/approval-demo/${rehearsal.name}`] = rehearsal.bytes;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tempHome('handrail-approval-').root, 'work-'));
  keys = { alice: makeKey(dir, 'alice'), bob: makeKey(dir, 'bob'), carol: makeKey(dir, 'carol'), dave: makeKey(dir, 'dave') };
  agent = startAgent(mkdtempSync(join(dir, 'agent-')));
  agent.add(keys.bob);
  server = await startGithubServer({
    state: {
      tokens: {
        [TOKENS.alice]: { login: 'alice', scopes: ['repo'] },
        [TOKENS.bob]: { login: 'bob', scopes: ['repo'] },
        [TOKENS.dave]: { login: 'dave', scopes: ['repo'] },
      },
      sshSigningKeys: {
        alice: [{ key: keys.alice.line }],
        bob: [{ key: keys.bob.line }],
        carol: [{ key: keys.carol.line }],
        dave: [{ key: keys.dave.line }],
      },
    },
  });
  server.state.team.files[REPO] = repoFiles({ 'README.md': '# ops records\n' });
  server.state.team.issues[ISSUE] = [];
  // GitHub's team membership answer: 200 with state for a member, 404 for anyone else.
  server.route('GET', '/orgs/{org}/teams/{team}/memberships/{username}', ({ params, user }) => {
    if (!user) return { status: 401, body: { message: 'Requires authentication' } };
    if (params.org !== 'craton-co' || params.team !== 'release-managers' || params.username !== 'bob')
      return { status: 404, body: { message: 'Not Found' } };
    return { status: 200, body: { url: `https://api.github.com/teams/1/memberships/bob`, role: 'member', state: 'active' } };
  });
  runbookPath = join(dir, 'approval-demo.md');
  await setRunbook();
});
let session: TmuxSession | undefined;
afterEach(async () => {
  session?.kill();
  session = undefined;
  agent.stop();
  await server.close();
});

/** One person: their own state folder, GitHub token and SSH signing key (bob's only in ssh-agent). */
function person(name: 'alice' | 'bob' | 'dave') {
  const home = tempHome(`handrail-approval-${name}-`);
  const env = {
    ...home.env,
    TEST_GH_PAT: TOKENS[name],
    GH_TOKEN: TOKENS[name],
    GITHUB_TOKEN: '',
    HANDRAIL_NO_KEYCHAIN: '1',
    HANDRAIL_RECORDS_REPO: '',
    HANDRAIL_REPORT_TO: '',
    HANDRAIL_SSH_SIGNING_KEY: name === 'bob' ? `${keys.bob.path}.pub` : keys[name].path,
    SSH_AUTH_SOCK: name === 'bob' ? agent.socket : '',
    HANDRAIL_APPROVAL_POLL_MS: '200',
    USER: name,
  };
  const records = join(home.env.XDG_STATE_HOME!, 'handrail', 'records');
  return {
    env,
    records,
    run: (...args: string[]): Promise<CliResult> =>
      runCli(['run', runbookPath, '--yes', '--plain', '--github-api', server.url, ...args], { env, timeoutMs: 90_000 }),
    approve: (input: string, ...args: string[]): Promise<CliResult> =>
      runCli(['approve', REPO, '--plain', '--github-api', server.url, ...args], { env, input, timeoutMs: 30_000 }),
    recordFiles: () => (existsSync(records) ? readdirSync(records).filter((n) => n.endsWith('.json')) : []),
  };
}

const repoFile = (suffix: string) => Object.keys(server.state.team.files[REPO]!.files).find((p) => p.endsWith(suffix));

/** Waits for a state of the loopback GitHub, never for a time. */
async function until(what: string, test: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Commits a file straight into the repository, as another person's push would (the branch head moves). */
function plant(name: string, text: string): void {
  const repo = server.state.team.files[REPO]!;
  repo.files[`${FOLDER}/${name}`] = Buffer.from(text);
  repo.head = createHash('sha1').update(`${repo.head} ${name}`).digest('hex');
}

describe('a live run that needs approval', () => {
  it('the waiting comment whose answer was lost is found and kept, not posted again (#23)', async () => {
    let posts = 0;
    // The first POST lands, then its answer is lost (a proxy's 502); any later one behaves.
    server.route('POST', '/repos/{owner}/{repo}/issues/{number}/comments', ({ body }) => {
      posts += 1;
      const now = new Date().toISOString();
      server.state.team.issues[ISSUE]!.push({
        id: 700 + posts,
        body: (body as { body: string }).body,
        user: 'alice',
        created_at: now,
        updated_at: now,
      });
      return posts === 1 ? { status: 502, body: { message: 'Bad Gateway' } } : { status: 201, body: { id: 700 + posts } };
    });
    const alice = person('alice');
    const bob = person('bob');
    const running = alice.run('--report-to', ISSUE);
    await until('the status comment', () => server.state.team.issues[ISSUE]!.length === 1);
    await until('the approval request', () => repoFile('/request.json') !== undefined);
    expect((await bob.approve('1\napproval-demo\n')).code).toBe(0);
    const result = await running;
    expect(result.code, result.stderr).toBe(0);
    expect(posts).toBe(1);
    expect(server.state.team.issues[ISSUE]).toHaveLength(1);
    expect(server.state.team.issues[ISSUE]![0]!.body).toContain('**Outcome:** completed');
  }, 120_000);

  it('publishes a signed request, waits, starts by itself once the other operator approves, and the record names the approver', async () => {
    const alice = person('alice');
    const bob = person('bob');
    const running = alice.run('--report-to', ISSUE);
    await until('the approval request', () => repoFile('/request.json') !== undefined);
    expect(repoFile('/request.json')).toBe(`${FOLDER}/request.json`);
    // The incident issue says who may approve and the exact command.
    await until('the status comment', () => server.state.team.issues[ISSUE]!.length === 1);
    const comment = server.state.team.issues[ISSUE]![0]!.body;
    // Logins from the runbook's `from:` are shown, never mentioned: the status comment pings nobody (#23).
    expect(comment).not.toMatch(/@(bob|carol)/);
    expect(comment.replaceAll('\u200d', '')).toContain(
      `Waiting for an approval from @bob or @carol: they run \\\`handrail approve ${REPO}\\\``,
    );

    const approved = await bob.approve('1\napproval-demo\n');
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toContain('1. approval-demo 1.0.0 — Approval demo');
    expect(approved.stdout).toMatch(/run by @alice, asked .*; open 3h 59m more; 0 of 1 approved/);
    expect(approved.stdout).toContain(`Request:    signed by @alice, GitHub SSH signing key ${keys.alice.fingerprint}`);
    expect(approved.stdout).toContain(`Plan ${DIGEST}`);
    expect(approved.stdout).toContain(`│ echo "${MARKER}"`);
    expect(approved.stdout).toContain('┊ would change the thing');
    expect(approved.stdout).toMatch(new RegExp(`Approved: committed ${REPO}:${FOLDER}/bob-\\d{8}T\\d{6}Z\\.json`));

    const result = await running;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Waiting for an approval from @bob or @carol: they run \`handrail approve ${REPO}\``);
    expect(result.stdout).toContain(`Approved by @bob (SSH key ${keys.bob.fingerprint}) at `);
    expect(result.stdout).toContain(MARKER);

    const [recordName] = alice.recordFiles();
    const predicate = predicateOf(readFileSync(join(alice.records, recordName!)))!;
    expect(predicate.approval).toMatchObject({
      required: 1,
      planDigest: DIGEST,
      approvals: [{ approver: 'bob', fingerprint: keys.bob.fingerprint }],
    });
    expect(server.state.team.issues[ISSUE]).toHaveLength(1);
    const final = server.state.team.issues[ISSUE]![0]!.body;
    expect(final).not.toMatch(/@bob/);
    expect(final.replaceAll('\u200d', '')).toContain(`**Approval:** approved by @bob (plan ${DIGEST})`);

    const verified = await runCli(['verify', join(alice.records, recordName!), '--github', '--github-api', server.url], { env: alice.env });
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(
      new RegExp(
        `Approved by @bob \\(SSH key ${keys.bob.fingerprint.replace(/[+/]/g, '\\$&')}\\) at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ, plan ${DIGEST} — checked on GitHub`,
      ),
    );

    const offline = await runCli(['verify', join(alice.records, recordName!)], { env: alice.env });
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stdout).toContain(`Approved by @bob (SSH key ${keys.bob.fingerprint}) at `);
    expect(offline.stdout).toContain("Approvers' keys: not checked against GitHub; `--github` checks each is the approver's");

    // Bob's key leaves his GitHub account: the approval no longer proves it was him.
    server.state.sshSigningKeys.bob = [{ key: keys.dave.line }];
    const refused = await runCli(['verify', join(alice.records, recordName!), '--github', '--github-api', server.url], { env: alice.env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`the approval by @bob: SSH key ${keys.bob.fingerprint} is not one of @bob's GitHub SSH signing keys`);
  }, 120_000);

  it('counts none of the approvals that must not count, names each, and with --yes gives up with exit 1 and nothing run', async () => {
    const alice = person('alice');
    const base = { planDigest: DIGEST, runbook: { id: 'approval-demo', version: '1.0.0' } };
    plant('alice-1.json', await approvalFile({ ...base, key: keys.alice, approver: 'alice' }));
    plant('carol-1.json', await approvalFile({ ...base, key: keys.alice, approver: 'carol' }));
    plant('bob-1.json', await approvalFile({ ...base, key: keys.bob, approver: 'bob', planDigest: `sha256:${'e'.repeat(64)}` }));
    plant('bob-2.json', await approvalFile({ ...base, key: keys.bob, approver: 'bob', at: new Date(Date.now() - 5 * 3600_000) }));
    plant('dave-1.json', await approvalFile({ ...base, key: keys.dave, approver: 'dave' }));
    plant(
      'bob-3.json',
      await approvalFile({ ...base, key: keys.bob, approver: 'bob', edit: (p) => (p.at = new Date(Date.now() + 60_000).toISOString()) }),
    );
    plant('bob-4.json', await approvalFile({ ...base, key: keys.bob, approver: 'bob', namespace: 'handrail-record' }));
    plant('carol-2.json', await approvalFile({ ...base, key: keys.dave, approver: 'carol' }));

    const result = await alice.run('--approval-timeout', '2s');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no approval came within 2s (--approval-timeout); nothing was run');
    const out = result.stdout;
    expect(out).toContain('@alice is the operator: nobody approves their own run');
    expect(out).toContain(`@carol's approval is signed with the operator's own SSH key ${keys.alice.fingerprint}`);
    expect(out).toContain(`@bob approved another plan (sha256:${'e'.repeat(64)}), not this one`);
    expect(out).toMatch(/@bob's approval of \S+ is older than 4h \(approval\.within\): it has expired/);
    expect(out).toContain('@dave is not one of those who may approve (@bob or @carol)');
    expect(out).toContain('@bob: its SSH signature does not match its content: it was changed after it was signed');
    expect(out).toContain('@bob: it was signed for "handrail-record", not for handrail-approval');
    expect(out).toContain(`SSH key ${keys.dave.fingerprint} is not one of @carol's GitHub SSH signing keys`);
    expect(out).not.toContain(MARKER);
    expect(alice.recordFiles()).toEqual([]);
  }, 120_000);

  it('handrail approve refuses the operator and anyone outside `from` before anything is signed', async () => {
    const alice = person('alice');
    const running = alice.run();
    await until('the approval request', () => repoFile('/request.json') !== undefined);
    const self = await alice.approve('1\napproval-demo\n');
    expect(self.code).toBe(1);
    expect(self.stderr).toContain('handrail: you are the operator of this run (@alice); someone else must approve it.');
    const dave = await person('dave').approve('1\napproval-demo\n');
    expect(dave.code).toBe(1);
    expect(dave.stderr).toContain(
      'handrail: @dave is not one of those who may approve (@bob or @carol), so your approval would not count; nothing was signed.',
    );
    expect(Object.keys(server.state.team.files[REPO]!.files).filter((p) => p.startsWith(`${FOLDER}/`))).toEqual([`${FOLDER}/request.json`]);
    expect((await person('bob').approve('1\napproval-demo\n')).code).toBe(0);
    expect((await running).code).toBe(0);
  }, 120_000);

  it('asks GitHub whether an approver is in the team that may approve', async () => {
    await setRunbook('"@craton-co/release-managers"');
    const alice = person('alice');
    const base = { planDigest: DIGEST, runbook: { id: 'approval-demo', version: '1.0.0' } };
    plant('dave-1.json', await approvalFile({ ...base, key: keys.dave, approver: 'dave' }));
    const refused = await alice.run('--approval-timeout', '1s');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('@dave is not a member of @craton-co/release-managers (GitHub says so)');
    expect(refused.stdout).toContain('Waiting for an approval from members of @craton-co/release-managers');

    plant('bob-1.json', await approvalFile({ ...base, key: keys.bob, approver: 'bob' }));
    const result = await alice.run();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Not counted: @dave is not a member of @craton-co/release-managers (GitHub says so)');
    expect(result.stdout).toContain(`Approved by @bob (SSH key ${keys.bob.fingerprint})`);
    expect(result.stdout).toContain(MARKER);
    expect(server.requests.some((r) => r.path === '/orgs/craton-co/teams/release-managers/memberships/dave')).toBe(true);
    const predicate = predicateOf(readFileSync(join(alice.records, alice.recordFiles()[0]!)))!;
    expect(predicate.approval?.approvals.map((a) => a.approver)).toEqual(['bob']);
  }, 120_000);

  it('breaks glass with --without-approval: it runs, and the record, the end and the issue say NOT APPROVED with the reason', async () => {
    const alice = person('alice');
    const result = await alice.run('--without-approval', 'prod is down; nobody to approve', '--report-to', ISSUE);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(MARKER);
    expect(result.stdout).toContain('NOT APPROVED: started with --without-approval: prod is down; nobody to approve');
    // Said again at the end, beside the outcome.
    expect(result.stdout).toMatch(/Run completed\nNOT APPROVED: started with --without-approval: prod is down; nobody to approve\n/);
    const record = join(alice.records, alice.recordFiles()[0]!);
    expect(predicateOf(readFileSync(record))!.approval).toMatchObject({
      withoutApproval: 'prod is down; nobody to approve',
      approvals: [],
    });
    expect(server.state.team.issues[ISSUE]![0]!.body).toContain(
      '**Approval:** NOT APPROVED — started with --without-approval: prod is down; nobody to approve',
    );
    const verified = await runCli(['verify', record], { env: alice.env });
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain('Approval:  NOT APPROVED — started with --without-approval: prod is down; nobody to approve');
  }, 120_000);

  it('Ctrl-C (SIGINT) ends the wait in line mode: exit 1, nothing run, no record', async () => {
    const alice = person('alice');
    const child = spawn(process.execPath, [BIN, 'run', runbookPath, '--yes', '--plain', '--github-api', server.url], {
      env: { ...process.env, ...alice.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await until('the wait to begin', () => stdout.includes('Approved so far: nobody'));
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    expect(stderr).toContain('handrail: aborted while waiting for approval; nothing was run.');
    expect(stdout).not.toContain(MARKER);
    expect(alice.recordFiles()).toEqual([]);
  }, 60_000);

  it('refuses a bad --approval-timeout or an empty --without-approval reason: exit 2, nothing run', async () => {
    const alice = person('alice');
    const timeout = await alice.run('--approval-timeout', 'soon');
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toContain('handrail: --approval-timeout is not a duration: "soon"; write it like 30m, 2h or 90s.');
    const empty = await alice.run('--without-approval', ' ');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('handrail: --without-approval needs a reason');
    expect(alice.recordFiles()).toEqual([]);
    expect(repoFile('/request.json')).toBeUndefined();
  });

  it('drift from the approved plan stops the run before the change, --accept-drift or not: it needs a new approval', async () => {
    // The plan bob approves says the step echoes something else than the runbook now does.
    const text = runbookText('[bob, carol]');
    const approvedPlan: Plan = { inputs: {}, steps: [{ ...PLAN.steps[0]!, text: 'echo "what was rehearsed"' }] };
    const files = server.state.team.files[REPO]!.files;
    for (const path of Object.keys(files)) if (path.startsWith('records/approval-demo/')) delete files[path];
    const rehearsal = await rehearsalRecord({
      runbookText: text,
      runbookPath,
      meta: META,
      plan: approvedPlan,
      key: keys.alice,
      login: 'alice',
    });
    files[`records/approval-demo/${rehearsal.name}`] = rehearsal.bytes;
    const folder = `records/approval-demo/approvals/${planDigest(approvedPlan).slice('sha256:'.length)}`;

    const alice = person('alice');
    const running = alice.run('--accept-drift');
    await until('the approval request', () => files[`${folder}/request.json`] !== undefined);
    const bob = person('bob');
    expect((await bob.approve('1\napproval-demo\n')).code).toBe(0);

    const result = await running;
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout + result.stderr).toContain('drift from an approved plan cannot be accepted here');
    const [recordName] = alice.recordFiles();
    const predicate = predicateOf(readFileSync(join(alice.records, recordName!)))!;
    expect(predicate.outcome).toBe('aborted');
    expect(predicate.steps.map((step) => step.status)).toEqual(['not-run']);
    expect(predicate.approval?.approvals.map((a) => a.approver)).toEqual(['bob']);
  });

  it('lint refuses approval without records.repo and rehearsal.required, with file:line:col', async () => {
    const text = runbookText('[bob]')
      .replace(/records:\n {2}repo: .*\n/, '')
      .replace('required: true\n', 'required: false\n');
    writeFileSync(runbookPath, text);
    const result = await runCli(['lint', runbookPath]);
    expect(result.code).toBe(2);
    const line = text.split('\n').indexOf('approval:') + 1;
    expect(result.stdout + result.stderr).toContain(`${runbookPath}:${line}:1: front matter: approval needs records.repo`);
    expect(result.stdout + result.stderr).toContain(`${runbookPath}:${line}:1: front matter: approval needs rehearsal.required: true`);
  });
});

describe.skipIf(!hasTmux)('waiting for approval in a terminal (80×24)', () => {
  const tmuxRun = (alice: ReturnType<typeof person>) =>
    startTmux(`node ${BIN} run ${runbookPath} --github-api ${server.url}`, {
      cwd: dir,
      env: { ...(alice.env as Record<string, string>), TERM: 'xterm-256color' },
      columns: 80,
      rows: 24,
    });

  it('shows who may approve and the command, then starts by itself when the approval comes', async () => {
    const alice = person('alice');
    session = tmuxRun(alice);
    const waiting = await session.waitFor('q abort (nothing is run)');
    expect(waiting).toContain('handrail: LIVE run of Approval demo (approval-demo 1.0.0) waits for approval');
    expect(waiting).toContain('Waiting for an approval from @bob or @carol: they run');
    expect(waiting).toContain(`handrail approve ${REPO}`);
    expect(waiting).toContain('Approved so far: nobody');
    if (process.env.HANDRAIL_SHOW_SCREENS) console.log(waiting);

    const approved = await person('bob').approve('1\napproval-demo\n');
    expect(approved.code, approved.stderr).toBe(0);
    const preflight = await session.waitFor('Press Enter to start');
    expect(preflight).toContain(`Approved by @bob (SSH key ${keys.bob.fingerprint})`);
    session.send('Enter');
    const end = await session.waitFor(/Run completed[\s\S]*Verify it with/);
    expect(end).not.toContain('NOT APPROVED');
    const predicate = predicateOf(readFileSync(join(alice.records, alice.recordFiles()[0]!)))!;
    expect(predicate.approval?.approvals.map((a) => a.approver)).toEqual(['bob']);
  }, 120_000);

  it('q aborts the wait: exit 1, nothing run, no record', async () => {
    const alice = person('alice');
    session = tmuxRun(alice);
    await session.waitFor('q abort (nothing is run)');
    session.send('q');
    const after = await session.waitFor('EXIT=');
    expect(after).toContain('aborted while waiting for approval; nothing was run');
    expect(after).toContain('EXIT=1');
    expect(alice.recordFiles()).toEqual([]);
  }, 60_000);

  it('handrail approve: the list, the whole plan in a pager, the typed yes', async () => {
    const alice = person('alice');
    const bob = person('bob');
    const running = alice.run();
    await until('the approval request', () => repoFile('/request.json') !== undefined);
    session = startTmux(`node ${BIN} approve ${REPO} --github-api ${server.url}`, {
      cwd: dir,
      env: { ...(bob.env as Record<string, string>), TERM: 'xterm-256color' },
      columns: 80,
      rows: 24,
    });
    const list = await session.waitFor('Review which plan?');
    expect(list).toContain('1. approval-demo 1.0.0 — Approval demo');
    session.type('1');
    session.send('Enter');
    const plan = await session.waitFor('a approve · q quit');
    expect(plan).toContain(`Plan ${DIGEST}`);
    expect(plan).toContain(`│ echo "${MARKER}"`);
    expect(plan).toMatch(/lines 1-\d+ of \d+/);
    if (process.env.HANDRAIL_SHOW_SCREENS) console.log(`${list}\n-----\n${plan}`);
    session.send('a');
    const ask = await session.waitFor('Type approval-demo to approve');
    session.type('approval-demo');
    session.send('Enter');
    const done = await session.waitFor('EXIT=');
    if (process.env.HANDRAIL_SHOW_SCREENS) console.log(`-----\n${ask}\n-----\n${done}`);
    expect(done).toMatch(/Approved: committed/);
    expect(done).toContain('EXIT=0');
    const result = await running;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(MARKER);
  }, 120_000);
});
