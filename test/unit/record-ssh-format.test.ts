// The SSH wire formats handrail reads itself (public key lines, SSHSIG signatures, OpenSSH private
// key files): real ones from ssh-keygen are read exactly, and every damaged or hostile variant —
// a record handed over by someone else is attacker input — is refused (undefined), never misread.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { opensshPrivateKeyInfo, parsePublicKeyLine, signatureKey, sshFingerprint, SSH_NAMESPACE } from '../../src/record/ssh-format';

let pubLine: string;
let fingerprint: string;
let privateKey: string;
let encryptedKey: string;
let signature: string;
let ecdsaLine: string;
let ecdsaFingerprint: string;

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'handrail-sshformat-'));
  const key = join(dir, 'id');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'alice@example', '-f', key]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret pass', '-f', join(dir, 'enc')]);
  pubLine = readFileSync(`${key}.pub`, 'utf8');
  privateKey = readFileSync(key, 'utf8');
  encryptedKey = readFileSync(join(dir, 'enc'), 'utf8');
  fingerprint = execFileSync('ssh-keygen', ['-l', '-f', `${key}.pub`], { encoding: 'utf8' }).split(' ')[1];
  execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-f', join(dir, 'ec')]);
  ecdsaLine = readFileSync(join(dir, 'ec.pub'), 'utf8');
  ecdsaFingerprint = execFileSync('ssh-keygen', ['-l', '-f', join(dir, 'ec.pub')], { encoding: 'utf8' }).split(' ')[1];
  writeFileSync(join(dir, 'payload'), 'a record');
  execFileSync('ssh-keygen', ['-Y', 'sign', '-q', '-f', key, '-n', SSH_NAMESPACE, join(dir, 'payload')]);
  signature = readFileSync(join(dir, 'payload.sig'), 'utf8');
});

/** An armored block around `body`, wrapped as ssh-keygen wraps it. */
const armor = (label: string, body: Buffer) =>
  `-----BEGIN ${label}-----\n${body.toString('base64').replace(/.{70}/g, '$&\n')}\n-----END ${label}-----\n`;
