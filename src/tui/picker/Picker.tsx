// Bare `handrail`: the runbooks of ./runbooks to choose from. Invalid ones are listed with their
// first problem so the author sees why, but cannot be picked.
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { truncate } from '../output-buffer';
import { moreMarker } from '../StepList';
import { tint } from '../theme';
import { clampTop } from '../../core/wrap';

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
  /** The terminal's rows: the list scrolls so the header, the highlighted runbook and the keys show. */
  height?: number;
  onPick(choice: PickerChoice | undefined): void;
}

interface PickerRow {
  entry: number;
  text: string;
  kind: 'title' | 'summary' | 'invalid';
}

function pickerRows(entries: PickerEntry[], width: number): PickerRow[] {
  return entries.flatMap((entry, i): PickerRow[] =>
    entry.problem
      ? [{ entry: i, text: truncate(`✗ ${entry.path} — ${entry.problem}`, width - 2), kind: 'invalid' }]
      : [
          // The id is what `handrail run` and the records name: the title is cut to keep it whole.
          {
            entry: i,
            text: `${truncate(`${entry.title} v${entry.version}`, Math.max(8, width - 6 - (entry.id?.length ?? 0)))}  (${entry.id})`,
            kind: 'title',
          },
          ...(entry.summary ? [{ entry: i, text: `  ${truncate(entry.summary, width - 4)}`, kind: 'summary' as const }] : []),
        ],
  );
}

/** Runbooks (not rows: a runbook with a summary takes two) wholly above and below the window. */
function entriesOutside(rows: PickerRow[], from: number, to: number): [number, number] {
  const shown = new Set(rows.slice(from, to).map((row) => row.entry));
  const above = new Set(
    rows
      .slice(0, from)
      .map((row) => row.entry)
      .filter((entry) => !shown.has(entry)),
  );
  const below = new Set(
    rows
      .slice(to)
      .map((row) => row.entry)
      .filter((entry) => !shown.has(entry)),
  );
  return [above.size, below.size];
}

export const PICKER_KEYS = '↑/↓ move · Enter run live · d rehearse (dry-run) · q quit';

export function Picker({ entries, width, height = 24, onPick }: PickerProps) {
  const selectable = entries.map((e, i) => (e.problem ? -1 : i)).filter((i) => i >= 0);
  const [cursor, setCursor] = useState(selectable[0] ?? -1);
  useInput((input, key) => {
    const at = selectable.indexOf(cursor);
    if (key.upArrow && at > 0) setCursor(selectable[at - 1]);
    else if (key.downArrow && at >= 0 && at < selectable.length - 1) setCursor(selectable[at + 1]);
    else if (key.return && cursor >= 0) onPick({ path: entries[cursor].path, dryRun: false });
    // d starts the highlighted runbook as a rehearsal, as the keys line says.
    else if (input === 'd' && cursor >= 0) onPick({ path: entries[cursor].path, dryRun: true });
    else if (input === 'q' || key.escape || (key.ctrl && input === 'c')) onPick(undefined);
  });
  const rows = pickerRows(entries, width);
  // Header, blank, blank, keys, and Ink's spare last row.
  const room = Math.max(2, height - 5);
  const scrolls = rows.length > room;
  const shown = scrolls ? room - 1 : room;
  const first = rows.findIndex((row) => row.entry === cursor);
  const last = rows.findLastIndex((row) => row.entry === cursor);
  let top = scrolls ? clampTop(first - 1, rows.length, shown) : 0;
  if (last >= top + shown) top = clampTop(last - shown + 1, rows.length, shown);
  const window = rows.slice(top, top + shown);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        Pick a runbook
      </Text>
      <Box flexDirection="column" marginTop={1}>
        {window.map((row, i) => (
          <Text
            key={top + i}
            wrap="truncate"
            dimColor={row.kind !== 'title'}
            color={row.kind === 'title' && row.entry === cursor ? tint('cyan') : undefined}
            bold={row.kind === 'title' && row.entry === cursor}
          >
            {row.kind === 'title' && row.entry === cursor ? '❯ ' : '  '}
            {row.text}
          </Text>
        ))}
        {scrolls ? <Text dimColor wrap="truncate">{`  ${moreMarker(...entriesOutside(rows, top, top + window.length))}`}</Text> : null}
      </Box>
      <Box marginTop={1}>
        <Text dimColor wrap="truncate">
          {PICKER_KEYS}
        </Text>
      </Box>
    </Box>
  );
}
