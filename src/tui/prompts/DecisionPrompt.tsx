// The operator's decision on a step: run a `confirm` step, handle a failure (r retry), or a step
// interrupted by a crash. s asks for a reason, q is handled by the screen (it asks to confirm).
import { Box, Text, useInput } from 'ink';
import { useArmed } from './use-armed';
import { useState } from 'react';
import type { Decision } from '../../core/prompter';
import { tint } from '../theme';
import { REASON_LABEL, ReasonInput } from './ReasonInput';
import { textInputRows } from './TextInput';
import { columnsOf, rowsOf, wrapText } from '../../core/wrap';

export type DecisionKind = 'confirm' | 'failure' | 'interrupted';

export interface DecisionPromptProps {
  kind: DecisionKind;
  message?: string;
  /** What checks established, one labelled line each ("Good digest exists: sha256:…"), above the question. */
  facts?: string[];
  /** After a failure: the inputs c lets the operator change before the retry. */
  changeable?: string[];
  active: boolean;
  onDecision(decision: Decision): void;
  onTyping(typing: boolean): void;
  width?: number;
}

/**
 * Rows the decision takes: the facts and its message wrapped, then the one-row hint, or the reason
 * field while a skip reason is typed (`typing`), so no rows sit empty under the hint.
 */
export function decisionRows(message: string | undefined, width: number, facts: readonly string[] = [], typing = false): number {
  const shown = facts.reduce((sum, fact) => sum + factRows(fact, width).length, 0);
  return shown + (message ? rowsOf(message, width) : 0) + (typing ? textInputRows(REASON_LABEL, width) : 1);
}

/** A fact as rows: `label: value` on one row when it fits, else the value on rows of its own, indented. */
export function factRows(fact: string, width: number): string[] {
  if (columnsOf(fact) <= width) return [fact];
  const colon = fact.indexOf(': ');
  if (colon < 0) return wrapText(fact, width, '  ');
  return [...wrapText(fact.slice(0, colon + 1), width, '  '), ...wrapText(`  ${fact.slice(colon + 2)}`, width, '  ')];
}

const HINTS: Record<DecisionKind, string> = {
  confirm: 'Enter run · s skip · q abort',
  failure: 'r retry · s skip · q abort',
  interrupted: 'Enter run it again · s skip · q abort',
};

/** The keys a decision offers, as its hint line says them. */
export function decisionHint(kind: DecisionKind, changeable: readonly string[] = []): string {
  if (kind !== 'failure' || changeable.length === 0) return HINTS[kind];
  return `r retry · c change ${changeable.join(', ')} · s skip · q abort`;
}

export function DecisionPrompt({
  kind,
  message,
  facts = [],
  changeable = [],
  active,
  onDecision,
  onTyping,
  width = 80,
}: DecisionPromptProps) {
  const [skipping, setSkipping] = useState(false);
  const armed = useArmed();
  useInput(
    (input, key) => {
      if (!armed.current) return;
      if (input === 's') {
        setSkipping(true);
        onTyping(true);
      } else if (kind === 'failure' && input === 'r') onDecision({ action: 'retry' });
      else if (kind === 'failure' && input === 'c' && changeable.length > 0) onDecision({ action: 'change' });
      else if (kind !== 'failure' && key.return) onDecision({ action: 'proceed' });
    },
    { isActive: active && !skipping },
  );
  return (
    <Box flexDirection="column">
      {facts.flatMap((fact, f) =>
        factRows(fact, width).map((row, i) => (
          <Text key={`fact${f}:${i}`} color={tint('cyan')} wrap="truncate">
            {row}
          </Text>
        )),
      )}
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
          {decisionHint(kind, changeable)}
        </Text>
      )}
    </Box>
  );
}
