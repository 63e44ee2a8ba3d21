// The plan as the approver reads it before signing (SPEC §6.6): who asks and for what, who may
// approve, the inputs and choices, each step's text with what the rehearsal captured and its output's
// last lines, and any drift already known. Plain lines, wrapped to the terminal; every value from the
// repository passes the terminal-safe function first.
import { terminalSafe, terminalSafeLine } from '../core/terminal-safe';
import { wrapText } from '../core/wrap';
import { describeFrom } from './check';
import type { ApprovalRequest } from './document';

/** "3h 58m", "12m", "40s": how long something is still open. */
export function remaining(ms: number): string {
  if (ms <= 0) return 'closed';
  const m = Math.floor(ms / 60_000);
  if (m === 0) return `${Math.ceil(ms / 1000)}s`;
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  return [d ? `${d}d` : '', h ? `${h}h` : '', m % 60 ? `${m % 60}m` : ''].filter(Boolean).join(' ');
}

export const operatorOf = (r: ApprovalRequest): string =>
  r.operator.login ? `@${r.operator.login}` : `${r.operator.user}@${r.operator.host}`;
const utc = (iso: string) => iso.replace(/\.\d+Z$/, 'Z');

export interface ReviewContext {
  /** Where the request is: OWNER/REPO:path. */
  location: string;
  /** Whose key signed the request, checked against GitHub, in words. */
  signedBy: string;
  /** Approvals already in the folder, by file name. */
  approvedBy: string[];
  now?: Date;
}

/** One line per plan in the list of waiting plans. */
export function summaryLines(r: ApprovalRequest, index: number, approvedBy: string[], now = new Date()): string[] {
  return [
    `${String(index + 1).padStart(2)}. ${r.runbook.id} ${r.runbook.version} — ${r.runbook.title}`,
    `    run by ${operatorOf(r)}, asked ${utc(r.requestedAt)}; open ${remaining(Date.parse(r.openUntil) - now.getTime())} more; ${approvedBy.length} of ${r.approval.required} approved`,
  ].map(terminalSafeLine);
}

export function reviewLines(r: ApprovalRequest, ctx: ReviewContext, width = 80): string[] {
  const now = ctx.now ?? new Date();
  const out: string[] = [];
  const add = (text: string, indent = '') => out.push(...wrapText(terminalSafeLine(text), width, indent));
  const block = (text: string, prefix: string) => {
    for (const line of terminalSafe(text).replace(/\t/g, '    ').replace(/\n$/, '').split('\n'))
      add(`${prefix}${line}`, ' '.repeat(prefix.length));
  };
  add(`Approve the plan of ${r.runbook.title} (${r.runbook.id} ${r.runbook.version})`);
  add(`Plan ${r.planDigest}`);
  add(`Operator:   ${operatorOf(r)} (${r.operator.user}@${r.operator.host})`, '            ');
  add(`Request:    ${ctx.signedBy}`, '            ');
  add(
    `Asked:      ${utc(r.requestedAt)}; open until ${utc(r.openUntil)} (${remaining(Date.parse(r.openUntil) - now.getTime())} more)`,
    '            ',
  );
  add(
    `Approvers:  ${r.approval.required} needed from ${describeFrom(r.approval.from)}; so far ${ctx.approvedBy.length ? ctx.approvedBy.join(', ') : 'none'}`,
    '            ',
  );
  add(`Rehearsal:  ${r.rehearsal.outcome}, by ${r.rehearsal.operator} at ${utc(r.rehearsal.at)} (${r.rehearsal.location})`, '            ');
  out.push('');
  add('Inputs and choices');
  const inputs = Object.entries(r.plan.inputs);
  if (inputs.length === 0) add('  (none)');
  for (const [name, value] of inputs) add(`  ${name} = ${value}`, '    ');
  out.push('');
  add('Steps');
  r.plan.steps.forEach((step, i) => {
    const rehearsed = r.rehearsal.steps.find((s) => s.id === step.id);
    add(`${String(i + 1).padStart(3)}. ${step.title}  [${step.kind}]${rehearsed ? `  rehearsal: ${rehearsed.status}` : ''}`, '       ');
    if (step.text.trim()) block(step.text, '       │ ');
    for (const [name, value] of Object.entries(step.captured)) add(`       captured ${name} = ${value}`, '         ');
    if (step.driftIgnore) add('       drift=ignore: its captured values may change');
    if (rehearsed?.tail?.trim()) {
      add('       rehearsal output, last lines:');
      block(rehearsed.tail, '       ┊ ');
    }
  });
  out.push('');
  add('Drift already known');
  if (r.drift.length === 0) add('  none');
  for (const d of r.drift) add(`  - ${d}`, '    ');
  return out;
}
