// SPEC §6.3, tried as an attacker would: a rehearsal counts only when its record verifies (this
// machine's record key, in the real gnome-keyring, or an SSH signature GitHub lists for the operator
// it names), its time is the signed `end`, records that do not count are named, and junk in the
// team's folder cannot hide a real rehearsal. Real CLI, real ssh-keygen, the loopback GitHub.
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { runCli, tempHome, type CliResult } from '../helpers/cli';
import { startGithubServer, type GithubServer } from '../helpers/github-server';
import { repoFiles } from '../helpers/github-team';
import { describeKeychain } from '../helpers/keyring';
import { makeKey } from '../helpers/ssh';
import { IN_TOTO_PAYLOAD_TYPE, keyId, signEnvelope } from '../../src/record/dsse';
import { loadSigningKey, type SigningKey } from '../../src/record/keys';
import { compactUtc } from '../../src/record/write';
import type { Statement } from '../../src/record/predicate';

const REPO = 'craton-co/ops-records';
const MARKER = 'LIVE-STEP-RAN-5c1e';
const runbookText = (repo: boolean) => `---
id: trust-demo
title: Trust demo
version: 1.0.0
${repo ? `github:\n  token: GH_PAT\nrecords:\n  repo: ${REPO}\nsecrets:\n  GH_PAT:\n    prompt: A GitHub token\n    env: TEST_GH_PAT\n` : ''}rehearsal:
  required: true
  within: 14d
---

# Trust demo

## Say hello

\`\`\`sh run${repo ? ' secrets=GH_PAT' : ''}
echo "${MARKER}"
\`\`\`
`;

const ALICE = 'ghp_aliceTrust0123456789abcdefABCDEF';
const stranger = generateKeyPairSync('ed25519');
const strangerKey = { privateKey: stranger.privateKey, keyid: keyId(stranger.publicKey) };

let server: GithubServer;
let runbookPath: string;
let machineKey: SigningKey;

/** One operator on this machine: the real keyring's record key, a state folder of their own. */
function operator(extra: Record<string, string> = {}) {
  const home = tempHome('handrail-trust-');
  const env = {
    ...home.env,
    TEST_GH_PAT: ALICE,
    GH_TOKEN: '',
    GITHUB_TOKEN: '',
    HANDRAIL_SSH_SIGNING_KEY: 'none',
    HANDRAIL_RECORDS_REPO: '',
    HANDRAIL_REPORT_TO: '',
    ...extra,
  };
  const records = join(home.env.XDG_STATE_HOME!, 'handrail', 'records');
  return {
    env,
    records,
    run: (...args: string[]): Promise<CliResult> =>
      runCli(['run', runbookPath, '--yes', '--plain', '--github-api', server.url, ...args], { env }),
    files: () => readdirSync(records).filter((n) => n.endsWith('.json')),
  };
}

const statementOf = (text: string | Buffer): Statement =>
  JSON.parse(Buffer.from(JSON.parse(String(text)).payload, 'base64').toString('utf8'));
const signed = (statement: Statement, key: { privateKey: SigningKey['privateKey']; keyid: string }) =>
  `${JSON.stringify(signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), key.privateKey, key.keyid), null, 2)}\n`;
/** A statement moved in time: `end` (and `start`) set to `at`. */
const dated = (statement: Statement, at: Date): Statement => ({
  ...statement,
  predicate: { ...statement.predicate, start: at.toISOString(), end: at.toISOString() },
});
const fileFor = (at: Date) => `trust-demo-${compactUtc(at.toISOString())}-completed.json`;

/** A genuine rehearsal on this machine, its file path and its text. */
async function rehearse(op: ReturnType<typeof operator>): Promise<{ path: string; text: string }> {
  const r = await op.run('--dry-run');
  expect(r.code, r.stderr).toBe(0);
  const [name] = op.files();
  const path = join(op.records, name!);
  return { path, text: readFileSync(path, 'utf8') };
}

