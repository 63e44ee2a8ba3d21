// Skipping a step needs a reason in words: it goes into the record.
import { TextInput } from './TextInput';
import { SKIP_REASON_REQUIRED } from '../../view/question-text';

export const REASON_LABEL = 'Why skip this step?';

export function ReasonInput({
  active,
  onReason,
  onCancel,
  width,
}: {
  active: boolean;
  onReason(reason: string): void;
  onCancel(): void;
  width?: number;
}) {
  return (
    <TextInput
      label={REASON_LABEL}
      width={width}
      placeholder=" (Enter to skip, Esc to go back)"
      active={active}
      validate={(value) => (value.trim() === '' ? SKIP_REASON_REQUIRED : undefined)}
      onSubmit={(value) => onReason(value.trim())}
      onCancel={onCancel}
    />
  );
}
