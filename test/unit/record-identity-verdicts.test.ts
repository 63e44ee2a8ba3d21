// The verdicts of `verify --github` / `--allowed-signers` on records an attacker or a careless tool
// could hand over: an SSH signature made for something else, a record that names another key than
// the one that signed, a login that is not a GitHub login. Each record here is a real one (made by
// the recorder, SSH-signed by the real ssh-keygen), then edited and signed again by ssh-keygen the
// way a forger with the key would: the signature is good, so only the check named can refuse it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pae } from '../../src/record/dsse';
import { checkRecordIdentity, checkRecordOnGithub } from '../../src/record/identity';
import { findSshIdentity } from '../../src/record/ssh-identity';
import { startGithubServer, type GithubServer } from '../helpers/github-server';
import { makeKey, type TestKey } from '../helpers/ssh';
import { recordRun, testSigningKey } from './record-fixtures';
import { chooseGithubApi } from '../../src/github/hosts';

let dir: string;
let github: GithubServer;
let alice: TestKey;
let bob: TestKey;
/** A real record of a run by @alice, SSH-signed with alice's key. */
let original: Envelope;
const savedSocket = process.env.SSH_AUTH_SOCK;

interface Envelope {
  payloadType: string;
  payload: string;
  signatures: { keyid: string; sig: string }[];
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type StatementJson = { predicate: { operator: Record<string, any> } } & Record<string, unknown>;

beforeAll(async () => {
  delete process.env.SSH_AUTH_SOCK;
  dir = mkdtempSync(join(tmpdir(), 'handrail-verdicts-'));
  alice = makeKey(dir, 'alice');
  bob = makeKey(dir, 'bob');
  github = await startGithubServer({ state: { sshSigningKeys: { alice: [{ key: alice.line }], bob: [{ key: bob.line }] } } });
  chooseGithubApi(github.url);
  const identity = await findSshIdentity({ env: { HANDRAIL_SSH_SIGNING_KEY: alice.path } });
  const { text } = await recordRun(dir, { signingKey: testSigningKey(), identity, login: 'alice' });
  original = JSON.parse(text) as Envelope;
});
afterAll(() => {
  github.close();
  if (savedSocket !== undefined) process.env.SSH_AUTH_SOCK = savedSocket;
});

const statementOf = (envelope: Envelope) => JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as StatementJson;

/** The record with its statement edited, SSH-signed again over the new bytes by `key` for `namespace`. */
function forge(edit: (s: StatementJson) => void, options: { key?: TestKey; namespace?: string; keyid?: string } = {}): string {
  const statement = statementOf(original);
  edit(statement);
  const body = Buffer.from(JSON.stringify(statement));
  const key = options.key ?? alice;
  const data = join(mkdtempSync(join(dir, 'forge-')), 'pae');
  writeFileSync(data, pae(original.payloadType, body));
  execFileSync('ssh-keygen', ['-Y', 'sign', '-q', '-n', options.namespace ?? 'handrail-record', '-f', key.path, data]);
  const sig = readFileSync(`${data}.sig`).toString('base64');
  const local = original.signatures.find((s) => !s.keyid.startsWith('SHA256:'))!;
  return JSON.stringify({
    ...original,
    payload: body.toString('base64'),
    signatures: [local, { keyid: options.keyid ?? key.fingerprint, sig }],
  });
}
const onGithub = (text: string) => checkRecordOnGithub(text, { baseUrl: github.url });

describe('an SSH signature that is good but does not make the record anyone’s', () => {
  it('the unedited record, signed again, still verifies (the forging here changes only what each case says)', async () => {
    expect(await onGithub(forge(() => {}))).toEqual({
      status: 'verified',
      login: 'alice',
      fingerprint: alice.fingerprint,
      by: 'GitHub SSH signing key',
    });
  });

  it('refuses a signature made for git commits (another namespace), even over these very bytes', async () => {
    expect(await onGithub(forge(() => {}, { namespace: 'git' }))).toEqual({
      status: 'refused',
      byBytes: true,
      fingerprint: alice.fingerprint,
      reason: 'the SSH signature was made for "git", not for handrail records.',
    });
  });

  it('refuses a record that carries an SSH signature but names no SSH key', async () => {
    const text = forge((s) => delete s.predicate.operator.sshSigningKey);
    expect(await onGithub(text)).toEqual({
      status: 'refused',
      byBytes: true,
      fingerprint: alice.fingerprint,
      reason: 'the record carries an SSH signature but does not name the SSH key that made it.',
    });
  });

  it("refuses a record that names bob's key but was signed with alice's, and a keyid that names neither", async () => {
    const namesBob = forge((s) => (s.predicate.operator.sshSigningKey = { publicKey: bob.line, fingerprint: bob.fingerprint }));
    expect(await onGithub(namesBob)).toEqual({
      status: 'refused',
      byBytes: true,
      fingerprint: alice.fingerprint,
      reason: `the SSH signature was made with key ${alice.fingerprint}, but the record names ${bob.fingerprint} and its keyid says ${alice.fingerprint}.`,
    });
    const keyidBob = forge(() => {}, { keyid: bob.fingerprint });
    expect(await onGithub(keyidBob)).toEqual({
      status: 'refused',
      byBytes: true,
      fingerprint: alice.fingerprint,
      reason: `the SSH signature was made with key ${alice.fingerprint}, but the record names ${alice.fingerprint} and its keyid says ${bob.fingerprint}.`,
    });
  });

  it('says why the SSH signature is missing, keeping the dots inside the reason', async () => {
    const statement = statementOf(original);
    statement.predicate.operator.sshSignatureMissing = 'the SSH signing key in ~/.ssh/id_ed25519.pub needs a passphrase.';
    delete statement.predicate.operator.sshSigningKey;
    const local = original.signatures.find((s) => !s.keyid.startsWith('SHA256:'))!;
    const text = JSON.stringify({ ...original, payload: Buffer.from(JSON.stringify(statement)).toString('base64'), signatures: [local] });
    expect(await onGithub(text)).toEqual({
      status: 'unsigned',
      reason:
        "the record carries no SSH signature (the SSH signing key in ~/.ssh/id_ed25519.pub needs a passphrase), so who ran it is unchecked: it is signed only by handrail's local key.",
    });
  });
});

describe('whose key it is', () => {
  it('finds the key among several GitHub lists for the login, passing over lines it cannot read', async () => {
    github.state.sshSigningKeys.alice = [{ key: 'ssh-ed25519 not-a-key' }, { key: bob.line }, { key: alice.line }];
    try {
      expect(await onGithub(forge(() => {}))).toMatchObject({ status: 'verified', login: 'alice' });
      github.state.sshSigningKeys.alice = [{ key: bob.line }, { key: 'ssh-ed25519 not-a-key' }];
      const verdict = await onGithub(forge(() => {}));
      expect(verdict).toEqual({
        status: 'refused',
        fingerprint: alice.fingerprint,
        login: 'alice',
        reason: `SSH key ${alice.fingerprint} is not one of @alice's GitHub SSH signing keys (GitHub lists 1 key for @alice), so the record does not prove that @alice ran it.`,
      });
      github.state.sshSigningKeys.alice = [];
      expect(await onGithub(forge(() => {}))).toMatchObject({ reason: expect.stringContaining('(GitHub lists 0 keys for @alice)') });
    } finally {
      github.state.sshSigningKeys.alice = [{ key: alice.line }];
    }
  });

  it('checks nobody without --github or --allowed-signers, and says how', async () => {
    expect(await checkRecordIdentity(forge(() => {}))).toEqual({
      status: 'unchecked',
      fingerprint: alice.fingerprint,
      login: 'alice',
      reason: 'whose key it is was not checked; pass --github or --allowed-signers FILE.',
    });
  });

  it('has nobody to ask GitHub about when the record names no login', async () => {
    expect(await onGithub(forge((s) => delete s.predicate.operator.githubLogin))).toEqual({
      status: 'unchecked',
      fingerprint: alice.fingerprint,
      reason: 'the record names no GitHub login, so there is nobody to check the key against.',
    });
  });

  it('refuses a login that is not a GitHub login before asking GitHub about it', async () => {
    const before = github.requests.length;
    expect(await onGithub(forge((s) => (s.predicate.operator.githubLogin = '../../orgs/x')))).toEqual({
      status: 'refused',
      byBytes: true,
      fingerprint: alice.fingerprint,
      reason: 'the record\'s GitHub login "../../orgs/x" is not a GitHub login.',
    });
    expect(github.requests.length).toBe(before);
  });

  it('an allowed-signers file that lists nobody for the key, for a record that names no login', async () => {
    const text = forge((s) => delete s.predicate.operator.githubLogin);
    expect(await checkRecordIdentity(text, { allowedSigners: { text: `bob ${bob.line}\n`, label: 'team.allowed' } })).toEqual({
      status: 'refused',
      fingerprint: alice.fingerprint,
      reason: `team.allowed lists nobody for SSH key ${alice.fingerprint}.`,
    });
    // The file's own name for the key is used when the record names none.
    expect(
      await checkRecordIdentity(text, { allowedSigners: { text: `alice-laptop ${alice.line}\n`, label: 'team.allowed' } }),
    ).toMatchObject({
      status: 'verified',
      login: 'alice-laptop',
    });
  });
});
