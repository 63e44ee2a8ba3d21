// The operator's decision on a step: run a `confirm` step, handle a failure (r retry), or a step
// interrupted by a crash. s asks for a reason, q is handled by the screen (it asks to confirm).
import { Box, Text, useInput } from 'ink';
import { useArmed } from './use-armed';
import { useState } from 'react';
import type { Decision } from '../../engine/prompter';
import { tint } from '../theme';
import { REASON_LABEL, ReasonInput } from './ReasonInput';
import { textInputRows } from './TextInput';
import { rowsOf, wrapText } from '../wrap';

export type DecisionKind = 'confirm' | 'failure' | 'interrupted';

export interface DecisionPromptProps {
  kind: DecisionKind;
  message?: string;
  active: boolean;
  onDecision(decision: Decision): void;
  onTyping(typing: boolean): void;
  width?: number;
}

/** Rows the decision takes: its message wrapped, then the hint or the reason being typed. */
export function decisionRows(message: string | undefined, width: number): number {
  return (message ? rowsOf(message, width) : 0) + textInputRows(REASON_LABEL, width);
}

const HINTS: Record<DecisionKind, string> = {
  confirm: 'Enter run · s skip · q abort',
  failure: 'r retry · s skip · q abort',
  interrupted: 'Enter run it again · s skip · q abort',
};

export function DecisionPrompt({ kind, message, active, onDecision, onTyping, width = 80 }: DecisionPromptProps) {
  const [skipping, setSkipping] = useState(false);
  const armed = useArmed();
  useInput(
    (input, key) => {
      if (!armed.current) return;
      if (input === 's') {
        setSkipping(true);
        onTyping(true);
      } else if (kind === 'failure' && input === 'r') onDecision({ action: 'retry' });
      else if (kind !== 'failure' && key.return) onDecision({ action: 'proceed' });
    },
    { isActive: active && !skipping },
  );
  return (
    <Box flexDirection="column">
      {message
        ? wrapText(message, width).map((row, i) => (
            <Text key={i} color={tint(kind === 'failure' ? 'red' : 'yellow')} bold wrap="truncate">
              {row}
            </Text>
          ))
        : null}
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
          {HINTS[kind]}
        </Text>
      )}
    </Box>
  );
}
