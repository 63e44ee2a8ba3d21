// The header, painted with a few escape codes the moment `handrail run` knows its runbook: loading
// Ink, React and Yoga takes longer than everything before it, and the operator should not stare
// at a blank terminal meanwhile. Ink draws its first frame over this one.
import type { Mode } from '../core/events';
import { headerText } from './header-text';
import { noColor } from './theme';

export interface FirstFrameOptions {
  title: string;
  version: string;
  mode: Mode;
  total: number;
}

const ENTER = '\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J';
const CLEAR = '\x1b[H\x1b[2J';

/** Paints the header on the alternate screen; the returned function wipes it for Ink's first frame. */
export function paintFirstFrame(stdout: NodeJS.WriteStream, options: FirstFrameOptions): () => void {
  const width = Math.max(40, stdout.columns || 80);
  const { name, badge, right } = headerText({ ...options, current: -1, elapsed: '', width });
  const colour = !noColor() && stdout.hasColors?.() === true;
  const styledBadge = colour ? `\x1b[7;1;${options.mode === 'live' ? 31 : 34}m${badge}\x1b[0m` : `\x1b[7;1m${badge}\x1b[0m`;
  const gap = Math.max(1, width - name.length - 1 - badge.length - right.length);
  stdout.write(`${ENTER}\x1b[1m${name}\x1b[0m ${styledBadge}${' '.repeat(gap)}${right}\x1b[H`);
  return () => {
    stdout.write(CLEAR);
  };
}
