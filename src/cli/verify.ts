// `handrail verify RECORD [--key PEM]`: checks the signature, then says who ran what, when, and how
// each step ended. With --key only that key is accepted (an auditor asking "did X sign this?");
// without it, the local signing key and <config>/trusted-keys/*.pem are.
import { renderTemplate } from '../runbook/template';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { HandrailError, UsageError } from '../core/errors';
import { localPublicKeys, readPublicKey, trustedKeys } from '../record/keys';
import { readStatement, verifyRecord, type CandidateKey } from '../record/verify';
import { checkRecordIdentity, type IdentityVerdict, type OwnerSource } from '../record/identity';
import { githubApiUrl } from '../github/api-url';
import type { Statement } from '../record/predicate';
import { readBoundedFile, UnreadableFile } from '../team/bounded-file';
import { terminalSafeLine } from '../core/terminal-safe';

// A path that cannot be read is bad usage (exit 2, as for lint and run): nothing was verified.
function readText(path: string, what: string, hint: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : `${code}`;
    throw new UsageError(`Cannot read ${what} ${path}: ${why}; ${hint}.`);
  }
}

async function candidateKeys(keyPath: string | undefined): Promise<{ keys: CandidateKey[]; notes: string[] }> {
  if (keyPath !== undefined) {
    const pem = readText(keyPath, 'the public key', 'give a PEM file made by `handrail keys export`');
    try {
      return { keys: [{ key: readPublicKey(pem), label: keyPath }], notes: [] };
    } catch {
      throw new HandrailError(`${keyPath} is not an Ed25519 public key in PEM form; use the output of \`handrail keys export\`.`);
    }
  }
  const trusted = trustedKeys();
  return { keys: [...(await localPublicKeys()), ...trusted.keys], notes: trusted.problems };
}

/** Far above any runbook; the record names the path, so a device there must not fill memory. */
const MAX_RUNBOOK_BYTES = 16 * 1024 * 1024;

function runbookDigestNote(statement: Statement): string {
  const subject = statement.subject[0];
  let bytes: Buffer;
  try {
    // The record chose this path: a FIFO would hang verify, /dev/zero would fill its memory.
    bytes = readBoundedFile(subject.name, MAX_RUNBOOK_BYTES, { followLinks: true });
  } catch (error) {
    if (error instanceof UnreadableFile)
      return `Runbook:   ${subject.name} ${error.message.replace(/^it /, '')}, so its digest was not compared.`;
    return `Runbook:   ${subject.name} is not here (relative to this folder), so its digest was not compared.`;
  }
  const now = createHash('sha256').update(bytes).digest('hex');
  return now === subject.digest.sha256
    ? `Runbook:   ${subject.name} still matches the recorded digest.`
    : `Runbook:   ${subject.name} has CHANGED since this run (sha256 ${now}, recorded ${subject.digest.sha256}).`;
}

