// The header's words, shared by the Ink Header and the first frame painted before Ink has loaded,
// so the line the operator sees first is the very line Ink draws over it.
import type { Mode } from '../core/events';

export interface HeaderTextOptions {
  title: string;
  version: string;
  mode: Mode;
  /** 0-based current step, -1 before step 1. */
  current: number;
  total: number;
  /** Elapsed time, already formatted; empty before the run starts. */
  elapsed: string;
  width: number;
}

export interface HeaderText {
  name: string;
  badge: string;
  right: string;
}

export function headerText({ title, version, mode, current, total, elapsed, width }: HeaderTextOptions): HeaderText {
  const badge = mode === 'live' ? ' LIVE ' : ' REHEARSAL ';
  const progress = current < 0 ? `${total} steps` : `step ${current + 1} of ${total}`;
  const right = `${progress}  ${elapsed}`.trimEnd();
  const room = Math.max(8, width - badge.length - right.length - 4);
  const full = `${title} v${version}`;
  const name = full.length > room ? `${full.slice(0, room - 1)}…` : full;
  return { name, badge, right };
}
