// The two files approval keeps in the records repository (SPEC §6.6): the operator's request for a
// plan, and each approver's approval. Both are DSSE envelopes like a record, but the one signature is
// an SSH signature in the namespace handrail-approval (so no record signature, nor a git commit's, can
// be passed off as an approval), made by `ssh-keygen -Y sign` over PAE(payloadType, payload).
import { z } from 'zod';
import { decodeBase64Strict, pae } from '../record/dsse';
import { planSchema } from '../core/plan';
import { signatureKey, type SshPublicKey } from '../record/ssh-format';
import { sshVerify } from '../record/ssh-keygen';
import type { SshSigner } from '../record/ssh-identity';

export const APPROVAL_NAMESPACE = 'handrail-approval';
export const REQUEST_TYPE = 'application/vnd.handrail.approval-request+json';
export const APPROVAL_TYPE = 'application/vnd.handrail.approval+json';

const time = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'RFC 3339 UTC');
const digest = z.string().regex(/^sha256:[0-9a-f]{64}$/);

export const requestSchema = z.object({
  runbook: z.object({ id: z.string(), title: z.string(), version: z.string(), sha256: z.string() }),
  planDigest: digest,
  plan: planSchema,
  rehearsal: z.object({
    recordSha256: z.string(),
    location: z.string(),
    operator: z.string(),
    at: time,
    outcome: z.string(),
    steps: z.array(z.object({ id: z.string(), title: z.string(), status: z.string(), tail: z.string().optional() })),
  }),
  operator: z.object({ login: z.string().optional(), user: z.string(), host: z.string(), fingerprint: z.string() }),
  approval: z.object({ required: z.number().int(), from: z.union([z.array(z.string()), z.string()]), within: z.string() }),
  requestedAt: time,
  /** requestedAt + within: after this `handrail approve` no longer offers it. */
  openUntil: time,
  /** Drift already known when the request was made (SPEC §6.5), in words. */
  drift: z.array(z.string()),
});

export const approvalSchema = z.object({
  planDigest: digest,
  runbook: z.object({ id: z.string(), version: z.string() }),
  approver: z.string(),
  at: time,
});

export type ApprovalRequest = z.infer<typeof requestSchema>;
export type Approval = z.infer<typeof approvalSchema>;

export interface Envelope {
  payloadType: string;
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

/** Signs `payload` as `payloadType` with the signer's SSH key in the handrail-approval namespace; the file's text. */
export async function signDocument(payloadType: string, payload: unknown, signer: SshSigner): Promise<string> {
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const armored = await signer.sign(pae(payloadType, body), APPROVAL_NAMESPACE);
  const envelope: Envelope = {
    payloadType,
    payload: body.toString('base64'),
    signatures: [{ keyid: signer.key.fingerprint, sig: Buffer.from(armored, 'utf8').toString('base64') }],
  };
  return `${JSON.stringify(envelope, null, 2)}\n`;
}

export type Opened<T> =
  | { ok: true; payload: T; key: SshPublicKey; armored: string; data: Buffer; envelope: Envelope }
  | { ok: false; reason: string; key?: SshPublicKey; payload?: T };

function envelopeOf(text: string): Envelope | undefined {
  try {
    const e = JSON.parse(text) as Envelope;
    if (typeof e?.payloadType !== 'string' || typeof e.payload !== 'string' || !Array.isArray(e.signatures)) return undefined;
    if (!e.signatures.every((s) => typeof s?.keyid === 'string' && typeof s?.sig === 'string')) return undefined;
    return { payloadType: e.payloadType, payload: e.payload, signatures: e.signatures.map((s) => ({ keyid: s.keyid, sig: s.sig })) };
  } catch {
    return undefined;
  }
}

/**
 * Reads a request or approval and checks its SSH signature against the key inside the signature
 * (whose key that is, is the caller's question). Never throws: a bad file gets a reason.
 */
export async function openDocument<T>(text: string | Envelope, payloadType: string, schema: z.ZodType<T>): Promise<Opened<T>> {
  const envelope = typeof text === 'string' ? envelopeOf(text) : text;
  const what = payloadType === REQUEST_TYPE ? 'an approval request' : 'an approval';
  if (!envelope || envelope.payloadType !== payloadType) return { ok: false, reason: `it is not ${what}` };
  const body = decodeBase64Strict(envelope.payload);
  let parsed: z.ZodSafeParseResult<T> | undefined;
  try {
    parsed = body ? schema.safeParse(JSON.parse(body.toString('utf8'))) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!body || !parsed?.success) return { ok: false, reason: `it is not ${what} (its payload cannot be read)` };
  const payload = parsed.data;
  if (envelope.signatures.length !== 1) return { ok: false, reason: 'it does not carry exactly one signature', payload };
  const armored = decodeBase64Strict(envelope.signatures[0]!.sig)?.toString('utf8');
  const signer = armored ? signatureKey(armored) : undefined;
  if (!armored || !signer) return { ok: false, reason: 'its SSH signature is damaged', payload };
  if (signer.namespace !== APPROVAL_NAMESPACE)
    return {
      ok: false,
      key: signer.key,
      payload,
      reason: `it was signed for ${JSON.stringify(signer.namespace)}, not for ${APPROVAL_NAMESPACE}`,
    };
  const data = pae(payloadType, body);
  const good = await sshVerify({
    allowedSigners: `signer namespaces="${APPROVAL_NAMESPACE}" ${signer.key.line}\n`,
    principal: 'signer',
    armored,
    data,
    namespace: APPROVAL_NAMESPACE,
  });
  if (!good.ok)
    return {
      ok: false,
      key: signer.key,
      payload,
      reason: 'its SSH signature does not match its content: it was changed after it was signed',
    };
  return { ok: true, payload, key: signer.key, armored, data, envelope };
}

/** `<records path>/<runbook id>/approvals/<plan hex>`: one folder per plan, its request and approvals side by side. */
export function planFolder(recordsPath: string, runbookId: string, digestText: string): string {
  return `${recordsPath}/${runbookId}/approvals/${digestText.replace(/^sha256:/, '')}`;
}

/** `bob-20261207T180000Z.json`: no `-<outcome>` after the time, so record listings never take it for a record. */
export function approvalFileName(login: string, at: string): string {
  return `${login}-${at.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '')}.json`;
}

export const isRequestName = (name: string): boolean => /^request(-\d+)?\.json$/.test(name);
