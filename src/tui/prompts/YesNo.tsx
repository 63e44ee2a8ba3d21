// A yes/no question answered with y or n (Enter takes the default).
import { Text, useInput } from 'ink';
import { wrapText } from '../../core/wrap';
import { useArmed } from './use-armed';

export interface YesNoProps {
  label: string;
  defaultYes?: boolean;
  active: boolean;
  onAnswer(yes: boolean): void;
  width?: number;
}

export function YesNo({ label, defaultYes, active, onAnswer, width = 80 }: YesNoProps) {
  const armed = useArmed();
  useInput(
    (input, key) => {
      if (!armed.current) return;
      if (input === 'y' || input === 'Y') onAnswer(true);
      else if (input === 'n' || input === 'N') onAnswer(false);
      else if (key.return && defaultYes !== undefined) onAnswer(defaultYes);
    },
    { isActive: active },
  );
  const hint = defaultYes === undefined ? 'y/n' : defaultYes ? 'Y/n' : 'y/N';
  return (
    <>
      {wrapText(`${label} (${hint})`, width).map((row, i) => (
        <Text key={i} bold wrap="truncate">
          {row}
        </Text>
      ))}
    </>
  );
}
