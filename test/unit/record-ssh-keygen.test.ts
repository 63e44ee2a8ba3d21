// ssh-keygen and ssh-add as handrail runs them (the real openssh-client): signatures git's
// `ssh-keygen -Y verify` accepts, the agent's keys, never a prompt, and one sentence when the tools
// are missing or refuse.
import { chmodSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentPublicKeys, keygenReason, sshFindPrincipals, sshSign, sshVerify } from '../../src/record/ssh-keygen';
import { agentsPerTest, makeKey, type TestKey } from '../helpers/ssh';

let dir: string;
let alice: TestKey;
let bob: TestKey;
const { agent } = agentsPerTest(() => dir);
const saved = {
  TMPDIR: process.env.TMPDIR,
  PATH: process.env.PATH,
  SSH_ASKPASS: process.env.SSH_ASKPASS,
  SSH_ASKPASS_REQUIRE: process.env.SSH_ASKPASS_REQUIRE,
  DISPLAY: process.env.DISPLAY,
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'handrail-sshkeygen-'));
  alice = makeKey(dir, 'alice');
  bob = makeKey(dir, 'bob');
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const data = Buffer.from('{"a":"record"}\n');
/** A temp folder of this test's own (other test files sign in parallel), which ssh-keygen's files go to. */
function ownTmp(): string {
  const own = mkdtempSync(join(dir, 'tmp-'));
  process.env.TMPDIR = own;
  return own;
}

describe('sshSign and sshVerify', () => {
  it('signs with a key file; ssh-keygen -Y verify accepts it for the principal the allowed-signers file names, and no one else', async () => {
    delete process.env.SSH_AUTH_SOCK;
    const own = ownTmp();
    const armored = await sshSign(data, { keyFile: alice.path });
    expect(armored).toMatch(/^-----BEGIN SSH SIGNATURE-----\n[A-Za-z0-9+/=\n]+-----END SSH SIGNATURE-----\n$/);
    const allowedSigners = `alice ${alice.line}\nbob ${bob.line}\n`;
    expect(await sshVerify({ allowedSigners, principal: 'alice', armored, data })).toEqual({
      ok: true,
      message: `Good "handrail-record" signature for alice with ED25519 key ${alice.fingerprint}`,
    });
    const asBob = await sshVerify({ allowedSigners, principal: 'bob', armored, data });
    expect(asBob.ok).toBe(false);
    expect(asBob.message).not.toBe('');
    expect(asBob.message).not.toMatch(/\.$/);
    const changed = await sshVerify({ allowedSigners, principal: 'alice', armored, data: Buffer.from('{"a":"changed"}\n') });
    expect(changed).toMatchObject({ ok: false });
    // The signature and allowed-signers files it wrote for ssh-keygen are gone.
    expect(readdirSync(own)).toEqual([]);
  });

  it('signs with a public key literal through the agent that holds its private half', async () => {
    agent().add(alice);
    const armored = await sshSign(data, { literal: alice.line });
    expect((await sshVerify({ allowedSigners: `alice ${alice.line}\n`, principal: 'alice', armored, data })).ok).toBe(true);
  });

  it("says why it could not sign, in ssh-keygen's words, when the agent does not hold the literal's key", async () => {
    agent().add(bob);
    const own = ownTmp();
    await expect(sshSign(data, { literal: alice.line })).rejects.toThrow(/^ssh-keygen could not sign: \S.*[^.]$/);
    expect(readdirSync(own)).toEqual([]);
  });

  it('never asks for a passphrase, even where an askpass program would answer it', async () => {
    delete process.env.SSH_AUTH_SOCK;
    const carol = makeKey(mkdtempSync(join(dir, 'enc-')), 'carol', 'long passphrase');
    const askpass = join(dir, 'askpass.sh');
    writeFileSync(askpass, "#!/bin/sh\necho 'long passphrase'\n");
    chmodSync(askpass, 0o700);
    Object.assign(process.env, { SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' });
    await expect(sshSign(data, { keyFile: carol.path })).rejects.toThrow(/^ssh-keygen could not sign: .*passphrase/);
  });
});

describe('sshFindPrincipals', () => {
  it('lists who the allowed-signers file names for the key that made the signature, or no one', async () => {
    const armored = await sshSign(data, { keyFile: alice.path });
    expect(await sshFindPrincipals({ allowedSigners: `alice,alice-laptop ${alice.line}\nbob ${bob.line}\n`, armored })).toEqual([
      'alice',
      'alice-laptop',
    ]);
    expect(await sshFindPrincipals({ allowedSigners: `bob ${bob.line}\n`, armored })).toEqual([]);
  });
});

describe('agentPublicKeys', () => {
  it('is undefined with no agent, empty for an empty agent, and the public key lines it holds', async () => {
    delete process.env.SSH_AUTH_SOCK;
    expect(await agentPublicKeys()).toBeUndefined();
    process.env.SSH_AUTH_SOCK = join(dir, 'no-agent-here.sock');
    expect(await agentPublicKeys()).toBeUndefined();
    const a = agent();
    expect(await agentPublicKeys()).toEqual([]);
    a.add(alice);
    a.add(bob);
    expect((await agentPublicKeys())?.map((line) => line.split(' ').slice(0, 2).join(' '))).toEqual([alice.line, bob.line]);
  });
});

describe('without OpenSSH installed', () => {
  it('says which package to install, for signing and for the agent', async () => {
    process.env.SSH_AUTH_SOCK = join(dir, 'some.sock');
    process.env.PATH = mkdtempSync(join(dir, 'empty-path-'));
    await expect(sshSign(data, { keyFile: alice.path })).rejects.toThrow(
      'ssh-keygen is not installed; install OpenSSH (the openssh-client package) to sign or check records with SSH keys.',
    );
    await expect(agentPublicKeys()).rejects.toThrow('ssh-add is not installed; install OpenSSH (the openssh-client package).');
  });
});

describe('keygenReason', () => {
  it("keeps ssh-keygen's reason: the last line, without the stdin notice, a passphrase prompt or a final period", () => {
    expect(keygenReason('Signing data on standard input\nLoad key "k": invalid format\n')).toBe('Load key "k": invalid format');
    expect(keygenReason('Enter passphrase: Load key "k": incorrect passphrase supplied to decrypt private key\n')).toBe(
      'Load key "k": incorrect passphrase supplied to decrypt private key',
    );
    expect(keygenReason('Enter passphrase for "k":\n  \n')).toBe('no reason given');
    expect(keygenReason('')).toBe('no reason given');
    expect(keygenReason('first\nsecond.\n')).toBe('second');
  });

  it('prefers the line saying a private key file is open to others over the lines that follow it', () => {
    const stderr = [
      '@@@@@@@@@@',
      '@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @',
      "Permissions 0644 for 'k' are too open.",
      'It is required that your private key files are NOT accessible by others.',
      'This private key will be ignored.',
      'No private key found for "k"',
      '',
    ].join('\n');
    expect(keygenReason(stderr)).toBe("Permissions 0644 for 'k' are too open");
  });
});
