// Renders the styled lines of a section's prose; cuts to the rows it is given.
import { Box, Text } from 'ink';
import type { Line } from './markdown';
import { tint } from './theme';

export function Prose({ lines, maxLines }: { lines: Line[]; maxLines: number }) {
  if (maxLines <= 0 || lines.length === 0) return null;
  const cut = lines.length > maxLines;
  const shown = cut ? lines.slice(0, Math.max(0, maxLines - 1)) : lines;
  return (
    <Box flexDirection="column">
      {shown.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line.length === 0
            ? ' '
            : line.map((seg, j) => (
                <Text
                  key={j}
                  bold={seg.bold}
                  italic={seg.italic}
                  underline={seg.underline}
                  strikethrough={seg.strike}
                  dimColor={seg.dim}
                  color={seg.code ? tint('yellow') : undefined}
                >
                  {seg.text}
                </Text>
              ))}
        </Text>
      ))}
      {cut ? <Text dimColor>… {lines.length - shown.length} more lines of prose</Text> : null}
    </Box>
  );
}
