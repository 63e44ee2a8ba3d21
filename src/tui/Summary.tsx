// The end of a run: the outcome, each step's status and duration, and where the signed record is.
// The step table scrolls (↑/↓ PgUp/PgDn) so a long runbook never hides its skipped or failed steps.
import { Box, Text } from 'ink';
import type { RunState } from '../view/run-state';
import { moreMarker } from './StepList';
import { STATUS_COLOR, tint } from './theme';
import { formatDuration, statusGlyph } from '../view/status';
import { VERIFY_WITH, copyLines, endWord, outcomeLine } from '../view/end-lines';
import { truncate } from './output-buffer';
import { clampTop, wrapText } from '../core/wrap';
import { cutRows } from './unbroken';

export function Summary({ state, width, height, top }: { state: RunState; width: number; height: number; top: number }) {
  const outcomeColor = state.outcome === 'completed' ? 'green' : state.outcome === 'failed' ? 'red' : 'yellow';
  // The inputs and choices in as few rows as they fit, so the step table keeps its room.
  const given = Object.entries(state.inputs).map(([name, value]) => `${name}=${value}`);
  const outcome = [...wrapText(outcomeLine(state), width), ...(given.length ? wrapText(`Inputs: ${given.join(' · ')}`, width, '  ') : [])];
  // The path and the command are cut at the screen's edge (not at a space, no indent on later rows),
  // as the terminal would wrap them: unbroken.ts then makes each one line to the terminal, so it
  // copies and pastes whole.
  const copy = state.recordPath ? copyLines(state.recordPath) : undefined;
  const record = copy ? [...cutRows(copy.record, width), VERIFY_WITH, ...cutRows(copy.verify, width)] : ['Writing the record…'];
  // Publishing to the team's repository says where the record went (or why it did not).
  const published = state.published ? wrapText(state.published.message, width) : [];
  // Rows left for the step table after the outcome, the record and the blank lines between them.
  const room = Math.max(2, height - outcome.length - record.length - published.length - 2);
  const scrolls = state.steps.length > room;
  const shown = scrolls ? room - 1 : room;
  const start = clampTop(top, state.steps.length, shown);
  const steps = state.steps.slice(start, start + shown);
  // Title first, then status, reason and duration in a column of their own: each cut to its column,
  // so a long reason can never run into the next field.
  const right = (row: RunState['steps'][number]) =>
    `${endWord(row)}${row.reason ? ` (${row.reason})` : ''} ${formatDuration(row.durationMs)}`.trimEnd();
  const rightWidth = Math.min(Math.floor(width / 2), Math.max(...state.steps.map((row) => right(row).length)));
  const titleWidth = Math.max(8, width - rightWidth - 3);
  return (
    <Box flexDirection="column">
      {outcome.map((row, i) => (
        <Text key={i} bold color={tint(outcomeColor)} wrap="truncate">
          {row}
        </Text>
      ))}
      <Box flexDirection="column" marginTop={1}>
        {steps.map((row) => (
          <Text key={row.id} wrap="truncate">
            <Text color={tint(STATUS_COLOR[row.status])}>{statusGlyph(row.status, true)}</Text>{' '}
            {truncate(row.title, titleWidth).padEnd(titleWidth)} <Text dimColor>{truncate(right(row), rightWidth)}</Text>
          </Text>
        ))}
        {scrolls ? <Text dimColor wrap="truncate">{`  ${moreMarker(start, state.steps.length - start - steps.length)} (↑/↓)`}</Text> : null}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        {record.map((row, i) => (
          <Text key={i} dimColor={row === VERIFY_WITH || !state.recordPath} wrap="truncate">
            {row}
          </Text>
        ))}
        {state.published
          ? published.map((row, i) => (
              <Text key={`p${i}`} color={tint(state.published!.ok ? 'green' : 'yellow')} wrap="truncate">
                {row}
              </Text>
            ))
          : null}
      </Box>
    </Box>
  );
}
