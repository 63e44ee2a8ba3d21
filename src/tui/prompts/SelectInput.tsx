// A choice among values: ↑/↓ move, Enter picks. A long list shows a window around the highlighted
// value, with how many are above and below, so it fits the rows the screen gives it. Rows never read
// alike (choiceRows), and under the list the highlighted choice is shown whole: its label where the
// row had to cut it, and the value Enter will give.
import { Box, Text, useInput } from 'ink';
import { useArmed } from './use-armed';
import { useState } from 'react';
import { columnsOf, wrapText } from '../../core/wrap';
import { tint } from '../theme';
import { CURRENT_MARK } from '../../view/question-text';

export interface SelectInputProps {
  label: string;
  choices: string[];
  /** What to show for each choice (same order); the choice itself when absent. */
  labels?: string[];
  initial?: string;
  /** The choice in use now: marked, and refused when picked (the engine says why). */
  current?: string;
  error?: string;
  active: boolean;
  /** Rows for the choices, markers included; every choice when absent. */
  maxRows?: number;
  onSubmit(value: string): void;
  width?: number;
}

/** Rows at most for the highlighted choice shown whole under the list. */
export const DETAIL_ROWS = 3;

/** The first visible choice: the highlighted one stays in view, the window moves as little as it can. */
export function selectWindow(count: number, index: number, rows: number): { first: number; shown: number } {
  if (count <= rows) return { first: 0, shown: count };
  const shown = Math.max(1, rows - 2); // one row each for "↑ n more" and "↓ n more"
  const first = Math.min(Math.max(0, index - Math.floor(shown / 2)), count - shown);
  return { first, shown };
}

/** `text` cut to `width` columns, with … where it was cut. */
function cut(text: string, width: number): string {
  if (columnsOf(text) <= width) return text;
  let out = '';
  for (const ch of text) {
    if (columnsOf(`${out}${ch}…`) > width) break;
    out += ch;
  }
  return `${out}…`;
}

/**
 * One row per choice, fitted to `width`: rows that would read the same once cut (labels that differ
 * only past the edge) are cut shorter and end in " (1)", " (2)"… so no two rows look alike.
 */
export function choiceRows(texts: readonly string[], width: number): string[] {
  const rows = texts.map((text) => cut(text, width));
  const groups = new Map<string, number[]>();
  rows.forEach((row, i) => groups.set(row, [...(groups.get(row) ?? []), i]));
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    members.forEach((i, n) => {
      const suffix = ` (${n + 1})`;
      rows[i] = `${cut(texts[i], width - suffix.length)}${suffix}`;
    });
  }
  return rows;
}

/** The highlighted choice in full, when its row does not already say all of it. */
export function choiceDetail(text: string, row: string, value: string, width: number): string[] {
  const lines: string[] = [];
  if (row !== text) lines.push(...wrapText(text, width - 2, ''));
  if (value !== text && !text.includes(value)) lines.push(...wrapText(`value: ${value}`, width - 2, '       '));
  return lines.slice(0, DETAIL_ROWS);
}

/** What each choice shows: its label, marked when it is the one in use now. */
function texts(choices: readonly string[], labels: readonly string[] | undefined, current: string | undefined): string[] {
  return choices.map((choice, i) => `${labels?.[i] ?? choice}${choice === current ? CURRENT_MARK : ''}`);
}

/** Rows the detail under the list takes: the most any choice needs, so the list never jumps. */
export function detailRows(
  choices: readonly string[],
  labels: readonly string[] | undefined,
  current: string | undefined,
  width: number,
): number {
  const shown = texts(choices, labels, current);
  const rows = choiceRows(shown, width - 2);
  return Math.max(0, ...shown.map((text, i) => choiceDetail(text, rows[i], choices[i], width).length));
}

export function SelectInput({ label, choices, labels, initial, current, error, active, maxRows, onSubmit, width = 80 }: SelectInputProps) {
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
  const full = texts(choices, labels, current);
  const rows = choiceRows(full, width - 2);
  const detail = choiceDetail(full[index], rows[index], choices[index], width);
  const detailHeight = detailRows(choices, labels, current, width);
  return (
    <Box flexDirection="column">
      {wrapText(label, width).map((row, i) => (
        <Text key={`label${i}`} bold wrap="truncate">
          {row}
        </Text>
      ))}
      {above > 0 || below > 0 ? <Text dimColor>{above > 0 ? `  ↑ ${above} more` : ' '}</Text> : null}
      {rows.slice(first, first + shown).map((row, offset) => {
        const i = first + offset;
        return (
          <Text key={`${i}`} color={i === index ? tint('cyan') : choices[i] === current ? tint('yellow') : undefined} wrap="truncate">
            {i === index ? '❯ ' : '  '}
            {row}
          </Text>
        );
      })}
      {above > 0 || below > 0 ? <Text dimColor>{below > 0 ? `  ↓ ${below} more` : ' '}</Text> : null}
      {Array.from({ length: detailHeight }, (_, i) => (
        <Text key={`detail${i}`} dimColor wrap="truncate">
          {detail[i] === undefined ? ' ' : `  ${detail[i]}`}
        </Text>
      ))}
      {error
        ? wrapText(`✗ ${error}`, width).map((row, i) => (
            <Text key={`error${i}`} color={tint('red')} wrap="truncate">
              {row}
            </Text>
          ))
        : null}
    </Box>
  );
}
