// The current step's full output, scrollable: from its log file when the engine wrote one,
// otherwise the lines still in memory.
import { Box, Text, useInput } from 'ink';
import { useMemo, useState } from 'react';
import { readLogTail } from './log-file';
import { truncate } from './output-buffer';
import { tint } from './theme';

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
    return { lines: fallback, note: 'the lines kept in memory (the log file is named when the step ends)' };
  }, [logPath, fallback]);
  const page = Math.max(1, height - 3);
  const maxTop = Math.max(0, lines.length - page);
  const [top, setTop] = useState(maxTop);
  useInput(
    (input, key) => {
      if (key.escape || input === 'q' || input === 'l') onClose();
      else if (key.upArrow || input === 'k') setTop((t) => Math.max(0, t - 1));
      else if (key.downArrow || input === 'j') setTop((t) => Math.min(maxTop, t + 1));
      else if (key.pageUp || input === 'b') setTop((t) => Math.max(0, t - page));
      else if (key.pageDown || input === ' ' || input === 'f') setTop((t) => Math.min(maxTop, t + page));
      else if (input === 'g' || key.home) setTop(0);
      else if (input === 'G' || key.end) setTop(maxTop);
    },
    { isActive: active },
  );
  const shown = lines.slice(top, top + page);
  return (
    <Box flexDirection="column">
      <Text bold color={tint('cyan')}>
        {truncate(`Output of ${title} — lines ${lines.length === 0 ? 0 : top + 1}-${top + shown.length} of ${lines.length}`, width)}
      </Text>
      {shown.length === 0 ? <Text dimColor>(no output)</Text> : null}
      {shown.map((line, i) => (
        <Text key={top + i}>{truncate(line, width) || ' '}</Text>
      ))}
      <Text dimColor>{truncate(`${note} · ↑/↓ PgUp/PgDn g/G · Esc closes`, width)}</Text>
    </Box>
  );
}
