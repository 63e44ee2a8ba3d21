// An `input` the engine asks for (front matter or an input step), in the form its type calls for.
import type { InputRequest } from '../../core/prompter';
import { validateInput } from '../../engine/inputs';
import { SelectInput, detailRows } from './SelectInput';
import { TextInput, textInputRows } from './TextInput';
import { rowsOf } from '../../core/wrap';
import { YesNo } from './YesNo';
import { askLabel } from '../../view/question-text';

/** Rows a list of choices may take on screen; a longer list scrolls within them. */
export const SELECT_ROWS = 10;

export interface InputPromptProps {
  request: InputRequest;
  active: boolean;
  onAnswer(value: string): void;
  onAbort(): void;
  width?: number;
  /** Fills `{{NAME}}` in the prompt. */
  fill?: (text: string) => string;
}

/** The words an input is asked with. */
export function inputLabel(request: InputRequest, fill: (text: string) => string = (t) => t): string {
  return askLabel(fill(request.spec.prompt), request.name);
}

/** Rows the input takes on the screen. */
export function inputRows(request: InputRequest, width: number, fill?: (text: string) => string): number {
  const label = inputLabel(request, fill);
  if (request.spec.type === 'confirm') return rowsOf(`${label} (y/n)`, width);
  if (request.spec.choices?.length) {
    const choices = request.spec.choices.length;
    const labels = request.options?.map((o) => o.label);
    const error = request.error ? rowsOf(`✗ ${request.error}`, width) : 0;
    return (
      rowsOf(label, width) +
      (choices > SELECT_ROWS ? SELECT_ROWS : choices) +
      detailRows(request.spec.choices, labels, request.current, width) +
      error
    );
  }
  return textInputRows(label, width, request.error);
}

export function InputPrompt({ request, active, onAnswer, onAbort, width, fill }: InputPromptProps) {
  const { spec, name, error } = request;
  const label = inputLabel(request, fill);
  if (spec.type === 'confirm') {
    const defaultYes = spec.default === undefined ? undefined : spec.default === 'true';
    return <YesNo width={width} label={label} defaultYes={defaultYes} active={active} onAnswer={(yes) => onAnswer(String(yes))} />;
  }
  if (spec.choices && spec.choices.length > 0) {
    return (
      <SelectInput
        width={width}
        label={label}
        choices={spec.choices}
        {...(request.options ? { labels: request.options.map((o) => o.label) } : {})}
        initial={spec.default}
        {...(request.current !== undefined ? { current: request.current } : {})}
        error={error}
        active={active}
        maxRows={SELECT_ROWS}
        onSubmit={onAnswer}
      />
    );
  }
  return (
    <TextInput
      key={`${name}:${error ?? ''}`}
      width={width}
      label={label}
      placeholder={spec.default}
      error={error}
      active={active}
      onCancel={onAbort}
      validate={(value) => validateInput(name, spec, value === '' && spec.default !== undefined ? spec.default : value)}
      onSubmit={(value) => onAnswer(value === '' && spec.default !== undefined ? spec.default : value)}
    />
  );
}
