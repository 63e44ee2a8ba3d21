// Who ran it (SPEC §6.1) with the real ssh-keygen and ssh-agent: records signed with the operator's
// SSH signing key, and that key checked against the loopback GitHub's /users/{login}/ssh_signing_keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRecordIdentity, checkRecordOnGithub, githubKeyCache } from '../../src/record/identity';
import { findSshIdentity, type SshIdentity } from '../../src/record/ssh-identity';
import { verifyRecord } from '../../src/record/verify';
import { startGithubServer, type GithubServer } from '../helpers/github-server';
import { agentsPerTest, makeKey, type TestKey } from '../helpers/ssh';
import { recordRun, testSigningKey } from './record-fixtures';
import { chooseGithubApi } from '../../src/github/hosts';

const localKey = testSigningKey();

let dir: string;
let github: GithubServer;
let alice: TestKey;
let bob: TestKey;
const { agent, noAgent } = agentsPerTest(() => dir);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'handrail-identity-'));
  alice = makeKey(dir, 'alice');
  bob = makeKey(dir, 'bob');
  github = await startGithubServer({ state: { sshSigningKeys: { alice: [{ key: alice.line }], bob: [{ key: bob.line }] } } });
  chooseGithubApi(github.url);
});
afterAll(() => github.close());

/** git reads only this global config file: what the operator's ~/.gitconfig would say. */
function gitEnv(home: string, globalConfig: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, GIT_CONFIG_GLOBAL: globalConfig, GIT_CONFIG_NOSYSTEM: '1' };
}

/** A run recorded with the given SSH identity and GitHub login. */
function record(
  identity: SshIdentity,
  login: string | undefined,
  options: { beforeFinish?: () => void; outcome?: 'completed' | 'failed' } = {},
) {
  return recordRun(dir, { signingKey: localKey, identity, login, ...options });
}

const envelopeOf = (text: string) => JSON.parse(text) as { payload: string; signatures: { keyid: string; sig: string }[] };
const predicateOf = (text: string) => JSON.parse(Buffer.from(envelopeOf(text).payload, 'base64').toString('utf8')).predicate;
const onGithub = (text: string) => checkRecordOnGithub(text, { baseUrl: github.url });

describe('finding the SSH signing key as git does', () => {
  it('signs with an unencrypted key file: a second signature, keyed by the fingerprint, and the predicate names key and login', async () => {
    noAgent();
    const identity = await findSshIdentity({ env: { HANDRAIL_SSH_SIGNING_KEY: alice.path } });
    expect(identity).toMatchObject({ status: 'ready', signer: { via: alice.path, key: { fingerprint: alice.fingerprint } } });
    const { text } = await record(identity, 'alice');
    const envelope = envelopeOf(text);
    expect(envelope.signatures).toHaveLength(2);
    expect(envelope.signatures[0]!.keyid).toBe(localKey.keyid);
    expect(envelope.signatures[1]!.keyid).toBe(alice.fingerprint);
    expect(Buffer.from(envelope.signatures[1]!.sig, 'base64').toString()).toMatch(/^-----BEGIN SSH SIGNATURE-----/);
    expect(predicateOf(text).operator).toMatchObject({
      githubLogin: 'alice',
      sshSigningKey: { publicKey: alice.line, fingerprint: alice.fingerprint },
    });
    // The Ed25519 signature still verifies as before.
    expect(verifyRecord(text, [{ key: localKey.publicKey, label: 'local' }]).ok).toBe(true);
    expect(await onGithub(text)).toEqual({
      status: 'verified',
      login: 'alice',
      fingerprint: alice.fingerprint,
      by: 'GitHub SSH signing key',
    });
  });

  it('signs through ssh-agent with a passphrase-protected key, found from git config user.signingkey naming the .pub', async () => {
    const encrypted = makeKey(mkdtempSync(join(dir, 'enc-')), 'alice2', 'correct horse');
    agent().add(encrypted, 'correct horse');
    const repo = mkdtempSync(join(dir, 'repo-'));
    writeFileSync(join(repo, 'gitconfig'), `[gpg]\n\tformat = ssh\n[user]\n\tsigningkey = ${encrypted.path}.pub\n`);
    const identity = await findSshIdentity({ env: gitEnv(repo, join(repo, 'gitconfig')), cwd: repo });
    expect(identity).toMatchObject({ status: 'ready', signer: { via: 'ssh-agent' } });
    github.state.sshSigningKeys.alice2 = [{ key: encrypted.line }];
    const { text } = await record(identity, 'alice2');
    expect(await onGithub(text)).toMatchObject({ status: 'verified', login: 'alice2', fingerprint: encrypted.fingerprint });
  });

  it('signs with a key:: literal whose private half is in ssh-agent', async () => {
    agent().add(alice);
    const identity = await findSshIdentity({ env: { HANDRAIL_SSH_SIGNING_KEY: `key::${alice.line} alice@laptop` } });
    expect(identity).toMatchObject({ status: 'ready', signer: { via: 'ssh-agent' } });
    const { text } = await record(identity, 'alice');
    expect(await onGithub(text)).toMatchObject({ status: 'verified', login: 'alice' });
  });

  it('catches an encrypted key with no agent before the run: it would ask for a passphrase at the end', async () => {
    noAgent();
    const encrypted = makeKey(mkdtempSync(join(dir, 'enc-')), 'carol', 'secret words');
    for (const setting of [encrypted.path, `${encrypted.path}.pub`]) {
      const identity = await findSshIdentity({ env: { HANDRAIL_SSH_SIGNING_KEY: setting } });
      expect(identity.status).toBe('problem');
      expect(identity.status === 'problem' && identity.message).toContain(`add it to ssh-agent: ssh-add ${encrypted.path}`);
    }
    // Also with an agent that does not hold it.
    agent();
    const identity = await findSshIdentity({ env: { HANDRAIL_SSH_SIGNING_KEY: encrypted.path } });
    expect(identity.status === 'problem' && identity.message).toMatch(/needs a passphrase and it is not in ssh-agent.*ssh-add /);
  });

  it('says how to set it up when nothing is configured', async () => {
    const repo = mkdtempSync(join(dir, 'repo-'));
    const identity = await findSshIdentity({ env: gitEnv(repo, join(repo, 'none')), cwd: repo });
    expect(identity).toMatchObject({ status: 'none' });
    expect(identity.status === 'none' && identity.setup).toContain('git config --global gpg.format ssh');
  });
});

