// A rehearsal stops at each step it does not execute, so the operator can read what would run;
// Enter moves on (SPEC §3.1). q is handled by the screen (it asks to confirm).
import { Box, Text, useInput } from 'ink';
import { useArmed } from './use-armed';
import { factRows } from './DecisionPrompt';
import { tint } from '../theme';

export const REHEARSE_HINT = 'Enter next step · l output · q abort';

/** Rows the prompt takes: what the checks established (a confirm step), then the hint. */
export function rehearseRows(facts: readonly string[], width: number): number {
  return facts.reduce((sum, fact) => sum + factRows(fact, width).length, 0) + 1;
}

export function RehearsePrompt({
  active,
  onNext,
  facts = [],
  width = 80,
}: {
  active: boolean;
  onNext(): void;
  facts?: string[];
  width?: number;
}) {
  const armed = useArmed();
  useInput(
    (_input, key) => {
      if (!armed.current) return;
      if (key.return) onNext();
    },
    { isActive: active },
  );
  return (
    <Box flexDirection="column">
      {facts.flatMap((fact, f) =>
        factRows(fact, width).map((row, i) => (
          <Text key={`fact${f}:${i}`} color={tint('cyan')} wrap="truncate">
            {row}
          </Text>
        )),
      )}
      <Text dimColor wrap="truncate">
        {REHEARSE_HINT}
      </Text>
    </Box>
  );
}
