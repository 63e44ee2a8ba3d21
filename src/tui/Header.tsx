// One line that answers "where am I": runbook, version, mode, step n of N, elapsed time.
import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import type { Mode } from '../engine/events';
import { formatClock, tint } from './theme';

export interface HeaderProps {
  title: string;
  version: string;
  mode: Mode;
  /** 0-based current step, -1 before step 1. */
  current: number;
  total: number;
  startedAt?: number;
  endedAt?: number;
  width: number;
}

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function Header({ title, version, mode, current, total, startedAt, endedAt, width }: HeaderProps) {
  const now = useNow(startedAt !== undefined && endedAt === undefined);
  const elapsed = startedAt === undefined ? '' : formatClock((endedAt ?? now) - startedAt);
  const badge = mode === 'live' ? ' LIVE ' : ' REHEARSAL ';
  const progress = current < 0 ? `${total} steps` : `step ${current + 1} of ${total}`;
  const right = `${progress}  ${elapsed}`.trimEnd();
  const room = Math.max(8, width - badge.length - right.length - 4);
  const name = `${title} v${version}`;
  return (
    <Box width={width} justifyContent="space-between">
      <Text>
        <Text bold>{name.length > room ? `${name.slice(0, room - 1)}…` : name}</Text>{' '}
        <Text inverse bold color={tint(mode === 'live' ? 'red' : 'blue')}>
          {badge}
        </Text>
      </Text>
      <Text>{right}</Text>
    </Box>
  );
}