describe('a record whose SSH signature could not be made at the end', () => {
  it('is still written, signed by the local key, and says why the SSH signature is missing', async () => {
    const a = agent();
    a.add(alice);
    const identity = await findSshIdentity({ env: { HANDRAIL_SSH_SIGNING_KEY: `key::${alice.line}` } });
    expect(identity.status).toBe('ready');
    const { text, events } = await record(identity, 'alice', { beforeFinish: () => a.stop() });
    const envelope = envelopeOf(text);
    expect(envelope.signatures.map((s) => s.keyid)).toEqual([localKey.keyid]);
    expect(verifyRecord(text, [{ key: localKey.publicKey, label: 'local' }]).ok).toBe(true);
    const operator = predicateOf(text).operator;
    expect(operator.sshSigningKey).toBeUndefined();
    expect(operator.sshSignatureMissing).toMatch(
      new RegExp(`signing with SSH key ${alice.fingerprint.replace(/[+/]/g, '\\$&')} failed at the end: ssh-keygen could not sign`),
    );
    expect(
      events.some((e) => e.type === 'warning' && e.message.startsWith(`the record is not signed with your SSH key ${alice.fingerprint}`)),
    ).toBe(true);
    const verdict = await onGithub(text);
    expect(verdict.status).toBe('unsigned');
    expect(verdict.status === 'unsigned' && verdict.reason).toContain('failed at the end');
  });
});

