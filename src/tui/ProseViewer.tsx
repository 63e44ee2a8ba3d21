// The current step's prose in full, scrollable (PROSE_KEY): what the step view had to cut — a
// workflow file to add, a long explanation — is never out of reach at 80×24.
import { Box, Text } from 'ink';
import type { Line } from './markdown';
import { PROSE_KEY, ProseLine } from './Prose';
import { tint } from './theme';
import { usePager } from './use-pager';

export interface ProseViewerProps {
  title: string;
  lines: Line[];
  height: number;
  active: boolean;
  onClose(): void;
}

export function ProseViewer({ title, lines, height, active, onClose }: ProseViewerProps) {
  const page = Math.max(1, height - 2);
  const maxTop = Math.max(0, lines.length - page);
  const top = usePager({ page, maxTop, start: 'top', closeKeys: ['q', PROSE_KEY], active, onClose });
  const shown = lines.slice(top, top + page);
  return (
    <Box flexDirection="column">
      <Text bold color={tint('cyan')} wrap="truncate">
        {`${title} — lines ${lines.length === 0 ? 0 : top + 1}-${top + shown.length} of ${lines.length}`}
      </Text>
      {shown.map((line, i) => (
        <Text key={top + i} wrap="truncate">
          <ProseLine line={line} />
        </Text>
      ))}
      <Text dimColor wrap="truncate">
        ↑/↓ PgUp/PgDn g/G scroll · Esc or {PROSE_KEY} closes
      </Text>
    </Box>
  );
}
