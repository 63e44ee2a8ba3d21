// Who ran it (SPEC §6.1): checks a record's SSH signature — made over the same PAE bytes as the
// Ed25519 one — and whether its key belongs to the GitHub login the record names, against GitHub
// (`GET /users/{login}/ssh_signing_keys`) or a git-style allowed-signers file. Every signature check
// is `ssh-keygen -Y verify`; nothing here throws for a bad record.
import { errorReason, HandrailError } from '../core/errors';
import { GithubStatusError } from '../github/errors';
import { GITHUB_LOGIN, githubSshSigningKeys } from '../github/signing-keys';
import { IN_TOTO_PAYLOAD_TYPE, decodeBase64Strict, pae } from './dsse';
import { statementSchema, type Statement } from './predicate';
import { SSH_NAMESPACE, isSshKeyid, parsePublicKeyLine, signatureKey, type SshPublicKey } from './ssh-format';
import { sshFindPrincipals, sshVerify } from './ssh-keygen';

export type IdentityVerdict =
  /** The SSH signature is good and its key is the named login's (on GitHub / in the allowed-signers file). */
  | { status: 'verified'; login: string; fingerprint: string; by: string }
  /** The record carries no SSH signature: who ran it is unchecked. */
  | { status: 'unsigned'; reason: string }
  /** The SSH signature is good, but whose key it is could not be (or was not asked to be) checked. */
  | { status: 'unchecked'; fingerprint: string; login?: string; reason: string }
  /** The SSH signature is bad, or its key is not the named login's. `byBytes`: the record's bytes alone decide it (not GitHub, not a file). */
  | { status: 'refused'; reason: string; fingerprint?: string; login?: string; byBytes?: true };

/** Where a key's owner is looked up. `keysFor` lets a caller share one GitHub request per login. */
export type OwnerSource =
  { github: { baseUrl: string; keysFor?: (login: string) => Promise<string[]> } } | { allowedSigners: { text: string; label: string } };

/** One `GET /users/{login}/ssh_signing_keys` per login, however many records name it. */
export function githubKeyCache(baseUrl: string): (login: string) => Promise<string[]> {
  const cache = new Map<string, Promise<string[]>>();
  return (login) => {
    let keys = cache.get(login);
    if (!keys) cache.set(login, (keys = githubSshSigningKeys(login, baseUrl)));
    return keys;
  };
}

interface SshSigned {
  armored: string;
  key: SshPublicKey;
  login?: string;
  data: Buffer;
  statement: Statement;
}

function envelopeOf(text: string): { payloadType: string; payload: string; signatures: { keyid: string; sig: string }[] } | undefined {
  const parsed = parseJson(text) as Record<string, unknown> | undefined;
  if (typeof parsed?.payloadType !== 'string' || typeof parsed.payload !== 'string' || !Array.isArray(parsed.signatures)) return undefined;
  const signatures = parsed.signatures.filter(
    (s): s is { keyid: string; sig: string } => typeof s?.keyid === 'string' && typeof s?.sig === 'string',
  );
  return { payloadType: parsed.payloadType, payload: parsed.payload, signatures };
}

