// Finding the operator's SSH signing key (SPEC §6.1) the way git does, with the real ssh-keygen,
// ssh-agent and git: each setting an operator may have, and the one sentence handrail gives before
// step 1 when that key would not sign at the end without asking.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findSshIdentity, type SshIdentity } from '../../src/record/ssh-identity';
import { sshVerify } from '../../src/record/ssh-keygen';
import { agentsPerTest, makeKey, type TestKey } from '../helpers/ssh';

let dir: string;
let alice: TestKey;
const { agent, noAgent } = agentsPerTest(() => dir);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'handrail-sshid-'));
  alice = makeKey(dir, 'alice');
});

/** A folder with only git's global config file: what the operator's ~/.gitconfig would say. */
function gitHome(config: string): { env: NodeJS.ProcessEnv; cwd: string } {
  const home = mkdtempSync(join(dir, 'home-'));
  writeFileSync(join(home, 'gitconfig'), config);
  return { env: { PATH: process.env.PATH, HOME: home, GIT_CONFIG_GLOBAL: join(home, 'gitconfig'), GIT_CONFIG_NOSYSTEM: '1' }, cwd: home };
}
const fromEnv = (value: string) => findSshIdentity({ env: { HANDRAIL_SSH_SIGNING_KEY: value } });
const problem = (identity: SshIdentity) =>
  identity.status === 'problem' ? identity.message : `not a problem: ${JSON.stringify(identity)}`;

/** A copy of a key file alone in a folder of its own (no .pub or private half beside it). */
function alone(path: string, name: string, mode = 0o600): string {
  const to = join(mkdtempSync(join(dir, 'alone-')), name);
  copyFileSync(path, to);
  chmodSync(to, mode);
  return to;
}

describe('where the key is configured', () => {
  it('HANDRAIL_SSH_SIGNING_KEY=none turns SSH signing off without looking for a key', async () => {
    const identity = await fromEnv('none');
    expect(identity).toEqual({ status: 'none', setup: 'records are not signed with an SSH key (HANDRAIL_SSH_SIGNING_KEY=none).' });
  });

  it("says to set user.signingkey when git's gpg.format is ssh (in any case) but no key is named", async () => {
    const { env, cwd } = gitHome('[gpg]\n\tformat = SSH\n');
    const identity = await findSshIdentity({ env, cwd });
    expect(identity.status).toBe('none');
    expect(identity.status === 'none' && identity.setup).toBe(
      "records are not signed with your SSH key: git's gpg.format is ssh but user.signingkey is not set; set it with `git config --global user.signingkey ~/.ssh/id_ed25519.pub`.",
    );
  });

  it("reads the repository's own git config in the folder it is run from, as git does", async () => {
    const { env } = gitHome('');
    const repo = mkdtempSync(join(dir, 'repo-'));
    execFileSync('git', ['init', '-q', repo], { env });
    execFileSync('git', ['-C', repo, 'config', 'gpg.format', 'ssh'], { env });
    execFileSync('git', ['-C', repo, 'config', 'user.signingkey', alice.path], { env });
    noAgent();
    expect(await findSshIdentity({ env, cwd: repo })).toMatchObject({
      status: 'ready',
      signer: { via: alice.path, key: { fingerprint: alice.fingerprint } },
    });
    // The same settings seen from another folder are not the operator's.
    expect((await findSshIdentity({ env, cwd: dir })).status).toBe('none');
  });

  it('takes a bare public key line as git does (older configs), and signs through the agent holding it', async () => {
    agent().add(alice);
    const identity = await fromEnv(alice.line);
    expect(identity).toMatchObject({ status: 'ready', signer: { via: 'ssh-agent', key: { fingerprint: alice.fingerprint } } });
  });

  it('refuses a key:: literal that is not a public key, naming where it came from', async () => {
    expect(problem(await fromEnv('key::ssh-ed25519 not-base64!'))).toBe(
      'HANDRAIL_SSH_SIGNING_KEY holds a key:: literal that is not an SSH public key; give `key::ssh-ed25519 AAAA…` or a key file.',
    );
  });
});

