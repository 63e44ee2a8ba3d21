// The end of a run: each step's status and duration, the outcome, and where the signed record is.
import { Box, Text } from 'ink';
import type { RunState } from './run-state';
import { GLYPH, STATUS_COLOR, formatClock, formatDuration, tint } from './theme';
import { truncate } from './output-buffer';

export function Summary({ state, width, height }: { state: RunState; width: number; height: number }) {
  const outcomeColor = state.outcome === 'completed' ? 'green' : state.outcome === 'failed' ? 'red' : 'yellow';
  const total = state.startedAt !== undefined && state.endedAt !== undefined ? formatClock(state.endedAt - state.startedAt) : '';
  // Rows left for the step table after the outcome, record and exit lines.
  const room = Math.max(3, height - (state.published ? 10 : 9));
  const steps = state.steps.length > room ? state.steps.slice(0, room - 1) : state.steps;
  return (
    <Box flexDirection="column">
      <Text bold color={tint(outcomeColor)}>
        Run {state.outcome ?? 'ended'}
        {state.mode === 'rehearsal' ? ' (rehearsal)' : ''}
        {total ? ` in ${total}` : ''}
        {state.endReason ? `: ${state.endReason}` : ''}
      </Text>
      <Box flexDirection="column" marginTop={1}>
        {steps.map((row) => (
          <Box key={row.id} width={width} justifyContent="space-between">
            <Text>
              <Text color={tint(STATUS_COLOR[row.status])}>{GLYPH[row.status]}</Text>{' '}
              {truncate(row.title, Math.max(10, width - 40))}
            </Text>
            <Text dimColor>
              {row.status === 'pending' ? 'not-run' : row.status}
              {row.reason ? ` (${truncate(row.reason, 20)})` : ''} {formatDuration(row.durationMs)}
            </Text>
          </Box>
        ))}
        {steps.length < state.steps.length ? <Text dimColor>… {state.steps.length - steps.length} more steps</Text> : null}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        {state.recordPath ? (
          <>
            <Text>
              Record: <Text bold>{state.recordPath}</Text>
            </Text>
            <Text dimColor>Verify it with:</Text>
            <Text>  handrail verify {state.recordPath}</Text>
          </>
        ) : (
          <Text dimColor>Writing the record…</Text>
        )}
        {state.published ? <Text color={tint(state.published.ok ? 'green' : 'yellow')}>{state.published.message}</Text> : null}
      </Box>
      <Text dimColor>Press any key to exit.</Text>
    </Box>
  );
}