/** Text the record chose, cut short: a reason must stay a line (callers show it terminal-safe). */
function clipped(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** The same, quoted and escaped for a sentence. */
function quoted(text: string): string {
  return JSON.stringify(clipped(text));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The SSH signature checked against the key the record names; a verdict when it cannot be. */
async function readSshSignature(text: string): Promise<SshSigned | IdentityVerdict> {
  const envelope = envelopeOf(text);
  if (!envelope || envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    return { status: 'refused', byBytes: true, reason: 'the file is not a handrail record.' };
  const body = decodeBase64Strict(envelope.payload);
  const checked = body && statementSchema.safeParse(parseJson(body.toString('utf8')));
  if (!body || !checked?.success) return { status: 'refused', byBytes: true, reason: 'the payload is not a handrail statement.' };
  const statement = checked.data as Statement;
  const operator = statement.predicate.operator;
  const login = operator.githubLogin;
  const signature = envelope.signatures.find((s) => isSshKeyid(s.keyid));
  if (!signature) {
    const why = operator.sshSignatureMissing ? ` (${operator.sshSignatureMissing.replace(/\.$/, '')})` : '';
    return {
      status: 'unsigned',
      reason: `the record carries no SSH signature${why}, so who ran it is unchecked: it is signed only by handrail's local key.`,
    };
  }
  const armored = decodeBase64Strict(signature.sig)?.toString('utf8');
  const signer = armored ? signatureKey(armored) : undefined;
  if (!armored || !signer)
    return { status: 'refused', byBytes: true, reason: 'the SSH signature is damaged (not an armored SSH signature).' };
  if (signer.namespace !== SSH_NAMESPACE)
    return {
      status: 'refused',
      byBytes: true,
      fingerprint: signer.key.fingerprint,
      reason: `the SSH signature was made for ${quoted(signer.namespace)}, not for handrail records.`,
    };
  const named = operator.sshSigningKey ? parsePublicKeyLine(operator.sshSigningKey.publicKey) : undefined;
  if (!named)
    return {
      status: 'refused',
      byBytes: true,
      fingerprint: signer.key.fingerprint,
      reason: 'the record carries an SSH signature but does not name the SSH key that made it.',
    };
  if (named.fingerprint !== signer.key.fingerprint || signature.keyid !== signer.key.fingerprint)
    return {
      status: 'refused',
      byBytes: true,
      fingerprint: signer.key.fingerprint,
      reason: `the SSH signature was made with key ${signer.key.fingerprint}, but the record names ${named.fingerprint}${signature.keyid !== named.fingerprint ? ` and its keyid says ${clipped(signature.keyid)}` : ''}.`,
    };
  const data = pae(envelope.payloadType, body);
  const good = await sshVerify({
    allowedSigners: `signer namespaces="${SSH_NAMESPACE}" ${named.line}\n`,
    principal: 'signer',
    armored,
    data,
  });
  if (!good.ok)
    return {
      status: 'refused',
      byBytes: true,
      fingerprint: named.fingerprint,
      reason:
        'bad SSH signature: it was not made over this record — the record was changed after it was signed, or the signature was copied from another record.',
    };
  return { armored, key: named, data, statement, ...(login !== undefined ? { login } : {}) };
}

async function ownedOnGithub(
  signed: SshSigned,
  login: string,
  source: { baseUrl: string; keysFor?: (login: string) => Promise<string[]> },
): Promise<IdentityVerdict> {
  const fingerprint = signed.key.fingerprint;
  let lines: string[];
  try {
    lines = await (source.keysFor ?? ((l: string) => githubSshSigningKeys(l, source.baseUrl)))(login);
  } catch (error) {
    // A login GitHub does not know is an answer, not an outage.
    if (error instanceof GithubStatusError && error.status === 404)
      return { status: 'refused', fingerprint, login, reason: `the record names @${login}, but ${errorReason(error)}.` };
    const reason = error instanceof HandrailError ? error.message : String(error);
    return { status: 'unchecked', fingerprint, login, reason: `GitHub could not be asked whose key it is: ${reason}` };
  }
  const keys = lines.map(parsePublicKeyLine).filter((k): k is SshPublicKey => k !== undefined);
  if (!keys.some((k) => k.fingerprint === fingerprint))
    return {
      status: 'refused',
      fingerprint,
      login,
      reason: `SSH key ${fingerprint} is not one of @${login}'s GitHub SSH signing keys (GitHub lists ${keys.length === 1 ? '1 key' : `${keys.length} keys`} for @${login}), so the record does not prove that @${login} ran it.`,
    };
  // Checked once more the way an auditor would, against the allowed-signers lines GitHub's answer makes.
  const allowed = keys.map((k) => `${login} namespaces="${SSH_NAMESPACE}" ${k.line}`).join('\n') + '\n';
  const good = await sshVerify({ allowedSigners: allowed, principal: login, armored: signed.armored, data: signed.data });
  if (!good.ok)
    return { status: 'refused', fingerprint, login, reason: `ssh-keygen refused the signature for @${login}: ${good.message}.` };
  return { status: 'verified', login, fingerprint, by: 'GitHub SSH signing key' };
}

async function ownedInFile(signed: SshSigned, source: { text: string; label: string }): Promise<IdentityVerdict> {
  const fingerprint = signed.key.fingerprint;
  const principals = await sshFindPrincipals({ allowedSigners: source.text, armored: signed.armored });
  const login = signed.login ?? principals[0];
  if (login === undefined) return { status: 'refused', fingerprint, reason: `${source.label} lists nobody for SSH key ${fingerprint}.` };
  const good = await sshVerify({ allowedSigners: source.text, principal: login, armored: signed.armored, data: signed.data });
  if (!good.ok) {
    const others = principals.length ? ` (it lists that key for ${principals.join(', ')})` : '';
    return {
      status: 'refused',
      fingerprint,
      login,
      reason: `${source.label} does not list SSH key ${fingerprint} for ${login}${others}, so the record does not prove that ${login} ran it.`,
    };
  }
  return { status: 'verified', login, fingerprint, by: `SSH key listed in ${source.label}` };
}

/**
 * Whether the record's SSH signature is good and belongs to the login it names. Without `owner`,
 * only the signature is checked (verdict `unchecked` at best).
 */
export async function checkRecordIdentity(text: string, owner?: OwnerSource): Promise<IdentityVerdict> {
  const signed = await readSshSignature(text);
  if (!('armored' in signed)) return signed;
  const fingerprint = signed.key.fingerprint;
  if (owner && 'allowedSigners' in owner) return ownedInFile(signed, owner.allowedSigners);
  if (!owner)
    return {
      status: 'unchecked',
      fingerprint,
      ...(signed.login ? { login: signed.login } : {}),
      reason: 'whose key it is was not checked; pass --github or --allowed-signers FILE.',
    };
  if (signed.login === undefined)
    return { status: 'unchecked', fingerprint, reason: 'the record names no GitHub login, so there is nobody to check the key against.' };
  if (!GITHUB_LOGIN.test(signed.login))
    return {
      status: 'refused',
      byBytes: true,
      fingerprint,
      reason: `the record's GitHub login ${quoted(signed.login)} is not a GitHub login.`,
    };
  return ownedOnGithub(signed, signed.login, owner.github);
}

/**
 * For `handrail records --repo` and the like: does this record's SSH signature belong to the GitHub
 * login it names? Pass one `githubKeyCache(baseUrl)` as `keysFor` across many records.
 */
export function checkRecordOnGithub(
  text: string,
  options: { baseUrl: string; keysFor?: (login: string) => Promise<string[]> },
): Promise<IdentityVerdict> {
  return checkRecordIdentity(text, { github: options });
}
