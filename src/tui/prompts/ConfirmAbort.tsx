// q never aborts on its own: production is often half-changed when an operator reaches for it.
import { Text, useInput } from 'ink';
import { tint } from '../theme';

export function ConfirmAbort({ active, onConfirm, onCancel }: { active: boolean; onConfirm(): void; onCancel(): void }) {
  useInput(
    (input, key) => {
      if (input === 'y' || input === 'Y') onConfirm();
      else if (input === 'n' || input === 'N' || key.escape) onCancel();
    },
    { isActive: active },
  );
  return (
    <Text color={tint('red')} bold>
      Abort the run? The running step is stopped and the record says aborted. (y/N)
    </Text>
  );
}