/** The live run was refused before step 1: exit 2, the step never ran, no live record. */
function expectShut(live: CliResult, op: ReturnType<typeof operator>, named: string): void {
  expect(live.code, live.stdout + live.stderr).toBe(2);
  expect(live.stderr).toContain('must be rehearsed before a live run');
  expect(live.stdout).not.toContain(MARKER);
  expect(op.files().map((n) => statementOf(readFileSync(join(op.records, n))).predicate.mode)).not.toContain('live');
  // The record that did not count is named, with why.
  expect(live.stderr).toMatch(/warning: .*do(es)? not count/);
  expect(live.stderr).toContain(named);
}

beforeAll(async () => {
  // Made once, in the keyring the spawned CLI uses too: "this machine's record key".
  machineKey = (await loadSigningKey({ create: true }))!;
  expect(machineKey.source).toBe('keychain');
});
beforeEach(async () => {
  server = await startGithubServer({ state: { tokens: { [ALICE]: { login: 'alice', scopes: ['repo'] } } } });
  server.state.team.files[REPO] = repoFiles({ 'README.md': '# ops records\n' });
  runbookPath = join(tempHome('handrail-trust-rb-').root, 'trust-demo.md');
  writeFileSync(runbookPath, runbookText(false));
});
afterEach(() => server.close());

describeKeychain('a local rehearsal counts only when it verifies', () => {
  it('a genuine rehearsal signed by this machine opens the gate and is cited', async () => {
    const op = operator();
    await rehearse(op);
    const live = await op.run();
    expect(live.code, live.stderr).toBe(0);
    expect(live.stdout).toContain(MARKER);
    expect(live.stdout).toMatch(/Rehearsed by \S+ at .* \(these same bytes;/);
    expect(live.stderr).not.toContain('does not count');
  });

  const forgeries: [string, (text: string) => string][] = [
    ['with no signatures', (t) => JSON.stringify({ ...JSON.parse(t), signatures: undefined })],
    ['with empty signatures', (t) => JSON.stringify({ ...JSON.parse(t), signatures: [] })],
    ["signed by another machine's key", (t) => signed(statementOf(t), strangerKey)],
    [
      'with its payload edited after signing',
      (t) => {
        const e = JSON.parse(t);
        const s = statementOf(t);
        s.predicate.operator.githubLogin = 'alice';
        return JSON.stringify({ ...e, payload: Buffer.from(JSON.stringify(s)).toString('base64') });
      },
    ],
  ];
  it.each(forgeries)('a rehearsal record %s keeps the gate shut and is named', async (_, forge) => {
    const op = operator();
    const { path, text } = await rehearse(op);
    writeFileSync(path, forge(text));
    expectShut(await op.run(), op, path.split('/').at(-1)!);
  });

  it('a record dated in the future, signed by this machine, does not count', async () => {
    const op = operator();
    const { path, text } = await rehearse(op);
    const future = new Date(Date.now() + 60 * 60_000);
    writeFileSync(path, signed(dated(statementOf(text), future), machineKey));
    const live = await op.run();
    expectShut(live, op, path.split('/').at(-1)!);
    expect(live.stderr).toMatch(/in the future/);
  });

  it('an old rehearsal outside the window does not pass by being renamed: its time is the signed end', async () => {
    const op = operator();
    const { path, text } = await rehearse(op);
    const old = new Date(Date.now() - 30 * 24 * 3600_000);
    const oldPath = join(op.records, fileFor(old));
    writeFileSync(path, signed(dated(statementOf(text), old), machineKey));
    renameSync(path, oldPath);
    // Renamed back to a fresh name: the name says now, the signature says 30 days ago.
    const renamed = join(op.records, fileFor(new Date()));
    renameSync(oldPath, renamed);
    const live = await op.run();
    expectShut(live, op, renamed.split('/').at(-1)!);
  });

  it('a forgery dated after a genuine rehearsal is named in line mode and --json, and the genuine one is relied on', async () => {
    const op = operator();
    const { text } = await rehearse(op);
    const later = new Date(Date.now() + 60_000);
    const forged = join(op.records, fileFor(later));
    writeFileSync(forged, signed(dated(statementOf(text), later), strangerKey));
    const line = await op.run();
    expect(line.code, line.stderr).toBe(0);
    expect(line.stderr).toContain(
      `warning: 1 record found for trust-demo does not count as a rehearsal: ${forged} (it is signed by another machine's key`,
    );
    const json = await op.run('--json');
    expect(json.code, json.stderr).toBe(0);
    const events = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; message?: string; reliedOn?: { location: string } });
    expect(events.find((e) => e.type === 'warning' && e.message?.includes('does not count'))?.message).toContain(forged);
    expect(events.find((e) => e.type === 'rehearsal-checked')?.reliedOn?.location).not.toBe(forged);
  });

  it('a rehearsal dated within the skew (2 minutes ahead) still counts', async () => {
    const op = operator();
    const { path, text } = await rehearse(op);
    writeFileSync(path, signed(dated(statementOf(text), new Date(Date.now() + 2 * 60_000)), machineKey));
    const live = await op.run();
    expect(live.code, live.stderr).toBe(0);
  });
});

