// An unfinished earlier run of this runbook: continue it, start over, or stop.
import { Box, Text, useInput } from 'ink';
import { useArmed } from './use-armed';
import { tint } from '../theme';

export interface ResumePromptProps {
  nextStepTitle?: string;
  finishedSteps: number;
  changed: boolean;
  /** The journal is damaged: where, and what resuming trusts. */
  damage?: string;
  active: boolean;
  onAnswer(answer: 'resume' | 'restart' | 'abort'): void;
}

export function ResumePrompt({ nextStepTitle, finishedSteps, changed, damage, active, onAnswer }: ResumePromptProps) {
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
      <Text bold>
        An earlier run stopped after {finishedSteps} finished step{finishedSteps === 1 ? '' : 's'}
        {nextStepTitle ? `; next: ${nextStepTitle}` : ''}.
      </Text>
      {changed ? <Text color={tint('yellow')}>The runbook changed since that run began.</Text> : null}
      {damage ? <Text color={tint('red')}>{damage}</Text> : null}
      <Text dimColor>Enter/r resume · n start over · q abort</Text>
    </Box>
  );
}
