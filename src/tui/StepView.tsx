// The current step: where it sits, its prose, the command or request exactly as it runs, and the
// live tail of its output.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { Line } from './markdown';
import { OutputTail } from './OutputTail';
import { Prose } from './Prose';
import type { StepRow } from './run-state';
import { Spinner } from './Spinner';
import { GLYPH, STATUS_COLOR, formatDuration, tint } from './theme';
import { truncate } from './output-buffer';

export interface StepViewProps {
  row: StepRow;
  prose: Line[];
  proseRows: number;
  display: string[];
  output: string[];
  /** The last output line is still being written. */
  outputUnfinished?: boolean;
  outputRows: number;
  totalLines: number;
  /** Set when the output shown belongs to an earlier step than this one. */
  outputOf?: string;
  width: number;
  children?: ReactNode;
}

/** The `display` text as screen lines: `$` before a command, continuation lines indented. */
export function displayLines(row: StepRow, width: number, max: number): string[] {
  if (!row.display || row.kind === 'input' || row.kind === 'confirm') return [];
  const prefix = row.kind === 'github' ? '→ ' : '$ ';
  const all = row.display.replace(/\n+$/, '').split('\n');
  const lines = all.slice(0, max).map((line, i) => truncate(`${i === 0 ? prefix : '  '}${line}`, width));
  if (all.length > max) lines[max - 1] = `  … ${all.length - max + 1} more lines (the runbook shows them all)`;
  return lines;
}

export function StepView({ row, prose, proseRows, display, output, outputUnfinished, outputRows, totalLines, outputOf, width, children }: StepViewProps) {
  const heading = row.section && row.section !== row.title ? `${row.section} › ${row.title}` : row.title;
  const running = row.status === 'running';
  const executes = row.kind === 'run' || row.kind === 'check' || row.kind === 'github';
  return (
    <Box flexDirection="column">
      <Text bold>
        <Text color={tint(STATUS_COLOR[row.status])}>{GLYPH[row.status]}</Text> {truncate(heading, width - 14)}{' '}
        <Text dimColor>({row.kind}{row.attempt > 1 ? `, attempt ${row.attempt}` : ''})</Text>
      </Text>
      <Prose lines={prose} maxLines={proseRows} />
      {display.length > 0 ? (
        <Box flexDirection="column">
          {display.map((line, i) => (
            <Text key={i} color={tint('yellow')}>
              {line}
            </Text>
          ))}
        </Box>
      ) : null}
      {row.rehearsal ? <Text color={tint('blue')}>Rehearsal: shown, not executed.</Text> : null}
      {executes && running && !row.rehearsal ? (
        <Spinner label={`running${totalLines > 0 ? ` · ${totalLines} lines` : ''}`} since={row.startedAt} />
      ) : null}
      {executes && !running && row.status !== 'pending' ? (
        <Text color={tint(STATUS_COLOR[row.status])}>
          {row.status}
          {row.exitCode !== undefined ? ` (exit ${row.exitCode})` : ''}
          {row.reason ? `: ${row.reason}` : ''} {formatDuration(row.durationMs)}
        </Text>
      ) : null}
      {outputOf && output.length > 0 && outputRows > 0 ? <Text dimColor>{truncate(`Output of ${outputOf}:`, width)}</Text> : null}
      <OutputTail lines={output} unfinished={outputUnfinished} width={width} height={outputRows} />
      {children}
    </Box>
  );
}
