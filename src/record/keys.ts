// The record-signing key: an Ed25519 pair made on first use. The private key (PKCS8 PEM) lives in the
// OS keychain; with no keychain, in a 0600 file under the config directory, with a warning the
// caller shows (nothing is printed from here).
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { closeSync, constants, fchmodSync, fstatSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { configDir, writePrivateFileAtomic } from '../core/paths';
import { errorReason, HandrailError } from '../core/errors';
import { openKeychain } from '../secrets/keychain';
import { keyId } from './dsse';

export { SIGNING_KEY_ACCOUNT } from '../core/reserved';
import { SIGNING_KEY_ACCOUNT } from '../core/reserved';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyid: string;
  source: 'keychain' | 'file';
  /** One sentence to show the operator (the key is in a file because there is no keychain). */
  warning?: string;
}

const KEY_FIX = 'remove it (handrail makes a new one) or fix it, then run again.';

export function signingKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'record-signing-key.pem');
}

export function trustedKeysDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'trusted-keys');
}

function parsePrivate(pem: string, where: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new HandrailError(
      `The record-signing key in ${where} is not a readable private key; remove it and handrail will make a new one.`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new HandrailError(`The record-signing key in ${where} is not an Ed25519 key; remove it and handrail will make a new one.`);
  return key;
}

function fromPrivate(privateKey: KeyObject, source: SigningKey['source'], warning?: string): SigningKey {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyid: keyId(publicKey), source, ...(warning ? { warning } : {}) };
}

function newPrivatePem(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function readFileKey(path: string): string | undefined {
  let fd: number;
  try {
    // Never through a link: the key must be this file, not whatever a link points at.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new HandrailError(`Cannot read the record-signing key ${path} (${code === 'ELOOP' ? 'it is a symlink' : code}); ${KEY_FIX}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new HandrailError(`Cannot read the record-signing key ${path} (it is not a file); ${KEY_FIX}`);
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid) {
      throw new HandrailError(
        `The record-signing key ${path} belongs to another user (uid ${stat.uid}), so it cannot say that you ran this; ${KEY_FIX}`,
      );
    }
    // A key others can read signs nothing trustworthy; tighten it rather than refuse to work.
    if ((stat.mode & 0o077) !== 0) fchmodSync(fd, 0o600);
    return readFileSync(fd, 'utf8');
  } catch (error) {
    if (error instanceof HandrailError) throw error;
    throw new HandrailError(`Cannot read the record-signing key ${path} (${(error as NodeJS.ErrnoException).code}); ${KEY_FIX}`);
  } finally {
    closeSync(fd);
  }
}

function fileKey(create: boolean, reason: string): SigningKey | undefined {
  const path = signingKeyFile();
  let pem = readFileKey(path);
  if (pem === undefined) {
    if (!create) return undefined;
    pem = newPrivatePem();
    writePrivateFileAtomic(path, pem);
  }
  return fromPrivate(
    parsePrivate(pem, path),
    'file',
    `The OS keychain is not available (${reason}); the record-signing key is kept in the 0600 file ${path}.`,
  );
}

/**
 * The local signing key: from the keychain, else the fallback file. With `create`, a missing key is
 * made and stored; without it, undefined is returned (verify must never mint a key).
 */
export async function loadSigningKey(options: { create?: boolean } = {}): Promise<SigningKey | undefined> {
  const create = options.create ?? true;
  const status = await openKeychain();
  if (!status.available) return fileKey(create, status.reason);
  let pem: string | undefined;
  try {
    pem = await status.keychain.get(SIGNING_KEY_ACCOUNT);
    if (pem === undefined) {
      if (!create) return fileKey(false, 'it holds no record-signing key');
      pem = newPrivatePem();
      await status.keychain.set(SIGNING_KEY_ACCOUNT, pem);
    }
  } catch (error) {
    // A keychain that stopped answering must not cost the operator the record of a finished run.
    const reason = errorReason(error);
    return fileKey(create, reason);
  }
  return fromPrivate(parsePrivate(pem, 'the OS keychain'), 'keychain');
}

/**
 * The signing key, proven able to sign before step 1: a key that cannot sign would otherwise be
 * found only after every step ran, leaving a finished run without its record. Throws a HandrailError
 * (exit 2, nothing run) saying what to do.
 */
export async function loadUsableSigningKey(): Promise<SigningKey> {
  let key: SigningKey | undefined;
  try {
    key = await loadSigningKey({ create: true });
  } catch (error) {
    const message =
      error instanceof HandrailError
        ? error.message
        : `the record-signing key could not be loaded or made (${error instanceof Error ? error.message : String(error)}); fix the keychain or the configuration folder, then run again.`;
    throw new HandrailError(`Nothing was run: ${lowerFirst(message)}`, 2);
  }
  if (!key)
    throw new HandrailError(
      'Nothing was run: no record-signing key could be loaded or made; fix the keychain or the configuration folder, then run again.',
      2,
    );
  const probe = Buffer.from('handrail signing-key check');
  let works: boolean;
  try {
    works = verify(null, probe, key.publicKey, sign(null, probe, key.privateKey));
  } catch {
    works = false;
  }
  if (!works) {
    throw new HandrailError(
      `Nothing was run: the record-signing key (${key.source === 'file' ? signingKeyFile() : 'in the OS keychain'}) cannot sign; ${KEY_FIX}`,
      2,
    );
  }
  return key;
}

function lowerFirst(text: string): string {
  return text
    .replace(/^The /, 'the ')
    .replace(/^Cannot /, 'cannot ')
    .replace(/^No /, 'no ');
}

export function publicKeyPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

/** Public keys from `<config>/trusted-keys/*.pem`; unreadable files are reported, not fatal. */
export function trustedKeys(): { keys: { key: KeyObject; label: string }[]; problems: string[] } {
  const dir = trustedKeysDir();
  const keys: { key: KeyObject; label: string }[] = [];
  const problems: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.pem'))
      .sort();
  } catch {
    return { keys, problems };
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      keys.push({ key: readPublicKey(readFileSync(path, 'utf8')), label: `trusted key ${name}` });
    } catch {
      problems.push(`${path} is not an Ed25519 public key PEM; it was ignored.`);
    }
  }
  return { keys, problems };
}

/** Parses a PEM public key (or the public half of a private PEM); throws when it is not Ed25519. */
export function readPublicKey(pem: string): KeyObject {
  const key = createPublicKey({ key: pem, format: 'pem' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
  return key;
}

/**
 * Every local signing key that exists, never making one: the keychain's and the fallback file's
 * (a machine may have signed records with either, e.g. before a keychain was set up).
 */
export async function localPublicKeys(): Promise<{ key: KeyObject; label: string }[]> {
  const keys: { key: KeyObject; label: string }[] = [];
  const status = await openKeychain();
  if (status.available) {
    try {
      const pem = await status.keychain.get(SIGNING_KEY_ACCOUNT);
      if (pem !== undefined)
        keys.push({ key: createPublicKey(parsePrivate(pem, 'the OS keychain')), label: 'the local signing key (keychain)' });
    } catch {
      // An unreadable keychain leaves the file and trusted keys to try.
    }
  }
  try {
    const pem = readFileKey(signingKeyFile());
    if (pem !== undefined) keys.push({ key: createPublicKey(parsePrivate(pem, signingKeyFile())), label: 'the local signing key (file)' });
  } catch {
    // Same: a broken fallback file is not a reason to refuse other keys.
  }
  return keys;
}
