// Renders the styled lines of a section's prose; cuts to the rows it is given, saying how to read
// the rest (PROSE_KEY opens it whole).
import { Box, Text } from 'ink';
import type { Line } from './markdown';
import { tint } from './theme';

/** The key that shows the current step's prose in full. */
export const PROSE_KEY = 'p';

/** One styled line, inside a <Text> of the caller's. */
export function ProseLine({ line }: { line: Line }) {
  if (line.length === 0) return <Text> </Text>;
  return (
    <>
      {line.map((seg, j) => (
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
    </>
  );
}

export function Prose({ lines, maxLines }: { lines: Line[]; maxLines: number }) {
  if (maxLines <= 0 || lines.length === 0) return null;
  const cut = lines.length > maxLines;
  const shown = cut ? lines.slice(0, Math.max(0, maxLines - 1)) : lines;
  return (
    <Box flexDirection="column">
      {shown.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          <ProseLine line={line} />
        </Text>
      ))}
      {cut ? (
        <Text dimColor wrap="truncate">
          … {lines.length - shown.length} more lines of prose · {PROSE_KEY} reads it all
        </Text>
      ) : null}
    </Box>
  );
}