const unarmor = (text: string) => Buffer.from(text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
/** An SSH wire string: uint32 length, then the bytes. */
const wire = (value: Buffer | string, length?: number) => {
  const bytes = Buffer.from(value);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(length ?? bytes.length);
  return Buffer.concat([head, bytes]);
};

describe('parsePublicKeyLine', () => {
  it('reads a .pub line as ssh-keygen wrote it: type, the line without its comment, the fingerprint ssh-keygen -l prints', () => {
    const [type, base64] = pubLine.trim().split(' ');
    expect(parsePublicKeyLine(pubLine)).toEqual({ type: 'ssh-ed25519', blob: base64, line: `${type} ${base64}`, fingerprint });
    expect(parsePublicKeyLine(`  ${type}\t${base64}  `)?.fingerprint).toBe(fingerprint);
    // A key of more than one part (ecdsa: curve and point) reads as well.
    expect(parsePublicKeyLine(ecdsaLine)).toMatchObject({ type: 'ecdsa-sha2-nistp256', fingerprint: ecdsaFingerprint });
  });

  it('refuses a line that is not one key', () => {
    const [, base64] = pubLine.trim().split(' ');
    for (const line of [
      '',
      'ssh-ed25519',
      base64,
      `ssh-rsa ${base64}`,
      `ssh-ed25519 ${base64}=`,
      `ssh-ed25519 ${base64.slice(0, -4)}`,
      `ssh-ed25519 !${base64}`,
    ]) {
      expect(parsePublicKeyLine(line), JSON.stringify(line)).toBeUndefined();
    }
  });

  it('refuses a blob whose type string is cut short, overruns the blob, or is not a key type name', () => {
    const cases: [string, Buffer][] = [
      ['three bytes', Buffer.from([0, 0, 0])],
      ['length past the end', wire('ssh-ed25519', 40)],
      ['upper case type', Buffer.concat([wire('SSH-ED25519'), wire(Buffer.alloc(32))])],
      ['type with a space', Buffer.concat([wire('ssh ed25519'), wire(Buffer.alloc(32))])],
      ['empty type', Buffer.concat([wire(''), wire(Buffer.alloc(32))])],
      ['a type and no key', wire('ssh-ed25519')],
      ['a key cut short', Buffer.concat([wire('ssh-ed25519'), wire(Buffer.alloc(32)).subarray(0, 30)])],
      ['a byte left over', Buffer.concat([wire('ssh-ed25519'), wire(Buffer.alloc(32)), Buffer.from([0])])],
    ];
    for (const [what, blob] of cases) expect(parsePublicKeyLine(`ssh-ed25519 ${blob.toString('base64')}`), what).toBeUndefined();
    // The same shape with a proper name is read: the refusals above are about the name, not the shape.
    const fine = Buffer.concat([wire('ssh-ed25519'), wire(Buffer.alloc(32))]);
    expect(parsePublicKeyLine(`ssh-ed25519 ${fine.toString('base64')}`)?.fingerprint).toBe(sshFingerprint(fine));
  });
});

describe('signatureKey', () => {
  it('reads who made a real ssh-keygen signature, and in which namespace', () => {
    const read = signatureKey(signature);
    expect(read?.namespace).toBe(SSH_NAMESPACE);
    expect(read?.key.fingerprint).toBe(fingerprint);
  });

  it('refuses anything that is not a whole SSHSIG', () => {
    const body = unarmor(signature);
    const publicKey = (() => {
      const length = body.readUInt32BE(10);
      return body.subarray(10, 14 + length);
    })();
    const cases: [string, string][] = [
      ['no armor', body.toString('base64')],
      ['another armor label', armor('SSH SIGNATUR', body)],
      ['not canonical base64', signature.replace('-----END', '=-----END')],
      ['wrong magic', armor('SSH SIGNATURE', Buffer.concat([Buffer.from('SSHSIH'), body.subarray(6)]))],
      ['magic and version only', armor('SSH SIGNATURE', body.subarray(0, 10))],
      ['shorter than its header', armor('SSH SIGNATURE', body.subarray(0, 8))],
      ['key length past the end', armor('SSH SIGNATURE', Buffer.concat([body.subarray(0, 10), wire(publicKey.subarray(4), 5000)]))],
      ['no namespace after the key', armor('SSH SIGNATURE', Buffer.concat([body.subarray(0, 10), publicKey]))],
      [
        'a key blob that is not a key',
        armor('SSH SIGNATURE', Buffer.concat([body.subarray(0, 10), wire(wire('BAD TYPE')), wire(SSH_NAMESPACE)])),
      ],
    ];
    for (const [what, text] of cases) expect(signatureKey(text), what).toBeUndefined();
  });
});

describe('opensshPrivateKeyInfo', () => {
  it('reads the public key a private key file carries, and whether it needs a passphrase', () => {
    expect(opensshPrivateKeyInfo(privateKey)).toEqual({ key: parsePublicKeyLine(pubLine), encrypted: false });
    const encrypted = opensshPrivateKeyInfo(encryptedKey);
    expect(encrypted?.encrypted).toBe(true);
    expect(encrypted?.key.type).toBe('ssh-ed25519');
  });

  it('refuses other formats and damaged files', () => {
    const body = unarmor(privateKey);
    const magic = 'openssh-key-v1\0'.length;
    const cipher = wire('none');
    const kdf = wire('none');
    const kdfOptions = wire('');
    const pkcs8 = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const cases: [string, string][] = [
      ['PKCS#8', pkcs8],
      ['wrong magic', armor('OPENSSH PRIVATE KEY', Buffer.concat([Buffer.from('openssh-key-v2\0'), body.subarray(magic)]))],
      ['magic only', armor('OPENSSH PRIVATE KEY', body.subarray(0, magic))],
      ['cut after the kdf options', armor('OPENSSH PRIVATE KEY', Buffer.concat([body.subarray(0, magic), cipher, kdf, kdfOptions]))],
      [
        'cut inside the key count',
        armor('OPENSSH PRIVATE KEY', Buffer.concat([body.subarray(0, magic), cipher, kdf, kdfOptions, Buffer.from([0, 0])])),
      ],
      [
        'no public key',
        armor('OPENSSH PRIVATE KEY', Buffer.concat([body.subarray(0, magic), cipher, kdf, kdfOptions, Buffer.from([0, 0, 0, 1])])),
      ],
      [
        'a public key that is not one',
        armor(
          'OPENSSH PRIVATE KEY',
          Buffer.concat([body.subarray(0, magic), cipher, kdf, kdfOptions, Buffer.from([0, 0, 0, 1]), wire(wire('NOT A TYPE'))]),
        ),
      ],
    ];
    for (const [what, text] of cases) expect(opensshPrivateKeyInfo(text), what).toBeUndefined();
    // The smallest file of that shape with a real key is read: each refusal above is about its damage.
    const key = Buffer.from(parsePublicKeyLine(pubLine)!.blob, 'base64');
    const minimal = armor(
      'OPENSSH PRIVATE KEY',
      Buffer.concat([body.subarray(0, magic), cipher, kdf, kdfOptions, Buffer.from([0, 0, 0, 1]), wire(key)]),
    );
    expect(opensshPrivateKeyInfo(minimal)).toEqual({ key: parsePublicKeyLine(pubLine), encrypted: false });
  });
});
