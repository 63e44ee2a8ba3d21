// An `input` the engine asks for (front matter or an input step), in the form its type calls for.
import type { InputRequest } from '../../engine/prompter';
import { validateInput } from '../../engine/inputs';
import { SelectInput } from './SelectInput';
import { TextInput } from './TextInput';
import { YesNo } from './YesNo';

/** Rows a list of choices may take on screen; a longer list scrolls within them. */
export const SELECT_ROWS = 10;

export interface InputPromptProps {
  request: InputRequest;
  active: boolean;
  onAnswer(value: string): void;
  onAbort(): void;
}

export function InputPrompt({ request, active, onAnswer, onAbort }: InputPromptProps) {
  const { spec, name, error } = request;
  const label = `${spec.prompt} (${name})`;
  if (spec.type === 'confirm') {
    const defaultYes = spec.default === undefined ? undefined : spec.default === 'true';
    return <YesNo label={label} defaultYes={defaultYes} active={active} onAnswer={(yes) => onAnswer(String(yes))} />;
  }
  if (spec.choices && spec.choices.length > 0) {
    return (
      <SelectInput
        label={label}
        choices={spec.choices}
        {...(request.options ? { labels: request.options.map((o) => o.label) } : {})}
        initial={spec.default}
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
