// The signing key against the real OS keychain (gnome-keyring in `npm test`'s private D-Bus session)
// and the no-keychain file fallback.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
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
    expect(key!.warning).toBe(
      `The OS keychain is not available (the keychain is turned off (HANDRAIL_NO_KEYCHAIN=1)); the record-signing key is kept in the 0600 file ${file}.`,
    );
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

describe('a signing key file that cannot be trusted (no keychain)', () => {
  beforeEach(() => {
    process.env.HANDRAIL_NO_KEYCHAIN = '1';
  });
  const fix = 'remove it (handrail makes a new one) or fix it, then run again.';
  /** The key file's folder, made as handrail makes it, with `write` putting something at the key's path. */
  function place(write: (path: string) => void): string {
    const file = signingKeyFile();
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    write(file);
    return file;
  }

  it('refuses a symlink, and neither follows nor replaces it', async () => {
    const target = join(mkdtempSync(join(tmpdir(), 'handrail-keys-other-')), 'their-key.pem');
    writeFileSync(target, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const file = place((path) => symlinkSync(target, path));
    await expect(loadSigningKey()).rejects.toThrow(`Cannot read the record-signing key ${file} (it is a symlink); ${fix}`);
    expect(lstatSync(file).isSymbolicLink()).toBe(true);
    // verify lists no local key rather than the linked one.
    expect(await localPublicKeys()).toEqual([]);
  });

  it('says why when the key cannot even be opened', async () => {
    const notAFolder = join(mkdtempSync(join(tmpdir(), 'handrail-keys-')), 'config-file');
    writeFileSync(notAFolder, '');
    process.env.XDG_CONFIG_HOME = notAFolder;
    await expect(loadSigningKey()).rejects.toThrow(`Cannot read the record-signing key ${signingKeyFile()} (ENOTDIR); ${fix}`);
  });

  it('refuses a folder where the file should be', async () => {
    const file = place((path) => mkdirSync(path));
    await expect(loadSigningKey()).rejects.toThrow(`Cannot read the record-signing key ${file} (it is not a file); ${fix}`);
  });

  it('refuses a file that is not a private key, or a private key of another kind, saying to remove it', async () => {
    const file = place((path) =>
      writeFileSync(path, '-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n', { mode: 0o600 }),
    );
    await expect(loadSigningKey()).rejects.toThrow(
      `The record-signing key in ${file} is not a readable private key; remove it and handrail will make a new one.`,
    );
    writeFileSync(file, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await expect(loadSigningKey({ create: false })).rejects.toThrow(
      `The record-signing key in ${file} is not an Ed25519 key; remove it and handrail will make a new one.`,
    );
    expect(await localPublicKeys()).toEqual([]);
  });

  it.runIf(process.getuid?.() === 0)(
    "refuses another user's key file: it cannot say that you ran this (run as root, to give the file away)",
    async () => {
      const file = place((path) =>
        writeFileSync(path, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 }),
      );
      chownSync(file, 65534, 65534);
      await expect(loadSigningKey()).rejects.toThrow(
        `The record-signing key ${file} belongs to another user (uid 65534), so it cannot say that you ran this; ${fix}`,
      );
    },
  );
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
