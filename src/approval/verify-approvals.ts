// `handrail verify` on a live record that embeds approvals (SPEC §6.6): each approval's SSH signature
// is checked again, offline, against the plan the record names; with --github, each approver's key
// is checked to be theirs on GitHub, as the operator's is. One that does not verify fails the record.
import { notApprovedLine } from '../view/end-lines';
import { githubKeyCache } from '../record/identity';
import type { Statement } from '../record/predicate';
import { parsePublicKeyLine } from '../record/ssh-format';
import { sshVerify } from '../record/ssh-keygen';
import { APPROVAL_NAMESPACE, APPROVAL_TYPE, approvalSchema, openDocument } from './document';
import { errorReason } from '../core/errors';

export async function approvalLines(statement: Statement, github?: { baseUrl: string }): Promise<{ lines: string[]; failure?: string }> {
  const p = statement.predicate;
  const a = p.approval;
  if (!a) return { lines: [] };
  if (a.withoutApproval !== undefined) return { lines: [`Approval:  ${notApprovedLine(a.withoutApproval, 'label')}`] };
  const lines: string[] = [];
  const keysFor = github ? githubKeyCache(github.baseUrl) : undefined;
  for (const entry of a.approvals) {
    const who = `the approval by @${entry.approver}`;
    const opened = await openDocument(entry.envelope, APPROVAL_TYPE, approvalSchema);
    if (!opened.ok) return { lines, failure: `${who}: ${opened.reason}.` };
    const { payload, key } = opened;
    if (payload.approver !== entry.approver || key.fingerprint !== entry.fingerprint || payload.at !== entry.at)
      return {
        lines,
        failure: `${who} is signed by @${payload.approver} with SSH key ${key.fingerprint} at ${payload.at}, not as the record says.`,
      };
    if (!a.planDigest || payload.planDigest !== a.planDigest)
      return { lines, failure: `${who} is for plan ${payload.planDigest}, not the record's ${a.planDigest ?? '(none)'}.` };
    if (payload.runbook.id !== p.runbook.id) return { lines, failure: `${who} is for runbook ${payload.runbook.id}, not ${p.runbook.id}.` };
    if (
      payload.approver.toLowerCase() === p.operator.githubLogin?.toLowerCase() ||
      key.fingerprint === p.operator.sshSigningKey?.fingerprint
    )
      return { lines, failure: `${who} is the operator's own.` };
    let checked = '';
    if (keysFor) {
      let listed: string[];
      try {
        listed = await keysFor(payload.approver);
      } catch (error) {
        return { lines, failure: `${who}: GitHub could not say whose key it is: ${errorReason(error)}.` };
      }
      const keys = listed.map(parsePublicKeyLine).filter((k) => k !== undefined);
      if (!keys.some((k) => k.fingerprint === key.fingerprint))
        return { lines, failure: `${who}: SSH key ${key.fingerprint} is not one of @${payload.approver}'s GitHub SSH signing keys.` };
      const allowed = keys.map((k) => `${payload.approver} namespaces="${APPROVAL_NAMESPACE}" ${k.line}`).join('\n') + '\n';
      const good = await sshVerify({
        allowedSigners: allowed,
        principal: payload.approver,
        armored: opened.armored,
        data: opened.data,
        namespace: APPROVAL_NAMESPACE,
      });
      if (!good.ok) return { lines, failure: `${who}: ssh-keygen refused it for @${payload.approver}: ${good.message}.` };
      checked = ' — checked on GitHub';
    }
    lines.push(
      `Approved by @${payload.approver} (SSH key ${key.fingerprint}) at ${payload.at.replace(/\.\d+Z$/, 'Z')}, plan ${payload.planDigest}${checked}`,
    );
  }
  // Offline, a signature proves only that some key signed: whose it is needs GitHub.
  if (!keysFor && a.approvals.length) lines.push("Approvers' keys: not checked against GitHub; `--github` checks each is the approver's");
  if (a.approvals.length < a.required)
    return {
      lines,
      failure: `it names ${a.approvals.length} of the ${a.required} approvals its runbook requires, and no --without-approval reason.`,
    };
  return { lines };
}
