// A one-line text field: type, Backspace, Enter submits, Esc cancels. Masked for secrets.
import { Text, useInput } from 'ink';
import { useState } from 'react';
import { tint } from '../theme';

export interface TextInputProps {
  label: string;
  placeholder?: string;
  mask?: boolean;
  error?: string;
  active: boolean;
  onSubmit(value: string): void;
  onCancel?(): void;
  /** Checked on Enter; a returned sentence is shown and the value is not submitted. */
  validate?(value: string): string | undefined;
}

export function TextInput({ label, placeholder, mask, error, active, onSubmit, onCancel, validate }: TextInputProps) {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  useInput(
    (input, key) => {
      if (key.return) {
        const refused = validate?.(value);
        if (refused) {
          setProblem(refused);
          return;
        }
        onSubmit(value);
        setValue('');
        setProblem(undefined);
        return;
      }
      if (key.escape) {
        onCancel?.();
        return;
      }
      if (key.backspace || key.delete) {
        setValue((v) => v.slice(0, -1));
        return;
      }
      if (key.ctrl && input === 'u') {
        setValue('');
        return;
      }
      if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
      // A paste arrives as one string; newlines in it would submit half a value, so they are dropped.
      const typed = input.replace(/[\r\n]/g, '');
      if (typed) {
        setValue((v) => v + typed);
        setProblem(undefined);
      }
    },
    { isActive: active },
  );
  const shown = mask ? '•'.repeat(value.length) : value;
  const message = problem ?? error;
  return (
    <>
      <Text>
        <Text bold>{label}</Text> <Text color={tint('cyan')}>›</Text> {shown}
        {shown === '' && placeholder ? <Text dimColor>{placeholder}</Text> : null}
        <Text inverse> </Text>
      </Text>
      {message ? <Text color={tint('red')}>✗ {message}</Text> : null}
    </>
  );
}
