// The few SSH wire formats handrail reads itself: public key lines, fingerprints, the public key
// inside an armored SSHSIG signature (PROTOCOL.sshsig) and inside an OpenSSH private key file
// (PROTOCOL.key). Reading only; every signature is made and checked by ssh-keygen.
import { createHash } from 'node:crypto';

/** The namespace every record signature is made in (`ssh-keygen -Y sign -n handrail-record`). */
export const SSH_NAMESPACE = 'handrail-record';

/** An SSH signature's keyid in a record is its key's fingerprint; the Ed25519 one's is hex. */
export const isSshKeyid = (keyid: string): boolean => keyid.startsWith('SHA256:');

export interface SshPublicKey {
  type: string;
  /** The key blob, base64 as in a public key line. */
  blob: string;
  /** `type blob`, without a comment: how the record and allowed-signers files name it. */
  line: string;
  /** `SHA256:…` as `ssh-keygen -l` prints it. */
  fingerprint: string;
}

/** `SHA256:` + unpadded base64 of the blob's sha256, exactly as ssh-keygen prints it. */
export function sshFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** One SSH wire string (uint32 length, bytes) at `at`, or undefined when the buffer is too short. */
function readString(buffer: Buffer, at: number): { value: Buffer; next: number } | undefined {
  if (at + 4 > buffer.length) return undefined;
  const length = buffer.readUInt32BE(at);
  if (at + 4 + length > buffer.length) return undefined;
  return { value: buffer.subarray(at + 4, at + 4 + length), next: at + 4 + length };
}

function fromBlob(blob: Buffer): SshPublicKey | undefined {
  const first = readString(blob, 0);
  const type = first?.value.toString('latin1');
  if (!first || !type || !/^[a-z0-9@.-]+$/.test(type)) return undefined;
  // Every key blob is a run of wire strings after its type (ed25519: the key; rsa: e, n; ecdsa: curve,
  // point): one cut short or with bytes left over is damaged, not a key with another fingerprint.
  let at = first.next;
  if (at === blob.length) return undefined;
  while (at < blob.length) {
    const next = readString(blob, at);
    if (!next) return undefined;
    at = next.next;
  }
  const base64 = blob.toString('base64');
  return { type, blob: base64, line: `${type} ${base64}`, fingerprint: sshFingerprint(blob) };
}

/** `ssh-ed25519 AAAA… comment` (a .pub file's line, a `key::` literal, GitHub's `key`); undefined when it is not one. */
export function parsePublicKeyLine(text: string): SshPublicKey | undefined {
  const [type, base64] = text.trim().split(/\s+/);
  if (!type || !base64) return undefined;
  const blob = Buffer.from(base64, 'base64');
  if (blob.toString('base64') !== base64) return undefined;
  const key = fromBlob(blob);
  // The blob names its own type; a line whose label disagrees is not a key line.
  return key && key.type === type ? key : undefined;
}

/** The body of an armored block (`-----BEGIN label-----`), decoded; undefined when absent or damaged. */
function dearmor(text: string, label: string): Buffer | undefined {
  const m = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(text);
  if (!m) return undefined;
  const base64 = m[1].replace(/\s+/g, '');
  const bytes = Buffer.from(base64, 'base64');
  return bytes.toString('base64') === base64 ? bytes : undefined;
}

/** Who made an armored SSH signature, and in which namespace; undefined when it is not an SSHSIG. */
export function signatureKey(armored: string): { key: SshPublicKey; namespace: string } | undefined {
  const bytes = dearmor(armored, 'SSH SIGNATURE');
  if (!bytes || bytes.subarray(0, 6).toString('latin1') !== 'SSHSIG' || bytes.length < 10) return undefined;
  const key = readString(bytes, 10);
  const namespace = key && readString(bytes, key.next);
  const parsed = key && fromBlob(key.value);
  return parsed && namespace ? { key: parsed, namespace: namespace.value.toString('utf8') } : undefined;
}

/**
 * The public key an OpenSSH private key file carries in clear, and whether the private part is
 * encrypted (needs a passphrase). Undefined for other formats (PEM, PKCS#8), which need a .pub file.
 */
export function opensshPrivateKeyInfo(text: string): { key: SshPublicKey; encrypted: boolean } | undefined {
  const bytes = dearmor(text, 'OPENSSH PRIVATE KEY');
  const magic = 'openssh-key-v1\0';
  if (!bytes || bytes.subarray(0, magic.length).toString('latin1') !== magic) return undefined;
  const cipher = readString(bytes, magic.length);
  const kdf = cipher && readString(bytes, cipher.next);
  const kdfOptions = kdf && readString(bytes, kdf.next);
  if (!cipher || !kdfOptions || kdfOptions.next + 4 > bytes.length) return undefined;
  const publicKey = readString(bytes, kdfOptions.next + 4);
  const key = publicKey && fromBlob(publicKey.value);
  return key ? { key, encrypted: cipher.value.toString('latin1') !== 'none' } : undefined;
}
