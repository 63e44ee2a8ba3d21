// The last lines of the running step's output, each cut to the width so one long line can never
// wrap the screen apart.
import { Box, Text } from 'ink';
import { truncate } from './output-buffer';

export interface OutputTailProps {
  lines: string[];
  width: number;
  height: number;
}

export function OutputTail({ lines, width, height }: OutputTailProps) {
  if (height <= 0) return null;
  const shown = lines.slice(-height);
  return (
    <Box flexDirection="column">
      {shown.map((line, i) => (
        <Text key={i} dimColor>
          {truncate(line, width - 2) || ' '}
        </Text>
      ))}
    </Box>
  );
}
