// The last line of the preflight screen: nothing runs until the operator presses Enter.
import { Text, useInput } from 'ink';
import { tint } from '../theme';

export function BeginPrompt({ active, onStart }: { active: boolean; onStart(): void }) {
  useInput(
    (_input, key) => {
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
