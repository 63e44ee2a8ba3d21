// The current step: where it sits, its prose, the command or request exactly as it runs, and the
// live tail of its output. Every part is drawn in the rows the layout gave it (layout.ts); the
// command wraps and scrolls in its box, output lines wrap, nothing the operator decides on is cut.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { Line } from './markdown';
import { Prose } from './Prose';
import type { StepRow } from '../view/run-state';
import { ScrollRows } from './ScrollRows';
import { Spinner } from './Spinner';
import { STATUS_COLOR, tint } from './theme';
import { GLYPH, formatDuration } from '../view/status';
import { unnumbered } from '../runbook/label';
import { wrapText } from '../core/wrap';
import { truncateStart } from './output-buffer';

export interface StepViewProps {
  row: StepRow;
  /** The heading, wrapped (stepHeading), cut to the rows given. */
  heading: string[];
  prose: Line[];
  proseRows: number;
  /** The command rows (commandRows) and the box they scroll in. */
  command: string[];
  commandRows: number;
  commandTop: number;
  /** Output rows already wrapped and cut to the rows given, the label first when there is one. */
  output: string[];
  totalLines: number;
  width: number;
  children?: ReactNode;
}

/** The heading above the current step: glyph, `section › label` and kind, wrapped. */
export function stepHeading(row: StepRow, width: number): string[] {
  const section = row.section && unnumbered(row.section) !== row.title && row.section !== row.title ? `${row.section} › ` : '';
  const kind = `(${row.kind}${row.attempt > 1 ? `, attempt ${row.attempt}` : ''})`;
  return wrapText(`${GLYPH[row.status]} ${section}${row.title} ${kind}`, width, '  ');
}

/** The `display` text as screen rows: `$` before a command, continuation lines indented, wrapped. */
export function commandRows(row: StepRow, width: number): string[] {
  if (!row.display || row.kind === 'input' || row.kind === 'confirm') return [];
  const prefix = row.kind === 'github' ? '→ ' : '$ ';
  return row.display
    .replace(/\n+$/, '')
    .split('\n')
    .flatMap((line, i) => wrapText(`${i === 0 ? prefix : '  '}${line}`, width, '    '));
}

/** One line under the command: running, how it ended, or that a rehearsal does not execute it. */
export function hasStatus(row: StepRow): boolean {
  const executes = row.kind === 'run' || row.kind === 'check' || row.kind === 'github';
  return executes && (row.rehearsal === true || row.status !== 'pending');
}

export function StepView({
  row,
  heading,
  prose,
  proseRows,
  command,
  commandRows: boxRows,
  commandTop,
  output,
  totalLines,
  width,
  children,
}: StepViewProps) {
  const running = row.status === 'running';
  const status = hasStatus(row) ? (
    row.rehearsal ? (
      <Text color={tint('blue')} wrap="truncate">
        Rehearsal: shown in full, not executed.
      </Text>
    ) : running ? (
      <Spinner label={`running${totalLines > 0 ? ` · ${totalLines} lines` : ''}`} since={row.startedAt} />
    ) : (
      <Text color={tint(STATUS_COLOR[row.status])} wrap="truncate">
        {row.status}
        {row.exitCode !== undefined ? ` (exit ${row.exitCode})` : ''}
        {row.reason ? `: ${row.reason}` : ''} {formatDuration(row.durationMs)}
      </Text>
    )
  ) : null;
  return (
    <Box flexDirection="column" width={width}>
      {heading.map((line, i) => (
        <Text key={i} bold wrap="truncate">
          {i === 0 ? <Text color={tint(STATUS_COLOR[row.status])}>{line.slice(0, 1)}</Text> : null}
          {i === 0 ? line.slice(1) : line}
        </Text>
      ))}
      <Prose lines={prose} maxLines={proseRows} />
      <ScrollRows rows={command} height={boxRows} top={commandTop} color={tint('yellow')} keys="PgUp/PgDn" />
      {status}
      {output.map((line, i) => (
        <Text key={i} dimColor wrap="truncate">
          {line === '' ? ' ' : line}
        </Text>
      ))}
      {children}
    </Box>
  );
}

/**
 * The last output lines that fit in `height` rows, wrapped to `width`: whole lines only (a digest is
 * never shown with its head cut off), unless the last line alone is taller than the box. Only the
 * lines that can show are wrapped. A line still being written (`unfinished`: a progress bar) and an
 * endless one whose start is gone ('…' first) keep to one row showing their end, where the progress is.
 */
export function outputRows(lines: string[], width: number, height: number, unfinished = false): string[] {
  if (height <= 0) return [];
  const rows: string[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    const wrapped = (unfinished && i === lines.length - 1) || line.startsWith('…') ? [truncateStart(line, width)] : wrapText(line, width);
    if (rows.length + wrapped.length > height) {
      if (rows.length === 0) return wrapped.slice(-height);
      break;
    }
    rows.unshift(...wrapped);
  }
  return rows;
}
