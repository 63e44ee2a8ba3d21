// The current step's full output, scrollable: from its log file when the engine wrote one,
// otherwise the lines still in memory.
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { readLogTail } from './log-file';
import { truncate } from './output-buffer';
import { tint } from './theme';
import { usePager } from './use-pager';
import { wrapText } from '../core/wrap';

export interface LogViewerProps {
  title: string;
  logPath?: string;
  fallback: string[];
  width: number;
  height: number;
  active: boolean;
  onClose(): void;
}

export function LogViewer({ title, logPath, fallback, width, height, active, onClose }: LogViewerProps) {
  const { lines, note } = useMemo(() => {
    if (logPath) {
      try {
        const tail = readLogTail(logPath);
        const note = tail.skippedBytes > 0 ? `showing the last 1 MB; the whole log is ${logPath}` : logPath;
        return { lines: tail.lines, note };
      } catch {
        return { lines: fallback, note: `the log file ${logPath} could not be read; showing the lines kept in memory` };
      }
    }
    // A step has a log file from its first byte on: without one, it has printed nothing (yet).
    if (fallback.every((line) => line === ''))
      return { lines: [], note: 'nothing printed, so no log file (one is made at the first byte)' };
    return { lines: fallback, note: 'the lines kept in memory (the log file is named when the step ends)' };
  }, [logPath, fallback]);
  // Lines wrap to the width: a digest or a path in the log is read whole, never cut.
  const rows = useMemo(() => lines.flatMap((line) => wrapText(line, width)), [lines, width]);
  const footer = useMemo(() => wrapText(`${note} · ↑/↓ PgUp/PgDn g/G · Esc closes`, width), [note, width]);
  const page = Math.max(1, height - 1 - footer.length);
  const maxTop = Math.max(0, rows.length - page);
  const top = usePager({ page, maxTop, start: 'end', closeKeys: ['q', 'l'], active, onClose });
  const shown = rows.slice(top, top + page);
  return (
    <Box flexDirection="column">
      <Text bold color={tint('cyan')} wrap="truncate">
        {truncate(`Output of ${title} — lines ${rows.length === 0 ? 0 : top + 1}-${top + shown.length} of ${rows.length}`, width)}
      </Text>
      {shown.length === 0 ? <Text dimColor>(no output)</Text> : null}
      {shown.map((line, i) => (
        <Text key={top + i} wrap="truncate">
          {line || ' '}
        </Text>
      ))}
      {footer.map((line, i) => (
        <Text key={`f${i}`} dimColor wrap="truncate">
          {line}
        </Text>
      ))}
    </Box>
  );
}
