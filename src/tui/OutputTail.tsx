// The last lines of the running step's output, each cut to the width so one long line can never
// wrap the screen apart. A line still being written (a progress bar) shows its end: that is where
// the progress is; so does an endless line whose start the buffer already dropped ('…' first).
import { Box, Text } from 'ink';
import { truncate, truncateStart } from './output-buffer';

export interface OutputTailProps {
  lines: string[];
  width: number;
  height: number;
  /** The last line is still being written. */
  unfinished?: boolean;
}

export function OutputTail({ lines, width, height, unfinished = false }: OutputTailProps) {
  if (height <= 0) return null;
  const shown = lines.slice(-height);
  return (
    <Box flexDirection="column">
      {shown.map((line, i) => (
        <Text key={i} dimColor>
          {(showsEnd(line, unfinished && i === shown.length - 1) ? truncateStart : truncate)(line, width - 2) || ' '}
        </Text>
      ))}
    </Box>
  );
}

function showsEnd(line: string, unfinished: boolean): boolean {
  return unfinished || line.startsWith('…');
}
