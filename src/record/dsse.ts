// DSSE (Dead Simple Signing Envelope) v1 with Ed25519: the pre-authentication encoding, signing
// and verifying. Kept small enough to check by eye against the spec:
// https://github.com/secure-systems-lab/dsse/blob/master/protocol.md
import { createHash, sign, verify, type KeyObject } from 'node:crypto';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface Signature {
  keyid: string;
  sig: string;
}

export interface Envelope {
  payloadType: string;
  /** base64 (standard alphabet, padded) of the signed bytes. */
  payload: string;
  signatures: Signature[];
}

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body; LEN counts bytes, in ASCII decimal. */
export function pae(payloadType: string, body: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `, 'ascii'), type, Buffer.from(` ${body.length} `, 'ascii'), body]);
}

/** Hex sha256 of the public key's SubjectPublicKeyInfo DER. */
export function keyId(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

export function signEnvelope(payloadType: string, body: Uint8Array, privateKey: KeyObject, keyid: string): Envelope {
  // Ed25519 takes no separate digest: the algorithm argument must be null.
  const sig = sign(null, pae(payloadType, body), privateKey);
  return { payloadType, payload: Buffer.from(body).toString('base64'), signatures: [{ keyid, sig: sig.toString('base64') }] };
}

/**
 * Decodes base64 strictly: Node's decoder ignores stray characters and unused trailing bits, so a
 * changed character could decode to the same bytes. Only the canonical encoding is accepted.
 */
export function decodeBase64Strict(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** Whether `signature` is a valid Ed25519 signature by `publicKey` over PAE(payloadType, body). */
export function verifySignature(payloadType: string, body: Uint8Array, signature: string, publicKey: KeyObject): boolean {
  const sig = decodeBase64Strict(signature);
  if (!sig || sig.length !== 64) return false;
  try {
    return verify(null, pae(payloadType, body), publicKey, sig);
  } catch {
    return false;
  }
}
