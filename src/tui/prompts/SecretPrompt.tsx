// A missing secret, typed masked, then (when the keychain can keep it) whether to store it.
import { Box } from 'ink';
import { useState } from 'react';
import type { SecretRequest } from '../../core/prompter';
import { TextInput } from './TextInput';
import { YesNo } from './YesNo';
import { askLabel, keepInKeychain } from '../../view/question-text';

export interface SecretPromptProps {
  request: SecretRequest;
  active: boolean;
  onAnswer(answer: { value: string; store: boolean }): void;
  onAbort(): void;
  width?: number;
}

export function SecretPrompt({ request, active, onAnswer, onAbort, width }: SecretPromptProps) {
  const [value, setValue] = useState<string | undefined>(undefined);
  return (
    <Box flexDirection="column">
      <TextInput
        label={askLabel(request.spec.prompt, request.name)}
        mask
        width={width}
        active={active && value === undefined}
        validate={(v) => (v === '' ? 'Paste or type the value; Esc aborts.' : undefined)}
        onSubmit={(v) => (request.canStore ? setValue(v) : onAnswer({ value: v, store: false }))}
        onCancel={onAbort}
      />
      {value !== undefined ? (
        <YesNo
          label={keepInKeychain(request.spec.keychain, request.name)}
          defaultYes
          width={width}
          active={active}
          onAnswer={(store) => onAnswer({ value, store })}
        />
      ) : null}
    </Box>
  );
}
