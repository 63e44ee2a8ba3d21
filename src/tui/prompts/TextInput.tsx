// A one-line text field: type, Backspace, Enter submits, Esc cancels. Masked for secrets.
import { Text, useInput } from 'ink';
import { useArmed } from './use-armed';
import { useState } from 'react';
import { rowsOf, wrapText } from '../../core/wrap';
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
  /** Columns: the label wraps to them, the field keeps to one row (textInputRows counts them). */
  width?: number;
}

/** Rows a text field takes: its label wrapped, the field, and the refusal wrapped (one row at least). */
export function textInputRows(label: string, width: number, error?: string): number {
  return rowsOf(label, width) + 1 + Math.max(1, error ? rowsOf(`✗ ${error}`, width) : 1);
}

export function TextInput({ label, placeholder, mask, error, active, onSubmit, onCancel, validate, width = 80 }: TextInputProps) {
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
  const typed = mask ? '•'.repeat(value.length) : value;
  // A value longer than the row shows its end, where the typing happens.
  const room = Math.max(4, width - 4);
  const shown = typed.length > room ? `…${typed.slice(typed.length - room + 1)}` : typed;
  const message = problem ?? error;
  return (
    <>
      {wrapText(label, width).map((row, i) => (
        <Text key={i} bold wrap="truncate">
          {row}
        </Text>
      ))}
      <Text wrap="truncate">
        <Text color={tint('cyan')}>›</Text> {shown}
        {shown === '' && placeholder ? <Text dimColor>{placeholder}</Text> : null}
        <Text inverse> </Text>
      </Text>
      {message
        ? wrapText(`✗ ${message}`, width).map((row, i) => (
            <Text key={`error${i}`} color={tint('red')} wrap="truncate">
              {row}
            </Text>
          ))
        : null}
    </>
  );
}
