// What the operator sees while a live run waits for approval (SPEC §6.6): a full screen on a terminal
// (redrawn in place, q aborts, r checks now), or lines that say only what changed (line mode, --yes).
import { terminalSafeLine } from '../core/terminal-safe';
import { wrapText } from '../core/wrap';

export interface WaitStatus {
  title: string;
  runbookId: string;
  version: string;
  planDigest: string;
  rehearsedBy: string;
  required: number;
  who: string;
  command: string;
  request?: string;
  counted: string[];
  ignored: string[];
  checkedAt?: string;
  /** Why the last check failed (GitHub unreachable…): the wait goes on. */
  problem?: string;
  /** Under --yes: when the wait gives up. */
  deadline?: string;
}

export function waitingLine(s: Pick<WaitStatus, 'required' | 'who' | 'command'>): string {
  return `Waiting for ${s.required === 1 ? 'an approval' : `${s.required} approvals`} from ${s.who}: they run \`${s.command}\``;
}

export function waitLines(s: WaitStatus, width = 80): string[] {
  const lines = [
    `handrail: LIVE run of ${s.title} (${s.runbookId} ${s.version}) waits for approval`,
    '',
    waitingLine(s),
    '',
    // On a line of its own, so it can be copied whole whatever the width.
    `    ${s.command}`,
    '',
    `Approved so far: ${s.counted.length ? `${s.counted.join(', ')} (${s.counted.length} of ${s.required})` : 'nobody'}`,
    `Plan ${s.planDigest}, the rehearsal by ${s.rehearsedBy}`,
    ...(s.request ? [`Request ${s.request}`] : []),
    ...(s.checkedAt
      ? [`Last checked ${s.checkedAt.replace(/\.\d+Z$/, 'Z')}${s.deadline ? `; gives up at ${s.deadline.replace(/\.\d+Z$/, 'Z')}` : ''}.`]
      : []),
    ...(s.problem ? [`Could not check: ${s.problem}; trying again.`] : []),
    ...(s.ignored.length ? ['', 'Not counted:', ...s.ignored.map((r) => `  - ${r}`)] : []),
  ];
  return lines.flatMap((line) => (line ? wrapText(terminalSafeLine(line), width, line.startsWith('  - ') ? '    ' : '') : ['']));
}

/** The whole screen: the lines above, cut to fit, and the keys on the last row. */
export function waitScreen(s: WaitStatus, width: number, height: number): string {
  const keys = 'q abort (nothing is run) · r check now';
  const body = waitLines(s, width).slice(0, Math.max(1, height - 2));
  return `\x1b[H\x1b[2J${body.join('\r\n')}\x1b[${height};1H${keys.slice(0, width)}`;
}
