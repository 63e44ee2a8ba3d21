// A choice among a few values: ↑/↓ move, Enter picks.
import { Box, Text, useInput } from 'ink';
import { useArmed } from './use-armed';
import { useState } from 'react';
import { wrapText } from '../wrap';
import { tint } from '../theme';

export interface SelectInputProps {
  label: string;
  choices: string[];
  initial?: string;
  error?: string;
  active: boolean;
  onSubmit(value: string): void;
  width?: number;
}

export function SelectInput({ label, choices, initial, error, active, onSubmit, width = 80 }: SelectInputProps) {
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
  return (
    <Box flexDirection="column">
      {wrapText(label, width).map((row, i) => (
        <Text key={`label${i}`} bold wrap="truncate">
          {row}
        </Text>
      ))}
      {choices.map((choice, i) => (
        <Text key={choice} color={i === index ? tint('cyan') : undefined} wrap="truncate">
          {i === index ? '❯ ' : '  '}
          {choice}
        </Text>
      ))}
      {error ? <Text color={tint('red')} wrap="truncate">✗ {error}</Text> : null}
    </Box>
  );
}
