// Rows that are read in full but may not fit: a window of `height` rows from `top`, its last row
// given to a marker saying how many rows are above and below and how to scroll.
import { Box, Text } from 'ink';
import { moreMarker } from './StepList';
import { clampTop } from '../core/wrap';

export interface ScrollRowsProps {
  rows: string[];
  height: number;
  top: number;
  color?: string;
  dim?: boolean;
  /** The keys that scroll this box, said in the marker. */
  keys?: string;
}

/** The first row shown and the rows shown, for `rows` in `height` from `top`. */
export function scrollWindow(total: number, height: number, top: number): { start: number; shown: number; marker: boolean } {
  if (total <= height) return { start: 0, shown: total, marker: false };
  const shown = Math.max(0, height - 1);
  return { start: clampTop(top, total, shown), shown, marker: height > 0 };
}

export function ScrollRows({ rows, height, top, color, dim, keys }: ScrollRowsProps) {
  if (height <= 0 || rows.length === 0) return null;
  const { start, shown, marker } = scrollWindow(rows.length, height, top);
  const above = start;
  const below = rows.length - start - shown;
  return (
    <Box flexDirection="column">
      {rows.slice(start, start + shown).map((row, i) => (
        <Text key={start + i} color={color} dimColor={dim} wrap="truncate">
          {row === '' ? ' ' : row}
        </Text>
      ))}
      {marker ? <Text dimColor wrap="truncate">{`  ${moreMarker(above, below)}${keys ? ` (${keys})` : ''}`}</Text> : null}
    </Box>
  );
}
