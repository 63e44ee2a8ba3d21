// Bare `handrail`: the runbooks of ./runbooks to choose from. Invalid ones are listed with their
// first problem so the author sees why, but cannot be picked.
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { truncate } from '../output-buffer';
import { tint } from '../theme';

export interface PickerEntry {
  path: string;
  id?: string;
  title?: string;
  version?: string;
  summary?: string;
  /** `line:col: message` of the first problem, when the runbook is invalid. */
  problem?: string;
}

export interface PickerChoice {
  path: string;
  dryRun: boolean;
}

export interface PickerProps {
  entries: PickerEntry[];
  width: number;
  onPick(choice: PickerChoice | undefined): void;
}

export function Picker({ entries, width, onPick }: PickerProps) {
  const selectable = entries.map((e, i) => (e.problem ? -1 : i)).filter((i) => i >= 0);
  const [cursor, setCursor] = useState(selectable[0] ?? -1);
  const [dryRun, setDryRun] = useState(false);
  useInput((input, key) => {
    const at = selectable.indexOf(cursor);
    if (key.upArrow && at > 0) setCursor(selectable[at - 1]);
    else if (key.downArrow && at >= 0 && at < selectable.length - 1) setCursor(selectable[at + 1]);
    else if (key.return && cursor >= 0) onPick({ path: entries[cursor].path, dryRun });
    else if (input === 'd') setDryRun((d) => !d);
    else if (input === 'q' || key.escape || (key.ctrl && input === 'c')) onPick(undefined);
  });
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>Pick a runbook</Text>{' '}
        <Text inverse bold color={tint(dryRun ? 'blue' : 'red')}>
          {dryRun ? ' REHEARSAL ' : ' LIVE '}
        </Text>
      </Text>
      <Box flexDirection="column" marginTop={1}>
        {entries.map((entry, i) =>
          entry.problem ? (
            <Text key={entry.path} dimColor>
              {'  ✗ '}
              {truncate(`${entry.path} — ${entry.problem}`, width - 4)}
            </Text>
          ) : (
            <Box key={entry.path} flexDirection="column">
              <Text color={i === cursor ? tint('cyan') : undefined} bold={i === cursor}>
                {i === cursor ? '❯ ' : '  '}
                {truncate(`${entry.title} v${entry.version}  (${entry.id})`, width - 2)}
              </Text>
              {entry.summary ? <Text dimColor>{`    ${truncate(entry.summary, width - 4)}`}</Text> : null}
            </Box>
          ),
        )}
      </Box>
      <Box marginTop={1}>
        <Text dimColor>↑/↓ move · Enter run · d {dryRun ? 'live run' : 'rehearse (dry-run)'} · q quit</Text>
      </Box>
    </Box>
  );
}
