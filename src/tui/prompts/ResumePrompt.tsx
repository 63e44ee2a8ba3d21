// An unfinished earlier run of this runbook: continue it, start over, or stop.
import { Box, Text, useInput } from 'ink';
import { useArmed } from './use-armed';
import { tint } from '../theme';
import { wrapText } from '../../core/wrap';
import { RUNBOOK_CHANGED, resumeText } from '../../view/question-text';

export interface ResumePromptProps {
  nextStepTitle?: string;
  finishedSteps: number;
  changed: boolean;
  /** The journal is damaged: where, and what resuming trusts. */
  damage?: string;
  /** The runbook was edited since: one line per step the edit touched. */
  edits?: string[];
  active: boolean;
  onAnswer(answer: 'resume' | 'restart' | 'abort'): void;
  width?: number;
}

export function ResumePrompt({
  nextStepTitle,
  finishedSteps,
  changed,
  damage,
  edits = [],
  active,
  onAnswer,
  width = 80,
}: ResumePromptProps) {
  const armed = useArmed();
  useInput(
    (input, key) => {
      if (!armed.current) return;
      if (input === 'r' || key.return) onAnswer('resume');
      else if (input === 'n') onAnswer('restart');
    },
    { isActive: active },
  );
  return (
    <Box flexDirection="column">
      {wrapText(resumeText(finishedSteps, nextStepTitle), width).map((row, i) => (
        <Text key={i} bold wrap="truncate">
          {row}
        </Text>
      ))}
      {changed ? <Text color={tint('yellow')}>{RUNBOOK_CHANGED}</Text> : null}
      {edits.flatMap((line, n) =>
        wrapText(`- ${line}`, width).map((row, i) => (
          <Text key={`edit-${n}-${i}`} color={tint('yellow')} wrap="truncate">
            {row}
          </Text>
        )),
      )}
      {damage
        ? wrapText(damage, width).map((row, i) => (
            <Text key={`damage-${i}`} color={tint('red')} wrap="truncate">
              {row}
            </Text>
          ))
        : null}
      <Text dimColor>Enter/r resume · n start over · q abort</Text>
    </Box>
  );
}