/** A step title, filled, is cut to this; a value filled into it, too (a record's author chooses both). */
const TITLE_CHARS = 500;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function describeStatement(statement: Statement): string[] {
  const p = statement.predicate;
  // 100 000 `{{A}}` in a title with A 400 KB long would be 40 GB filled: each part is cut first.
  const titleInputs = Object.fromEntries(Object.entries(p.inputs).map(([k, v]) => [k, clip(v, TITLE_CHARS)]));
  const who = `${p.operator.user}@${p.operator.host}${p.operator.githubLogin ? ` (GitHub: ${p.operator.githubLogin})` : ''}`;
  const lines = [
    `What:      ${p.runbook.title} (${p.runbook.id} ${p.runbook.version}), ${p.mode === 'rehearsal' ? 'rehearsal' : 'live'}`,
    `Who:       ${who}`,
    `When:      ${p.start} to ${p.end}${p.resumes.length > 0 ? ` (resumed ${p.resumes.length}×)` : ''}`,
    `Outcome:   ${p.outcome}${p.outcomeReason ? ` (${p.outcomeReason})` : ''}`,
    `Tool:      ${p.tool.name} ${p.tool.version}`,
  ];
  // A live run of a runbook that asks for rehearsal says what it relied on (SPEC §6.3).
  const relied = p.rehearsal?.reliedOn;
  if (relied)
    lines.push(`Rehearsal: relied on ${relied.operator}'s, ended ${relied.at} (record sha256 ${relied.recordSha256}, ${relied.location})`);
  if (p.rehearsal?.withoutRehearsal !== undefined)
    lines.push(`Rehearsal: none; run live without one, because: ${p.rehearsal.withoutRehearsal}`);
  const inputs = Object.entries(p.inputs);
  if (inputs.length > 0) lines.push(`Inputs:    ${inputs.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  if (p.secrets.length > 0) lines.push(`Secrets:   ${p.secrets.map((s) => `${s.name} (${s.source})`).join(', ')}`);
  lines.push('Steps:');
  const width = Math.max(...p.steps.map((s) => s.status.length), 6);
  for (const step of p.steps) {
    const details = [
      step.exitCode !== undefined ? `exit ${step.exitCode}` : '',
      step.skipReason ? `reason: ${step.skipReason}` : '',
      step.failureReason ? `reason: ${step.failureReason}` : '',
    ].filter(Boolean);
    // Records written before titles were filled still read filled: the inputs are in the record.
    const title = clip(renderTemplate(clip(step.title, TITLE_CHARS), titleInputs, new Set(p.secrets.map((s) => s.name))), TITLE_CHARS);
    lines.push(`  ${step.status.padEnd(width)}  ${step.id}  ${title}${details.length ? `  (${details.join('; ')})` : ''}`);
  }
  lines.push(...planLines(statement));
  return lines;
}

/** SPEC §6.5: a rehearsal's plan digest; a live run's relied-on plan and every drift with its decision. */
function planLines(statement: Statement): string[] {
  const p = statement.predicate;
  const lines: string[] = [];
  if (p.planDigest)
    lines.push(
      `Plan:      ${p.planDigest} (${p.plan?.steps.length ?? 0} steps, ${Object.keys(p.plan?.inputs ?? {}).length} inputs and choices)`,
    );
  const relied = p.rehearsal?.reliedOn;
  if (relied) {
    lines.push(`Rehearsal: relied on ${relied.operator}'s rehearsal at ${relied.at} (record sha256 ${relied.recordSha256})`);
    lines.push(relied.planDigest ? `Held to:   plan ${relied.planDigest}` : 'Held to:   no plan (that rehearsal recorded none)');
  }
  if (p.rehearsal?.withoutRehearsal !== undefined) lines.push(`Rehearsal: none; run live because: ${p.rehearsal.withoutRehearsal}`);
  const drifts = p.drifts ?? [];
  if (relied?.planDigest)
    lines.push(
      drifts.length
        ? `Drift:     ${drifts.length} difference${drifts.length === 1 ? '' : 's'} from the plan`
        : 'Drift:     none; the live run did what was rehearsed',
    );
  for (const drift of drifts) {
    const subject =
      drift.field === 'text'
        ? `what ${drift.stepId} runs`
        : `${drift.name} (${drift.field === 'input' ? 'input' : `captured by ${drift.stepId}`})`;
    const decision =
      drift.decision === 'accepted'
        ? `drift accepted by ${drift.by}${drift.auto ? ' (--accept-drift)' : ''}`
        : drift.decision === 'aborted'
          ? `stopped the run (${drift.auto ? '--yes without --accept-drift' : `by ${drift.by}`})`
          : 'not asked: no changing step followed';
    lines.push(
      `  ${subject}${drift.beforeStepId ? `, before ${drift.beforeStepId}` : drift.decision !== 'not-asked' ? ', before step 1' : ''}: ${decision}`,
    );
    const value = (label: string, text: string | undefined) =>
      (text === undefined ? ['(not reached in the rehearsal)'] : text === '' ? ['(empty)'] : text.split('\n')).forEach((row, i) =>
        lines.push(`    ${i === 0 ? label : ' '.repeat(label.length)} ${row}`),
      );
    value('rehearsed:', drift.rehearsed);
    value('now:      ', drift.now);
  }
  return lines;
}

export interface VerifyOptions {
  key?: string;
  /** Check the SSH signing key against the named login's keys on GitHub (SPEC §6.1). */
  github?: boolean;
  /** Check it against a git-style allowed-signers file instead, offline. */
  allowedSigners?: string;
  githubApi?: string;
}

