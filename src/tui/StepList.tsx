// Every step with its status glyph and duration; a window that follows the current step, so a
// long runbook never pushes the current step off the screen, and a marker that says how many
// steps are above and below the window.
import { Box, Text } from 'ink';
import { memo } from 'react';
import type { StepRow } from '../view/run-state';
import { STATUS_COLOR, tint } from './theme';
import { GLYPH, formatDuration } from '../view/status';
import { truncate } from './output-buffer';

export interface StepListProps {
  steps: StepRow[];
  current: number;
  /** Rows for the list, its marker line included. */
  height: number;
  width: number;
}

/** The rows to show: `height` rows around `current`, favouring what comes next. */
export function visibleWindow(total: number, current: number, height: number): [number, number] {
  if (total <= height) return [0, total];
  const focus = Math.max(0, current);
  let start = Math.max(0, focus - Math.floor((height - 1) / 3));
  start = Math.min(start, total - height);
  return [start, start + height];
}

/** "↑ 3 above · ↓ 12 below": the marker of a list that scrolls. */
export function moreMarker(above: number, below: number): string {
  return [above > 0 ? `↑ ${above} above` : '', below > 0 ? `↓ ${below} below` : ''].filter(Boolean).join(' · ');
}

// A finished row's props never change again, so memo renders it once.
const Row = memo(function Row({ row, isCurrent, width }: { row: StepRow; isCurrent: boolean; width: number }) {
  const glyph = GLYPH[row.status];
  const duration = row.status === 'running' || row.status === 'pending' ? '' : formatDuration(row.durationMs);
  const label = row.status === 'pending' || row.status === 'running' ? '' : ` ${row.status}`;
  const right = `${label}${duration ? ` ${duration}` : ''}`;
  const number = `${String(row.index + 1).padStart(2)}.`;
  // The title may be shortened here: the current step's full label is in its own heading below.
  const title = truncate(row.title, Math.max(5, width - right.length - number.length - 5));
  return (
    <Box width={width} justifyContent="space-between">
      <Text bold={isCurrent} dimColor={row.status === 'pending' && !isCurrent} wrap="truncate">
        {isCurrent ? '›' : ' '}
        <Text color={tint(STATUS_COLOR[row.status])}>{glyph}</Text> {number} {title}
      </Text>
      <Text dimColor wrap="truncate">
        {right}
      </Text>
    </Box>
  );
});

export function StepList({ steps, current, height, width }: StepListProps) {
  if (height <= 0) return null;
  const rows = steps.length <= height ? height : Math.max(1, height - 1);
  const [start, end] = visibleWindow(steps.length, current, rows);
  const above = start;
  const below = steps.length - end;
  return (
    <Box flexDirection="column">
      {steps.slice(start, end).map((row) => (
        <Row key={row.id} row={row} isCurrent={row.index === current} width={width} />
      ))}
      {above + below > 0 && height > 1 ? <Text dimColor>{`  ${moreMarker(above, below)}`}</Text> : null}
    </Box>
  );
}