describe('a key file', () => {
  it('says a missing or unreadable file cannot be read, and why', async () => {
    const missing = join(dir, 'no-such-key');
    expect(problem(await fromEnv(missing))).toBe(
      `HANDRAIL_SSH_SIGNING_KEY names ${missing}, which cannot be read (there is no such file); point it at your SSH signing key.`,
    );
    const folder = mkdtempSync(join(dir, 'folder-'));
    expect(problem(await fromEnv(folder))).toBe(
      `HANDRAIL_SSH_SIGNING_KEY names ${folder}, which cannot be read (EISDIR); point it at your SSH signing key.`,
    );
  });

  it('refuses a file that is neither a public key nor an OpenSSH private key with its .pub beside it', async () => {
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'my ssh key is on the laptop\n');
    expect(problem(await fromEnv(notes))).toBe(
      `HANDRAIL_SSH_SIGNING_KEY names ${notes}, which is neither an SSH public key nor an OpenSSH private key with its .pub beside it.`,
    );
  });

  it('signs with the private key beside a .pub named in the setting, checked with a test signature', async () => {
    noAgent();
    const identity = await fromEnv(`${alice.path}.pub`);
    expect(identity).toMatchObject({ status: 'ready', signer: { via: alice.path, key: { fingerprint: alice.fingerprint } } });
    if (identity.status !== 'ready') return;
    const data = Buffer.from('a record\n');
    const armored = await identity.signer.sign(data);
    expect(await sshVerify({ allowedSigners: `alice ${alice.line}\n`, principal: 'alice', armored, data })).toMatchObject({ ok: true });
  });

  it('reads the public half from an OpenSSH private key file that has no .pub beside it', async () => {
    noAgent();
    const path = alone(alice.path, 'signing');
    expect(await fromEnv(path)).toMatchObject({
      status: 'ready',
      signer: { via: path, key: { fingerprint: alice.fingerprint, line: alice.line } },
    });
  });

  it('reads the public half from the .pub beside an old PEM private key', async () => {
    noAgent();
    const pemDir = mkdtempSync(join(dir, 'pem-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '1024', '-m', 'PEM', '-N', '', '-f', join(pemDir, 'id_rsa')]);
    const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(pemDir, 'id_rsa.pub')], { encoding: 'utf8' }).split(
      ' ',
    )[1];
    expect(await fromEnv(join(pemDir, 'id_rsa'))).toMatchObject({
      status: 'ready',
      signer: { via: join(pemDir, 'id_rsa'), key: { type: 'ssh-rsa', fingerprint } },
    });
  });
});

describe('a key that would not sign at the end without asking', () => {
  it('a .pub with no private key beside it can sign only through the agent, which does not hold it', async () => {
    const pub = alone(`${alice.path}.pub`, 'alice.pub', 0o644);
    noAgent();
    expect(problem(await fromEnv(pub))).toBe(
      `the SSH signing key ${alice.fingerprint} (HANDRAIL_SSH_SIGNING_KEY) can only sign through ssh-agent, but no ssh-agent is running; add it to ssh-agent: ssh-add <its private key file>.`,
    );
    // An agent holding another key is not an agent holding this one.
    agent().add(makeKey(mkdtempSync(join(dir, 'other-')), 'erin'));
    expect(problem(await fromEnv(pub))).toContain('can only sign through ssh-agent, but it is not in ssh-agent; add it to ssh-agent');
  });

  it('a key:: literal the agent does not hold names the agent as the only way', async () => {
    noAgent();
    expect(problem(await fromEnv(`key::${alice.line}`))).toBe(
      `the SSH signing key ${alice.fingerprint} (HANDRAIL_SSH_SIGNING_KEY) can only sign through ssh-agent, but no ssh-agent is running; add it to ssh-agent: ssh-add <its private key file>.`,
    );
  });

  it('a private key with its passphrase-protected .pub sibling in the setting: not in the agent', async () => {
    noAgent();
    const encDir = mkdtempSync(join(dir, 'enc-'));
    const carol = makeKey(encDir, 'carol', 'long passphrase');
    // Named through its .pub: the private half beside it is encrypted.
    expect(problem(await fromEnv(`${carol.path}.pub`))).toBe(
      `the SSH signing key ${carol.fingerprint} (HANDRAIL_SSH_SIGNING_KEY) needs a passphrase and no ssh-agent is running, so it could not sign the record without asking; add it to ssh-agent: ssh-add ${carol.path}.`,
    );
  });

  it('an old PEM key with a passphrase (which the file does not announce) is caught by the test signature, not asked for', async () => {
    noAgent();
    const pemDir = mkdtempSync(join(dir, 'pem-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '1024', '-m', 'PEM', '-N', 'long passphrase', '-f', join(pemDir, 'id_rsa')]);
    const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(pemDir, 'id_rsa.pub')], { encoding: 'utf8' }).split(
      ' ',
    )[1];
    expect(problem(await fromEnv(join(pemDir, 'id_rsa')))).toBe(
      `the SSH signing key ${fingerprint} (HANDRAIL_SSH_SIGNING_KEY) needs a passphrase and no ssh-agent is running; add it to ssh-agent: ssh-add ${join(pemDir, 'id_rsa')}.`,
    );
  });

  it("a private key file others can read: ssh-keygen's reason, not its last line", async () => {
    noAgent();
    const path = alone(alice.path, 'open-key', 0o644);
    expect(problem(await fromEnv(path))).toBe(
      `the SSH signing key ${alice.fingerprint} (HANDRAIL_SSH_SIGNING_KEY) cannot sign: ssh-keygen could not sign: Permissions 0644 for '${path}' are too open.`,
    );
  });

  it('an agent that also holds certificates still finds the key among them', async () => {
    const certDir = mkdtempSync(join(dir, 'cert-'));
    const dave = makeKey(certDir, 'dave');
    const ca = makeKey(certDir, 'ca');
    execFileSync('ssh-keygen', ['-q', '-s', ca.path, '-I', 'dave', '-n', 'dave', `${dave.path}.pub`]);
    const a = agent();
    a.add(dave); // ssh-add also loads dave-cert.pub: the agent lists the certificate before or after the key.
    a.add(alice);
    expect(await fromEnv(`${alice.path}.pub`)).toMatchObject({ status: 'ready', signer: { via: 'ssh-agent' } });
    expect(await fromEnv(`key::${dave.line}`)).toMatchObject({
      status: 'ready',
      signer: { via: 'ssh-agent', key: { fingerprint: dave.fingerprint } },
    });
  });
});
