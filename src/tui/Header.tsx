// One line that answers "where am I": runbook, version, mode, step n of N, elapsed time.
import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import type { Mode } from '../core/events';
import { headerText } from './header-text';
import { tint } from './theme';
import { formatClock } from '../view/status';

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
  const { name, badge, right } = headerText({ title, version, mode, current, total, elapsed, width });
  return (
    <Box width={width} justifyContent="space-between">
      <Text>
        <Text bold>{name}</Text>{' '}
        <Text inverse bold color={tint(mode === 'live' ? 'red' : 'blue')}>
          {badge}
        </Text>
      </Text>
      <Text>{right}</Text>
    </Box>
  );
}
