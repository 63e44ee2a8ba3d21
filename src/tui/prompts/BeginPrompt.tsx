// The last line of the preflight screen: nothing runs until the operator presses Enter.
import { Text, useInput } from 'ink';
import { useArmed } from './use-armed';
import { tint } from '../theme';

export function BeginPrompt({ active, onStart }: { active: boolean; onStart(): void }) {
  const armed = useArmed();
  useInput(
    (_input, key) => {
      if (!armed.current) return;
      if (key.return) onStart();
    },
    { isActive: active },
  );
  return (
    <Text>
      <Text bold color={tint('green')}>
        Press Enter to start
      </Text>
      <Text dimColor> · q abort · ? help</Text>
    </Text>
  );
}
