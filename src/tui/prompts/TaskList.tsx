// A GFM task list as a checklist: Space ticks the highlighted item, ↑/↓ move, Enter confirms
// once every item is ticked, s skips with a reason.
import { Box, Text, useInput } from 'ink';
import { useArmed } from './use-armed';
import { useState } from 'react';
import type { Decision } from '../../engine/prompter';
import { truncate } from '../output-buffer';
import { tint } from '../theme';
import { ReasonInput } from './ReasonInput';

export interface TaskListProps {
  items: { text: string; checked: boolean }[];
  width: number;
  active: boolean;
  onDecision(decision: Decision): void;
  onTyping(typing: boolean): void;
}

export function TaskList({ items, width, active, onDecision, onTyping }: TaskListProps) {
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
  return (
    <Box flexDirection="column">
      {items.map((item, i) => (
        <Text key={i} color={i === cursor ? tint('cyan') : undefined} bold={i === cursor}>
          {i === cursor ? '❯ ' : '  '}
          {ticked[i] ? <Text color={tint('green')}>[x]</Text> : '[ ]'} {truncate(item.text, width - 8)}
        </Text>
      ))}
      {nag ? <Text color={tint('yellow')}>{nag}</Text> : null}
      {skipping ? (
        <ReasonInput
          active={active}
          onReason={(reason) => onDecision({ action: 'skip', reason })}
          onCancel={() => {
            setSkipping(false);
            onTyping(false);
          }}
        />
      ) : (
        <Text dimColor>
          {left === 0 ? 'All ticked: Enter confirms' : `Space tick · ↑/↓ move · ${left} left`} · s skip · q abort
        </Text>
      )}
    </Box>
  );
}
