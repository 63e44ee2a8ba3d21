// A small spinner with the step's elapsed time: proof of life while a command is quiet.
import { Text } from 'ink';
import { useEffect, useState } from 'react';
import { tint } from './theme';
import { formatClock } from '../view/status';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function Spinner({ label, since }: { label: string; since?: number }) {
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setFrame((f) => (f + 1) % FRAMES.length), 120);
    return () => clearInterval(timer);
  }, []);
  const elapsed = since === undefined ? '' : ` ${formatClock(Date.now() - since)}`;
  return (
    <Text>
      <Text color={tint('cyan')}>{FRAMES[frame]}</Text> {label}
      <Text dimColor>{elapsed}</Text>
    </Text>
  );
}
