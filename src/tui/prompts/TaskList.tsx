// A GFM task list as a checklist: Space ticks the highlighted item, ↑/↓ move, Enter confirms
// once every item is ticked, s skips with a reason.
import { Box, Text, useInput } from 'ink';
import { useArmed } from './use-armed';
import { useState } from 'react';
import type { Decision } from '../../engine/prompter';
import { moreMarker } from '../StepList';
import { clampTop, wrapText } from '../wrap';
import { textInputRows } from './TextInput';
import { tint } from '../theme';
import { REASON_LABEL, ReasonInput } from './ReasonInput';

export interface TaskListProps {
  items: { text: string; checked: boolean }[];
  width: number;
  active: boolean;
  onDecision(decision: Decision): void;
  onTyping(typing: boolean): void;
  /** Rows for the list and its hint; the items scroll inside them, following the highlight. */
  height?: number;
}

const itemRows = (text: string, width: number): string[] => wrapText(`[ ] ${text}`, width - 2, '    ');

/** Rows the whole list wants: every item wrapped, a nag and the hint (or the reason being typed). */
export function taskListRows(items: { text: string }[], width: number): number {
  return items.reduce((sum, item) => sum + itemRows(item.text, width).length, 0) + 1 + textInputRows(REASON_LABEL, width);
}

export function TaskList({ items, width, active, onDecision, onTyping, height }: TaskListProps) {
  const [ticked, setTicked] = useState(() => items.map((item) => item.checked));
  const [cursor, setCursor] = useState(() => Math.max(0, items.findIndex((item) => !item.checked)));
  const [nag, setNag] = useState<string | undefined>(undefined);
  const [skipping, setSkipping] = useState(false);
  const left = ticked.filter((t) => !t).length;
  const armed = useArmed();
  useInput(
    (input, key) => {
      if (!armed.current) return;
      if (key.upArrow) setCursor((c) => Math.max(0, c - 1));
      else if (key.downArrow) setCursor((c) => Math.min(items.length - 1, c + 1));
      else if (/^ +$/.test(input)) {
        // Fast typing or a paste arrives as one chunk ("  "): each space is its own press.
        let next = ticked;
        let at = cursor;
        for (let n = 0; n < input.length; n++) {
          // Items written as [x] stay ticked: the author already did them.
          if (items[at].checked) break;
          const wasTicked = next[at];
          next = next.map((v, i) => (i === at ? !v : v));
          if (!wasTicked) at = Math.min(items.length - 1, at + 1);
        }
        setTicked(next);
        setCursor(at);
        setNag(undefined);
      } else if (key.return) {
        if (left === 0) onDecision({ action: 'proceed' });
        else setNag(`Tick every item first: ${left} left (Space ticks).`);
      } else if (input === 's') {
        setSkipping(true);
        onTyping(true);
      }
    },
    { isActive: active && !skipping },
  );
  // Each item wraps (a task item is read in full); the window keeps the highlighted item in view.
  const wrapped = items.map((item) => itemRows(item.text, width));
  const total = wrapped.reduce((sum, rows) => sum + rows.length, 0);
  const room = Math.max(1, (height ?? total + 4) - 1 - textInputRows(REASON_LABEL, width));
  const firstRow = wrapped.slice(0, cursor).reduce((sum, rows) => sum + rows.length, 0);
  const scrolls = total > room;
  const shownRows = scrolls ? Math.max(1, room - 1) : room;
  const lastRow = firstRow + wrapped[cursor].length - 1;
  // One item of context above the highlight; the highlighted item whole whenever it fits.
  let top = scrolls ? clampTop(firstRow - 1, total, shownRows) : 0;
  if (lastRow >= top + shownRows) top = clampTop(lastRow - shownRows + 1, total, shownRows);
  const rows = wrapped.flatMap((lines, i) => lines.map((line, j) => ({ line, item: i, first: j === 0 })));
  const window = rows.slice(top, top + shownRows);
  return (
    <Box flexDirection="column">
      {window.map(({ line, item, first }, k) => (
        <Text key={top + k} color={item === cursor ? tint('cyan') : undefined} bold={item === cursor} wrap="truncate">
          {first ? (item === cursor ? '❯ ' : '  ') : '  '}
          {first ? (ticked[item] ? <Text color={tint('green')}>[x]</Text> : '[ ]') : ''}
          {first ? line.slice(3) : line}
        </Text>
      ))}
      {scrolls ? <Text dimColor wrap="truncate">{`  ${moreMarker(top, total - top - window.length)} (↑/↓)`}</Text> : null}
      {nag ? <Text color={tint('yellow')}>{nag}</Text> : null}
      {skipping ? (
        <ReasonInput
          width={width}
          active={active}
          onReason={(reason) => onDecision({ action: 'skip', reason })}
          onCancel={() => {
            setSkipping(false);
            onTyping(false);
          }}
        />
      ) : (
        <Text dimColor wrap="truncate">
          {left === 0 ? 'All ticked: Enter confirms' : `Space tick · ↑/↓ move · ${left} left`} · s skip · q abort
        </Text>
      )}
    </Box>
  );
}