/** Who signed, in words: the first line of a verified record. */
function identityLine(verdict: IdentityVerdict): string {
  switch (verdict.status) {
    case 'verified':
      return verdict.by === 'GitHub SSH signing key'
        ? `Signed by: @${verdict.login}, GitHub SSH signing key ${verdict.fingerprint}`
        : `Signed by: ${verdict.login}, ${verdict.by} (${verdict.fingerprint})`;
    case 'unchecked':
      return `Signed by: SSH key ${verdict.fingerprint}${verdict.login ? `, for @${verdict.login}` : ''} — unchecked: ${verdict.reason}`;
    case 'unsigned':
      return `Signed by: unchecked — ${verdict.reason}`;
    case 'refused':
      return `Signed by: refused — ${verdict.reason}`;
  }
}

export async function verifyCommand(record: string, options: VerifyOptions): Promise<number> {
  const text = readText(record, 'the record', 'give the path of a record JSON file (`handrail records` lists them)');
  const owner: OwnerSource | undefined =
    options.allowedSigners !== undefined
      ? {
          allowedSigners: {
            text: readText(options.allowedSigners, 'the allowed-signers file', "give a file in git's allowed-signers format"),
            label: options.allowedSigners,
          },
        }
      : options.github
        ? { github: { baseUrl: githubApiUrl({ flag: options.githubApi }) } }
        : undefined;
  const { keys, notes } = await candidateKeys(options.key);
  for (const note of notes) process.stderr.write(`handrail: warning: ${note}\n`);
  const outcome = verifyRecord(text, keys);
  // Asked "did this key sign it?", only that key answers: nobody's SSH signature vouches instead.
  if (options.key !== undefined && !outcome.ok && outcome.unknownKey)
    throw new HandrailError(
      `${record} does not verify: ${terminalSafeLine(outcome.reason.replace(/;.*$/, ''))}, not by ${options.key}; with --key, only that key counts.`,
    );
  // Not a record, or a known key's signature that does not match: nothing more to ask.
  // Reasons quote the record (a keyid, a login, a namespace): each is one line, never one posing as verify's own.
  if (!outcome.ok && !outcome.unknownKey) throw new HandrailError(`${record} does not verify: ${terminalSafeLine(outcome.reason)}`);
  const identity = await checkRecordIdentity(text, owner);

  // A bad SSH signature, or a key that is not the named user's, fails whatever the local key says.
  if (identity.status === 'refused') throw new HandrailError(`${record} does not verify: ${terminalSafeLine(identity.reason)}`);
  // Asked who signed it, and it could not be told: that is not a yes.
  if (owner && identity.status === 'unchecked')
    throw new HandrailError(`${record}: who signed it could not be checked: ${terminalSafeLine(identity.reason)}`);
  // An auditor's machine does not know the operator's local key: a verified SSH signature vouches for the record.
  const vouched = identity.status === 'verified' && !outcome.ok && outcome.unknownKey;
  if (!outcome.ok && !vouched) {
    const hint =
      outcome.unknownKey && identity.status === 'unchecked'
        ? ' It also carries an SSH signature: check that with --github or --allowed-signers FILE.'
        : '';
    throw new HandrailError(`${record} does not verify: ${terminalSafeLine(outcome.reason)}${hint}`);
  }
  const statement = outcome.ok ? outcome.statement : readStatement(text);
  if (!statement) throw new HandrailError(`${record} does not verify: the payload is not a handrail statement.`);
  // Every approval the record embeds is checked like the operator's signature (SPEC §6.6).
  const approvals = await (
    await import('../approval/verify-approvals')
  ).approvalLines(statement, options.github ? { baseUrl: githubApiUrl({ flag: options.githubApi }) } : undefined);
  if (approvals.failure) throw new HandrailError(`${record} does not verify: ${approvals.failure}`);
  const out = [
    identityLine(identity),
    outcome.ok
      ? `Signature: valid, by ${outcome.keyLabel} (keyid ${outcome.keyid})`
      : `Signature: the SSH signature vouches for it; handrail's own signature is by a key not known here`,
    ...describeStatement(statement),
    ...approvals.lines,
    runbookDigestNote(statement),
  ];
  // Every line is one line: a value in the record cannot start another ("Outcome: completed") or hide one.
  process.stdout.write(`${out.map(terminalSafeLine).join('\n')}\n`);
  return 0;
}
