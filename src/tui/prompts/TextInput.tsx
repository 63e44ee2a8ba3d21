// A one-line text field: type, Backspace, Enter submits, Esc cancels. Masked for secrets.
import { Text, useInput } from 'ink';
import { useArmed } from './use-armed';
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
  const submit = (text: string) => {
    const refused = validate?.(text);
    if (refused) {
      setValue(text);
      setProblem(refused);
      return;
    }
    onSubmit(text);
    setValue('');
    setProblem(undefined);
  };
  const armed = useArmed();
  useInput(
    (input, key) => {
      if (!armed.current) return;
      if (key.return) {
        submit(value);
        return;
      }
      // Fast typing (or tmux, or a paste) can deliver text and Enter in one chunk.
      const newline = input.search(/[\r\n]/);
      if (newline > 0 && !key.ctrl && !key.meta) {
        submit(value + input.slice(0, newline));
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
