// Drift from the rehearsal (SPEC §6.5): what was rehearsed and what is now, side by side, each value
// wrapped to its column and never cut; the whole scrolls when it does not fit. The operator continues
// with `c` (recorded as drift accepted by them) or aborts with `a` (q asks first, as everywhere).
// A line that differs is marked ≠ between the columns, so it stands out without colour too.
// Enter does nothing here: a reflex must not accept drift.
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import type { DriftRequest } from '../core/prompter';
import type { Drift } from '../core/events';
import { driftSubject } from '../view/drift-lines';
import { driftHead } from '../view/question-text';
import { moreMarker } from './StepList';
import { scrollWindow } from './ScrollRows';
import { tint } from './theme';
import { columnsOf, wrapText } from '../core/wrap';
import { useArmed } from './prompts/use-armed';
import { pairLines, valueLines, type PairedLine } from './side-by-side';

export const DRIFT_KEYS = 'c continue anyway (recorded) · a abort · ↑/↓ PgUp/PgDn scroll';

/** One screen row: a line of text, or a pair of column cells. */
type Row = { text: string; tone?: 'title' | 'dim' | 'warn' } | { left: string; right: string; differ: boolean; dimLeft?: boolean };

const SEPARATOR = ' │ ';

/** The rows a drift takes at `width`: its subject, the column heads, then its values line by line. */
export function driftRows(drift: Drift, width: number): Row[] {
  const column = Math.max(10, Math.floor((width - SEPARATOR.length) / 2));
  const rows: Row[] = wrapText(driftSubject(drift), width).map((text) => ({ text, tone: 'title' as const }));
  rows.push({ left: 'Rehearsed', right: 'Now', differ: false, dimLeft: true });
  const now = valueLines(drift.now);
  const pairs: PairedLine[] =
    drift.rehearsed === undefined
      ? now.map((right, i) => ({ ...(i === 0 ? { left: '(not reached in the rehearsal)' } : {}), right, differ: true }))
      : pairLines(valueLines(drift.rehearsed), now);
  for (const pair of pairs) {
    const l = pair.left === undefined ? [''] : wrapText(pair.left, column, hanging(pair.left, column));
    const r = pair.right === undefined ? [''] : wrapText(pair.right, column, hanging(pair.right, column));
    for (let k = 0; k < Math.max(l.length, r.length); k++) {
      rows.push({ left: l[k] ?? '', right: r[k] ?? '', differ: pair.differ, ...(drift.rehearsed === undefined ? { dimLeft: true } : {}) });
    }
  }
  return rows;
}

/** An indented line (a field of a JSON list) wraps under its own text, not at the column's edge. */
function hanging(line: string, column: number): string {
  const lead = /^ */.exec(line)![0];
  return lead && lead.length + 2 < column / 2 ? `${lead}  ` : '';
}

function headRows(request: DriftRequest, width: number): Row[] {
  const head = driftHead(request);
  return [
    ...wrapText(head.stopped, width).map((text) => ({ text, tone: 'warn' as const })),
    ...wrapText(head.rehearsed, width).map((text) => ({ text, tone: 'dim' as const })),
  ];
}

/** Every row of the drift screen above its key line. */
export function driftScreenRows(request: DriftRequest, width: number): Row[] {
  const rows = headRows(request, width);
  for (const drift of request.drifts) rows.push({ text: '' }, ...driftRows(drift, width));
  return rows;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - columnsOf(text)));
}

export interface DriftViewProps {
  request: DriftRequest;
  width: number;
  /** Rows for the whole view, its key line included. */
  height: number;
  active: boolean;
  onAnswer(answer: 'continue' | 'abort'): void;
}

export function DriftView({ request, width, height, active, onAnswer }: DriftViewProps) {
  const armed = useArmed();
  const [top, setTop] = useState(0);
  const rows = driftScreenRows(request, width);
  const room = Math.max(1, height - 1);
  const { start, shown, marker } = scrollWindow(rows.length, room, top);
  useInput(
    (input, key) => {
      if (!armed.current) return;
      const page = Math.max(1, room - 1);
      const delta = key.pageDown ? page : key.pageUp ? -page : key.downArrow ? 1 : key.upArrow ? -1 : 0;
      if (delta !== 0) setTop(Math.max(0, Math.min(rows.length - Math.max(1, room - 1), start + delta)));
      else if (input === 'c') onAnswer('continue');
      else if (input === 'a') onAnswer('abort');
    },
    { isActive: active },
  );
  const column = Math.max(10, Math.floor((width - SEPARATOR.length) / 2));
  return (
    <Box flexDirection="column">
      {rows.slice(start, start + shown).map((row, i) =>
        'text' in row ? (
          <Text
            key={start + i}
            bold={row.tone === 'title' || row.tone === 'warn'}
            dimColor={row.tone === 'dim'}
            color={row.tone === 'warn' ? tint('yellow') : undefined}
            wrap="truncate"
          >
            {row.text === '' ? ' ' : row.text}
          </Text>
        ) : (
          <Text key={start + i} wrap="truncate">
            <Text dimColor={row.dimLeft}>{pad(row.left, column)}</Text>
            {/* ≠ marks the lines that differ, also without colour (NO_COLOR). */}
            <Text dimColor={!row.differ} color={row.differ ? tint('yellow') : undefined}>
              {row.differ ? ' ≠ ' : SEPARATOR}
            </Text>
            <Text color={row.differ ? tint('yellow') : undefined} bold={row.differ}>
              {row.right}
            </Text>
          </Text>
        ),
      )}
      {marker ? <Text dimColor wrap="truncate">{`  ${moreMarker(start, rows.length - start - shown)}`}</Text> : null}
      <Text dimColor wrap="truncate">
        {DRIFT_KEYS}
      </Text>
    </Box>
  );
}
