// A rehearsal stops at each step it does not execute, so the operator can read what would run;
// Enter moves on (SPEC §3.1). q is handled by the screen (it asks to confirm).
import { Text, useInput } from 'ink';
import { useArmed } from './use-armed';

export const REHEARSE_HINT = 'Enter next step · l output · q abort';

export function RehearsePrompt({ active, onNext }: { active: boolean; onNext(): void }) {
  const armed = useArmed();
  useInput(
    (_input, key) => {
      if (!armed.current) return;
      if (key.return) onNext();
    },
    { isActive: active },
  );
  return (
    <Text dimColor wrap="truncate">
      {REHEARSE_HINT}
    </Text>
  );
}
