// The current step's prose in full, scrollable (PROSE_KEY): what the step view had to cut — a
// workflow file to add, a long explanation — is never out of reach at 80×24.
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import type { Line } from './markdown';
import { PROSE_KEY, ProseLine } from './Prose';
import { tint } from './theme';

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
  const [top, setTop] = useState(0);
  useInput(
    (input, key) => {
      if (key.escape || input === 'q' || input === PROSE_KEY) onClose();
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
