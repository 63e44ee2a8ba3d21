// A GFM task list as a checklist: Space ticks or unticks the highlighted item (and stays on it, so
// Space, ↓, Space ticks two neighbours), ↑/↓ move, Enter confirms once every item is ticked, s skips
// with a reason. Items show their inline markdown (bold, code) as the prose does, never raw `**`.
import { Box, Text, useInput } from 'ink';
import { useArmed } from './use-armed';
import { useRef, useState } from 'react';
import type { Decision } from '../../core/prompter';
import { moreMarker } from '../StepList';
import { clampTop } from '../../core/wrap';
import { renderMarkdown, type Line } from '../markdown';
import { ProseLine } from '../Prose';
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

/** An item's text as styled rows, wrapped to the room after "❯ [ ] ". */
const itemRows = (text: string, width: number): Line[] => {
  const lines = renderMarkdown(text, width - 6);
  return lines.length > 0 ? lines : [[{ text: '' }]];
};

/**
 * Rows the whole list wants: every item wrapped, then the one-row hint, or the reason field while a
 * skip reason is typed (`typing`); no rows sit empty under the hint.
 */
export function taskListRows(items: { text: string }[], width: number, typing = false): number {
  return items.reduce((sum, item) => sum + itemRows(item.text, width).length, 0) + (typing ? textInputRows(REASON_LABEL, width) : 1);
}

export function TaskList({ items, width, active, onDecision, onTyping, height }: TaskListProps) {
  const [ticked, setTicked] = useState(() => items.map((item) => item.checked));
  const [cursor, setCursorState] = useState(() =>
    Math.max(
      0,
      items.findIndex((item) => !item.checked),
    ),
  );
  // ↓ and Space can arrive before the screen re-renders (one read, fast typing): Space must act on
  // the item ↓ moved to, not the one the last render saw.
  const cursorRef = useRef(cursor);
  const setCursor = (next: (c: number) => number) => {
    cursorRef.current = next(cursorRef.current);
    setCursorState(cursorRef.current);
  };
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
        // Items written as [x] stay ticked: the author already did them.
        const at = cursorRef.current;
        if (!items[at].checked && input.length % 2 === 1) setTicked((now) => now.map((v, i) => (i === at ? !v : v)));
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
  // The nag, when shown, stands in the hint's row: the list keeps its rows and does not jump.
  const under = skipping ? textInputRows(REASON_LABEL, width) : 1;
  const room = Math.max(1, (height ?? total + under) - under);
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
          {first ? ticked[item] ? <Text color={tint('green')}>[x]</Text> : '[ ]' : '   '} <ProseLine line={line} />
        </Text>
      ))}
      {scrolls ? <Text dimColor wrap="truncate">{`  ${moreMarker(top, total - top - window.length)} (↑/↓)`}</Text> : null}
      {skipping ? (
        <ReasonInput
          width={width}
          active={active}
          onReason={(reason) => onDecision({ action: 'skip', reason, ticked })}
          onCancel={() => {
            setSkipping(false);
            onTyping(false);
          }}
        />
      ) : (
        <Text dimColor={!nag} color={nag ? tint('yellow') : undefined} wrap="truncate">
          {nag ?? (left === 0 ? 'All ticked: Enter confirms' : `Space tick · ↑/↓ move · ${left} left`)} · s skip · q abort
        </Text>
      )}
    </Box>
  );
}
