// Checks a record file: envelope shape, payload type, signature against the candidate keys, and the
// statement's shape. Every refusal is one sentence; nothing here throws for bad input.
import type { KeyObject } from 'node:crypto';
import { IN_TOTO_PAYLOAD_TYPE, decodeBase64Strict, keyId, verifySignature } from './dsse';
import { statementSchema, type Statement } from './predicate';
import { isSshKeyid } from './ssh-format';
import { terminalSafeLine } from '../core/terminal-safe';

export interface CandidateKey {
  key: KeyObject;
  /** Where the key came from, e.g. "--key ops.pem", "the local signing key". */
  label: string;
}

export type VerifyOutcome =
  | { ok: true; statement: Statement; keyid: string; keyLabel: string }
  | {
      ok: false;
      reason: string;
      /** No candidate key made the Ed25519 signature (not: a known key's signature is bad). */ unknownKey?: true;
    };

function fail(reason: string, unknownKey = false): VerifyOutcome {
  return { ok: false, reason, ...(unknownKey ? { unknownKey } : {}) };
}

export function verifyRecord(text: string, keys: readonly CandidateKey[]): VerifyOutcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('the file is not JSON, so it is not a handrail record.');
  }
  if (typeof parsed !== 'object' || parsed === null) return fail('the file is not a DSSE envelope (expected a JSON object).');
  const envelope = parsed as Record<string, unknown>;
  if (typeof envelope.payloadType !== 'string' || typeof envelope.payload !== 'string' || !Array.isArray(envelope.signatures))
    return fail('the file is not a DSSE envelope (it needs payloadType, payload and signatures).');
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    return fail(`the payload type is ${JSON.stringify(envelope.payloadType)}, not ${IN_TOTO_PAYLOAD_TYPE}.`);
  const body = decodeBase64Strict(envelope.payload);
  if (!body) return fail('the payload is not valid base64.');
  // The operator's SSH signature (SPEC §6.1) is checked by ssh-keygen in identity.ts, not here.
  const signatures = envelope.signatures.filter(
    (s): s is { keyid: string; sig: string } =>
      typeof s === 'object' &&
      s !== null &&
      typeof (s as { sig?: unknown }).sig === 'string' &&
      typeof (s as { keyid?: unknown }).keyid === 'string' &&
      !isSshKeyid((s as { keyid: string }).keyid),
  );
  if (signatures.length === 0) return fail('the envelope carries no signature.');

  const known = keys.map((k) => ({ ...k, keyid: keyId(k.key) }));
  let keyMatched = false;
  for (const signature of signatures) {
    for (const candidate of known) {
      // keyid is an unsigned hint; a key whose id differs is still tried, so a rewritten hint
      // neither helps nor hurts.
      if (candidate.keyid === signature.keyid) keyMatched = true;
      if (verifySignature(IN_TOTO_PAYLOAD_TYPE, body, signature.sig, candidate.key)) {
        let statement: unknown;
        try {
          statement = JSON.parse(body.toString('utf8'));
        } catch {
          return fail('the signature is valid but the payload is not JSON.');
        }
        const checked = statementSchema.safeParse(statement);
        if (!checked.success) {
          const issue = checked.error.issues[0];
          return fail(
            `the signature is valid but the statement is not a handrail record (${issue.path.join('.') || 'statement'}: ${issue.message}).`,
          );
        }
        return { ok: true, statement: checked.data as Statement, keyid: candidate.keyid, keyLabel: candidate.label };
      }
    }
  }
  if (keyMatched) return fail('bad signature: the record was changed after it was signed, or the signature is damaged.');
  // A keyid is the record's own unsigned text: one line, and short, whatever its writer put there.
  const ids =
    signatures
      .slice(0, 3)
      .map((s) => terminalSafeLine(s.keyid.length > 80 ? `${s.keyid.slice(0, 79)}…` : s.keyid))
      .join(', ') + (signatures.length > 3 ? ', …' : '');
  return fail(
    `signed by an unknown key (keyid ${ids}); pass its public key with --key, or put it in the trusted-keys folder of handrail's config directory.`,
    true,
  );
}

/** The statement inside a record, unchecked: for a record whose SSH signature vouched for it instead. */
export function readStatement(text: string): Statement | undefined {
  try {
    const envelope = JSON.parse(text) as { payload?: unknown };
    const body = typeof envelope.payload === 'string' ? decodeBase64Strict(envelope.payload) : undefined;
    const checked = body && statementSchema.safeParse(JSON.parse(body.toString('utf8')));
    return checked && checked.success ? (checked.data as Statement) : undefined;
  } catch {
    return undefined;
  }
}