describe('refusals', () => {
  it("refuses a key GitHub lists for another user: the record names alice, the key is bob's", async () => {
    noAgent();
    const { text } = await record(await findSshIdentity({ env: { HANDRAIL_SSH_SIGNING_KEY: bob.path } }), 'alice');
    const verdict = await onGithub(text);
    expect(verdict).toMatchObject({ status: 'refused', login: 'alice', fingerprint: bob.fingerprint });
    expect(verdict.status === 'refused' && verdict.reason).toContain(
      `SSH key ${bob.fingerprint} is not one of @alice's GitHub SSH signing keys`,
    );
  });

  it('refuses a record that names another login than the owner of the key that signed it', async () => {
    noAgent();
    const { text } = await record(await findSshIdentity({ env: { HANDRAIL_SSH_SIGNING_KEY: alice.path } }), 'bob');
    const verdict = await onGithub(text);
    expect(verdict).toMatchObject({ status: 'refused', login: 'bob' });
    expect(verdict.status === 'refused' && verdict.reason).toContain("is not one of @bob's GitHub SSH signing keys");
  });

  // A record is handed over by someone else: every malformed envelope is a one-sentence refusal, before
  // any ssh-keygen runs, never a crash or an accepted identity (npm run mutate found none of these tested).
  it('refuses a hostile or malformed envelope with one sentence, and never reads a damaged SSH signature', async () => {
    noAgent();
    const { text } = await record(await findSshIdentity({ env: { HANDRAIL_SSH_SIGNING_KEY: alice.path } }), 'alice');
    const good = envelopeOf(text);
    const ssh = good.signatures.find((s) => s.keyid.startsWith('SHA256:'))!;
    const local = good.signatures.find((s) => !s.keyid.startsWith('SHA256:'))!;
    const notRecord = 'the file is not a handrail record.';
    const notStatement = 'the payload is not a handrail statement.';
    const damaged = 'the SSH signature is damaged (not an armored SSH signature).';
    const cases: [string, unknown, string][] = [
      ['not JSON', '{"payload":', notRecord],
      ['JSON null', null, notRecord],
      ['another payload type', { ...good, payloadType: 'text/plain' }, notRecord],
      ['a payload that is not a string', { ...good, payload: 42 }, notRecord],
      ['no payload type', { payload: good.payload, signatures: good.signatures }, notRecord],
      ['signatures that are not a list', { ...good, signatures: { 0: ssh } }, notRecord],
      ['a payload that is not base64', { ...good, payload: `${good.payload}!` }, notStatement],
      ['a payload that is JSON but no statement', { ...good, payload: Buffer.from('{"a":1}').toString('base64') }, notStatement],
      ['an SSH signature that is not base64', { ...good, signatures: [local, { keyid: ssh.keyid, sig: '%%%' }] }, damaged],
      [
        'an SSH signature that is not armored',
        { ...good, signatures: [local, { keyid: ssh.keyid, sig: Buffer.from('hello').toString('base64') }] },
        damaged,
      ],
    ];
    for (const [what, envelope, reason] of cases) {
      const verdict = await onGithub(typeof envelope === 'string' ? envelope : JSON.stringify(envelope));
      expect(verdict, what).toEqual({ status: 'refused', byBytes: true, reason });
    }
    // Entries that are not {keyid, sig} strings are passed over; the good SSH signature is still found.
    const odd = { ...good, signatures: [null, 7, { keyid: 1, sig: ssh.sig }, { keyid: ssh.keyid, sig: 5 }, { sig: ssh.sig }, local, ssh] };
    expect(await onGithub(JSON.stringify(odd))).toMatchObject({ status: 'verified', login: 'alice' });
    // With only malformed SSH entries left, the record counts as carrying no SSH signature.
    const none = await onGithub(JSON.stringify({ ...good, signatures: [{ keyid: ssh.keyid, sig: 5 }, local] }));
    expect(none.status).toBe('unsigned');
  });

  it('refuses an SSH signature over a changed payload', async () => {
    noAgent();
    const { text } = await record(await findSshIdentity({ env: { HANDRAIL_SSH_SIGNING_KEY: alice.path } }), 'alice');
    const envelope = envelopeOf(text);
    envelope.payload = Buffer.from(Buffer.from(envelope.payload, 'base64').toString().replace('"completed"', '"failed"')).toString(
      'base64',
    );
    const verdict = await onGithub(JSON.stringify(envelope));
    expect(verdict.status).toBe('refused');
    expect(verdict.status === 'refused' && verdict.reason).toMatch(/^bad SSH signature: it was not made over this record/);
  });

  it('refuses an SSH signature copied from another record of the same operator', async () => {
    noAgent();
    const identity = await findSshIdentity({ env: { HANDRAIL_SSH_SIGNING_KEY: alice.path } });
    const mine = await record(identity, 'alice', { outcome: 'failed' });
    const other = await record(identity, 'alice');
    const forged = envelopeOf(mine.text);
    forged.signatures[1] = envelopeOf(other.text).signatures[1]!;
    expect((await onGithub(mine.text)).status).toBe('verified');
    const verdict = await onGithub(JSON.stringify(forged));
    expect(verdict.status === 'refused' && verdict.reason).toContain('copied from another record');
  });

  it('checks against a git-style allowed-signers file offline, and says who is listed for the key', async () => {
    noAgent();
    const { text } = await record(await findSshIdentity({ env: { HANDRAIL_SSH_SIGNING_KEY: alice.path } }), 'alice');
    const allowed = { text: `alice namespaces="handrail-record" ${alice.line}\nbob ${bob.line}\n`, label: 'team.allowed' };
    expect(await checkRecordIdentity(text, { allowedSigners: allowed })).toMatchObject({
      status: 'verified',
      login: 'alice',
      by: 'SSH key listed in team.allowed',
    });
    const swapped = { text: `bob ${alice.line}\n`, label: 'team.allowed' };
    const verdict = await checkRecordIdentity(text, { allowedSigners: swapped });
    expect(verdict.status === 'refused' && verdict.reason).toContain(
      `does not list SSH key ${alice.fingerprint} for alice (it lists that key for bob)`,
    );
  });

  it('refuses a record naming a login GitHub does not know (404 is an answer, not an outage)', async () => {
    noAgent();
    const { text } = await record(await findSshIdentity({ env: { HANDRAIL_SSH_SIGNING_KEY: alice.path } }), 'carol');
    const verdict = await onGithub(text);
    expect(verdict.status).toBe('refused');
    expect(verdict.status === 'refused' && verdict.reason).toBe(
      'the record names @carol, but GitHub has no user @carol (GET /users/carol/ssh_signing_keys answered 404).',
    );
  });

  it('asks GitHub once per signer however many records name them', async () => {
    noAgent();
    const identity = await findSshIdentity({ env: { HANDRAIL_SSH_SIGNING_KEY: alice.path } });
    const records = [await record(identity, 'alice'), await record(identity, 'alice')];
    const before = github.requests.length;
    const keysFor = githubKeyCache(github.url);
    for (const r of records) expect((await checkRecordOnGithub(r.text, { baseUrl: github.url, keysFor })).status).toBe('verified');
    const asked = github.requests.slice(before);
    expect(asked.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /users/alice/ssh_signing_keys']);
    expect(asked[0]!.headers.authorization).toBeUndefined();
  });
});