describeKeychain("the team's rehearsals count only when they verify", () => {
  /** A rehearsal made on another machine (its own file key) by `login`, optionally SSH-signed. */
  async function teammateRehearsal(login: string, sshKey?: string): Promise<{ text: string; name: string }> {
    const home = tempHome(`handrail-trust-${login}-`);
    const env = {
      ...home.env,
      HANDRAIL_NO_KEYCHAIN: '1',
      GH_TOKEN: '',
      GITHUB_TOKEN: '',
      HANDRAIL_SSH_SIGNING_KEY: sshKey ?? 'none',
      HANDRAIL_RECORDS_REPO: '',
      HANDRAIL_REPORT_TO: '',
      TEST_GH_PAT: `ghp_${login}Trust0123456789abcdefABCDEF`,
    };
    server.state.tokens[env.TEST_GH_PAT] = { login, scopes: ['repo'] };
    const records = join(home.env.XDG_STATE_HOME!, 'handrail', 'records');
    // Published by the run itself, as a teammate's would be.
    const r = await runCli(['run', runbookPath, '--yes', '--plain', '--dry-run', '--github-api', server.url], { env });
    expect(r.code, r.stderr).toBe(0);
    const [name] = readdirSync(records);
    return { text: readFileSync(join(records, name!), 'utf8'), name: name! };
  }
  const teamPath = (name: string) => `records/trust-demo/${name}`;
  const put = (name: string, bytes: string | Buffer) => (server.state.team.files[REPO]!.files[teamPath(name)] = Buffer.from(bytes));

  beforeEach(() => writeFileSync(runbookPath, runbookText(true)));

  it("a teammate's rehearsal signed by the SSH key GitHub lists for them opens the gate", async () => {
    const key = makeKey(tempHome('handrail-trust-keys-').root, 'bob');
    server.state.sshSigningKeys = { bob: [{ key: key.line }] };
    const { name } = await teammateRehearsal('bob', key.path);
    expect(Object.keys(server.state.team.files[REPO]!.files)).toContain(teamPath(name));
    const alice = operator();
    const live = await alice.run();
    expect(live.code, live.stderr).toBe(0);
    expect(live.stdout).toMatch(/Rehearsed by @bob at .* \(these same bytes; craton-co\/ops-records:records\/trust-demo\//);
    const [liveName] = alice.files();
    const reliedOn = statementOf(readFileSync(join(alice.records, liveName!))).predicate.rehearsal?.reliedOn;
    expect(reliedOn?.operator).toBe('@bob');
    // verify says which rehearsal the live run relied on: its record's sha256, who, when.
    const verified = await runCli(['verify', join(alice.records, liveName!)], { env: alice.env });
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain(
      `Rehearsal: relied on @bob's, ended ${reliedOn!.at} (record sha256 ${reliedOn!.recordSha256}, ${reliedOn!.location})`,
    );
  });

  it('an unsigned record committed to the team repository claiming @alice keeps the gate shut', async () => {
    const { text, name } = await teammateRehearsal('bob');
    const s = statementOf(text);
    s.predicate.operator.githubLogin = 'alice';
    put(
      name,
      JSON.stringify({ payloadType: IN_TOTO_PAYLOAD_TYPE, payload: Buffer.from(JSON.stringify(s)).toString('base64'), signatures: [] }),
    );
    const alice = operator();
    const live = await alice.run();
    expect(live.stdout).not.toMatch(/Rehearsed by @alice/);
    expectShut(live, alice, name);
  });

  it("a teammate's SSH-signed rehearsal edited to claim @alice keeps the gate shut", async () => {
    const key = makeKey(tempHome('handrail-trust-keys-').root, 'bob');
    server.state.sshSigningKeys = { bob: [{ key: key.line }], alice: [{ key: key.line }] };
    const { text, name } = await teammateRehearsal('bob', key.path);
    const s = statementOf(text);
    s.predicate.operator.githubLogin = 'alice';
    put(name, JSON.stringify({ ...JSON.parse(text), payload: Buffer.from(JSON.stringify(s)).toString('base64') }));
    const alice = operator();
    const live = await alice.run();
    expectShut(live, alice, name);
    expect(live.stderr).toMatch(/bad SSH signature/);
  });

  it("a teammate's rehearsal counts only when GitHub can be asked whose key signed it", async () => {
    const key = makeKey(tempHome('handrail-trust-keys-').root, 'bob');
    server.state.sshSigningKeys = { bob: [{ key: key.line }] };
    const { name } = await teammateRehearsal('bob', key.path);
    server.state.team.down = ({ path }) => path.includes('/ssh_signing_keys');
    const alice = operator();
    const live = await alice.run();
    expectShut(live, alice, name);
    expect(live.stderr).toMatch(/its SSH signature could not be checked/);
  });

  it("a teammate's rehearsal signed by an SSH key that is not theirs on GitHub keeps the gate shut", async () => {
    const keys = tempHome('handrail-trust-keys-').root;
    const mallory = makeKey(keys, 'mallory');
    const bob = makeKey(keys, 'bob');
    server.state.sshSigningKeys = { bob: [{ key: bob.line }] };
    const { name } = await teammateRehearsal('bob', mallory.path);
    const live = await operator().run();
    expect(live.code).toBe(2);
    expect(live.stderr).toContain(name);
    expect(live.stderr).toMatch(/not one of @bob's GitHub SSH signing keys/);
  });

  it('twenty-five junk records dated in the future cannot hide a real rehearsal, and are counted in the warning', async () => {
    const key = makeKey(tempHome('handrail-trust-keys-').root, 'bob');
    server.state.sshSigningKeys = { bob: [{ key: key.line }] };
    await teammateRehearsal('bob', key.path);
    for (let i = 0; i < 25; i++) put(`trust-demo-2099${String(i + 10).padStart(4, '0')}T000000Z-completed.json`, `{"junk": ${i}}`);
    const live = await operator().run();
    expect(live.code, live.stderr).toBe(0);
    expect(live.stdout).toMatch(/Rehearsed by @bob/);
    expect(live.stderr).toMatch(/warning: 25 records .* do not count/);
    // Bounded: the first few are named, not all 25.
    expect(live.stderr.match(/trust-demo-2099/g)!.length).toBeLessThanOrEqual(3);
  });

  it('a flood of junk with plausible names larger than the fetch bound is read over runs, and the warning says so', async () => {
    const key = makeKey(tempHome('handrail-trust-keys-').root, 'bob');
    server.state.sshSigningKeys = { bob: [{ key: key.line }] };
    await teammateRehearsal('bob', key.path);
    // Named newer than bob's (up to 4 minutes ahead, inside the clock skew), so no name order can favour his.
    const soon = Date.now() + 4 * 60_000;
    for (let i = 0; i < 130; i++) put(fileFor(new Date(soon - i * 1000)).replace('.json', `-${i + 2}.json`), `{"junk": ${i}}`);
    const alice = operator();
    const first = await alice.run();
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/were not read/);
    // What was read is cached by content: the next run reads on and finds bob's rehearsal.
    const second = await alice.run();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/Rehearsed by @bob/);
  });
});
