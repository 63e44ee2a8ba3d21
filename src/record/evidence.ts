// Whether a record counts as evidence that something happened (SPEC §6.3): it verifies with this
// machine's record key, or it carries an SSH signature that GitHub lists for the operator it names
// (the §6.1 check). What a record claims is never enough: an unsigned file, a stranger's key or an
// edited payload is a claim, not evidence. Nothing here throws for a bad record.
import type { Statement } from './predicate';
import { checkRecordIdentity } from './identity';
import { GITHUB_LOGIN } from '../github/signing-keys';
import { decodeBase64Strict } from './dsse';
import { predicateOf } from './read';
import { isSshKeyid, parsePublicKeyLine, signatureKey } from './ssh-format';
import { readStatement, verifyRecord, type CandidateKey } from './verify';

/**
 * `costly`: deciding took ssh-keygen or a GitHub request (not only this machine's Ed25519 check).
 * `lasting`: the record's bytes alone decide that it does not count, for as long as none of
 * `unlessKeyids` (its Ed25519 keyids) is this machine's record key: the verdict may be remembered.
 */
export type Evidence =
  | { counts: true; statement: Statement; by: string; costly?: true }
  | { counts: false; reason: string; costly?: true; lasting?: { unlessKeyids: string[] } };

export interface EvidenceOptions {
  /** This machine's record keys (keychain and fallback file). */
  localKeys: readonly CandidateKey[];
  /**
   * Where to ask whose SSH key it is; without it, only this machine's key can make a record count.
   * `asked`: logins whose keys this run has asked for already, shared across records.
   */
  github?: { baseUrl: string; keysFor?: (login: string) => Promise<string[]>; asked?: Set<string> };
}

export async function recordEvidence(text: string, options: EvidenceOptions): Promise<Evidence> {
  const local = verifyRecord(text, options.localKeys);
  if (local.ok) return { counts: true, statement: local.statement, by: "this machine's record key" };
  // Not a record, no signature at all, or this machine's key over changed bytes: nothing can vouch for it.
  if (!local.unknownKey) return { counts: false, reason: shortReason(local.reason), lasting: { unlessKeyids: [] } };
  if (!options.github)
    return { counts: false, reason: "it is signed by another machine's key, and only this machine's key is checked here" };
  const foreign = await notTheirKey(text, options.github);
  if (foreign) return foreign;
  const identity = await checkRecordIdentity(text, { github: options.github });
  switch (identity.status) {
    case 'verified': {
      const statement = readStatement(text);
      return statement
        ? { counts: true, statement, by: `@${identity.login}'s GitHub SSH signing key`, costly: true }
        : { counts: false, reason: 'its payload is not a handrail statement' };
    }
    case 'unsigned':
      return {
        counts: false,
        reason: "it is signed by another machine's key and carries no SSH signature of its operator",
        lasting: { unlessKeyids: ed25519Keyids(text) },
      };
    case 'unchecked':
      return {
        counts: false,
        reason: `it is signed by another machine's key, and its SSH signature could not be checked: ${trimmed(identity.reason)}`,
        costly: true,
      };
    case 'refused':
      return {
        counts: false,
        reason: trimmed(identity.reason),
        costly: true,
        ...(identity.byBytes ? { lasting: { unlessKeyids: ed25519Keyids(text) } } : {}),
      };
  }
}

/**
 * A record SSH-signed by a key that GitHub does not list for the login it names, found without
 * ssh-keygen (identity.ts would run it first): once a login's keys are known, a flood of records
 * signed by someone else's key in that login's name costs nothing more, so it cannot use up the
 * checks a real rehearsal needs. Undefined when identity.ts must decide (and say why).
 */
async function notTheirKey(text: string, github: NonNullable<EvidenceOptions['github']>): Promise<Evidence | undefined> {
  if (!github.keysFor) return undefined;
  const login = predicateOf(text)?.operator.githubLogin;
  const { signatures } = JSON.parse(text) as { signatures: { keyid?: unknown; sig?: unknown }[] };
  const ssh = signatures.find((s) => typeof s?.keyid === 'string' && isSshKeyid(s.keyid) && typeof s.sig === 'string');
  const armored = ssh ? decodeBase64Strict(ssh.sig as string)?.toString('utf8') : undefined;
  const signer = armored ? signatureKey(armored) : undefined;
  if (!login || !GITHUB_LOGIN.test(login) || !signer) return undefined;
  const fresh = !github.asked?.has(login);
  github.asked?.add(login);
  let lines: string[];
  try {
    lines = await github.keysFor(login);
  } catch {
    return undefined;
  }
  if (lines.some((line) => parsePublicKeyLine(line)?.fingerprint === signer.key.fingerprint)) return undefined;
  return {
    counts: false,
    reason: `SSH key ${signer.key.fingerprint} is not one of @${login}'s GitHub SSH signing keys, so it does not prove that @${login} rehearsed`,
    ...(fresh ? { costly: true as const } : {}),
  };
}

/** The keyids of the envelope's Ed25519 signatures (verifyRecord has parsed it already). */
function ed25519Keyids(text: string): string[] {
  const { signatures } = JSON.parse(text) as { signatures: { keyid?: unknown }[] };
  return signatures.map((s) => s?.keyid).filter((k): k is string => typeof k === 'string' && !isSshKeyid(k));
}

function trimmed(text: string): string {
  return text.replace(/\.$/, '');
}

/** verify.ts's sentences, shortened for a list of records that do not count. */
function shortReason(reason: string): string {
  if (reason.startsWith('bad signature')) return 'its signature does not match its contents (changed after it was signed)';
  if (reason.includes('carries no signature')) return 'it is not signed';
  return trimmed(reason);
}
