// The signing key against the real OS keychain (gnome-keyring in `npm test`'s private D-Bus session)
// and the no-keychain file fallback.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPublicKey } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadSigningKey, localPublicKeys, signingKeyFile, SIGNING_KEY_ACCOUNT } from '../../src/record/keys';
import { keyId } from '../../src/record/dsse';
import { openKeychain } from '../../src/secrets/keychain';
import { describeKeychain } from '../helpers/keyring';

const saved = { ...process.env };
beforeEach(() => {
  process.env.XDG_CONFIG_HOME = mkdtempSync(join(tmpdir(), 'handrail-keys-'));
});
afterEach(() => {
  process.env = { ...saved };
});

describe('signing key without a keychain', () => {
  beforeEach(() => {
    process.env.HANDRAIL_NO_KEYCHAIN = '1';
  });

  it('is made on first use in a 0600 file, with a warning that says where', async () => {
    expect(await loadSigningKey({ create: false })).toBeUndefined();
    const key = await loadSigningKey();
    expect(key).toBeDefined();
    expect(key!.source).toBe('file');
    const file = signingKeyFile();
    expect(key!.warning).toContain(file);
    expect(key!.warning).toMatch(/keychain is not available/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(key!.keyid).toBe(keyId(key!.publicKey));
  });

  it('is the same key on every later use, and is listed as a local key for verify', async () => {
    const first = await loadSigningKey();
    const second = await loadSigningKey();
    expect(second!.keyid).toBe(first!.keyid);
    const local = await localPublicKeys();
    expect(local.map((k) => keyId(k.key))).toEqual([first!.keyid]);
  });

  it('tightens a key file that others could read', async () => {
    await loadSigningKey();
    chmodSync(signingKeyFile(), 0o644);
    await loadSigningKey();
    expect(statSync(signingKeyFile()).mode & 0o777).toBe(0o600);
  });
});

describeKeychain('signing key in the real OS keychain', () => {
  it('is kept in the keychain (no file), stable across uses', async () => {
    const status = await openKeychain();
    if (!status.available) throw new Error(`the test keyring is not usable: ${status.reason}`);
    const key = await loadSigningKey();
    expect(key!.source).toBe('keychain');
    expect(key!.warning).toBeUndefined();
    expect(existsSync(signingKeyFile())).toBe(false);

    const pem = await status.keychain.get(SIGNING_KEY_ACCOUNT);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(keyId(createPublicKey(pem!))).toBe(key!.keyid);
    expect((await loadSigningKey())!.keyid).toBe(key!.keyid);
    expect((await localPublicKeys()).map((k) => keyId(k.key))).toContain(key!.keyid);
  });
});
