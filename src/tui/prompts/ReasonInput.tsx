// Skipping a step needs a reason in words: it goes into the record.
import { TextInput } from './TextInput';

export function ReasonInput({ active, onReason, onCancel }: { active: boolean; onReason(reason: string): void; onCancel(): void }) {
  return (
    <TextInput
      label="Why skip this step?"
      placeholder=" (Enter to skip, Esc to go back)"
      active={active}
      validate={(value) => (value.trim() === '' ? 'Give a reason: it is written into the record.' : undefined)}
      onSubmit={(value) => onReason(value.trim())}
      onCancel={onCancel}
    />
  );
}
