// The keys, for an operator who has not used handrail since the last incident.
import { Box, Text } from 'ink';

const KEYS: [string, string][] = [
  ['Enter', 'start / run / confirm / submit'],
  ['s', 'skip the step, asking for a reason (not an input: later steps need it)'],
  ['c', 'after a failure: change the inputs the step uses, then retry'],
  ['r', 'retry a failed step'],
  ['Space', 'tick or untick the highlighted task item (stays on it)'],
  ['↑ / ↓', 'move in a task list or a choice'],
  ['l', "the current step's full output (↑/↓, PgUp/PgDn, g/G; Esc closes)"],
  ['p', "the step's prose in full, when the screen cut it (Esc closes)"],
  ['Tab', 'the output, while typing in a text field'],
  ['PgUp/Dn', 'scroll a command taller than its box'],
  ['q', 'abort the run (asks to confirm); Esc while typing'],
  ['Ctrl+C', 'abort at once'],
  ['?', 'this help (any key closes)'],
];

export function Help() {
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Keys</Text>
      {KEYS.map(([key, what]) => (
        <Text key={key}>
          <Text bold>{key.padEnd(8)}</Text> {what}
        </Text>
      ))}
    </Box>
  );
}
