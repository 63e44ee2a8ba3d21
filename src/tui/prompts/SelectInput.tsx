// A choice among values: ↑/↓ move, Enter picks. A long list shows a window around the highlighted
// value, with how many are above and below, so it fits the rows the screen gives it.
import { Box, Text, useInput } from 'ink';
import { useArmed } from './use-armed';
import { useState } from 'react';
import { wrapText } from '../wrap';
import { tint } from '../theme';

export interface SelectInputProps {
  label: string;
  choices: string[];
  /** What to show for each choice (same order); the choice itself when absent. */
  labels?: string[];
  initial?: string;
  error?: string;
  active: boolean;
  /** Rows for the choices, markers included; every choice when absent. */
  maxRows?: number;
  onSubmit(value: string): void;
  width?: number;
}

/** The first visible choice: the highlighted one stays in view, the window moves as little as it can. */
export function selectWindow(count: number, index: number, rows: number): { first: number; shown: number } {
  if (count <= rows) return { first: 0, shown: count };
  const shown = Math.max(1, rows - 2); // one row each for "↑ n more" and "↓ n more"
  const first = Math.min(Math.max(0, index - Math.floor(shown / 2)), count - shown);
  return { first, shown };
}

export function SelectInput({ label, choices, labels, initial, error, active, maxRows, onSubmit, width = 80 }: SelectInputProps) {
  const [index, setIndex] = useState(() => Math.max(0, initial === undefined ? 0 : choices.indexOf(initial)));
  const armed = useArmed();
  useInput(
    (_input, key) => {
      if (!armed.current) return;
      if (key.upArrow) setIndex((i) => (i + choices.length - 1) % choices.length);
      else if (key.downArrow) setIndex((i) => (i + 1) % choices.length);
      else if (key.return) onSubmit(choices[index]);
    },
    { isActive: active },
  );
  const { first, shown } = selectWindow(choices.length, index, maxRows ?? choices.length);
  const above = first;
  const below = choices.length - first - shown;
  return (
    <Box flexDirection="column">
      {wrapText(label, width).map((row, i) => (
        <Text key={`label${i}`} bold wrap="truncate">
          {row}
        </Text>
      ))}
      {above > 0 || below > 0 ? <Text dimColor>{above > 0 ? `  ↑ ${above} more` : ' '}</Text> : null}
      {choices.slice(first, first + shown).map((choice, offset) => {
        const i = first + offset;
        return (
          <Text key={`${i}:${choice}`} color={i === index ? tint('cyan') : undefined} wrap="truncate">
            {i === index ? '❯ ' : '  '}
            {labels?.[i] ?? choice}
          </Text>
        );
      })}
      {above > 0 || below > 0 ? <Text dimColor>{below > 0 ? `  ↓ ${below} more` : ' '}</Text> : null}
      {error ? <Text color={tint('red')}>✗ {error}</Text> : null}
    </Box>
  );
}
