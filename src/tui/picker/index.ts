// Shows the picker on the terminal and resolves with the operator's choice (undefined: quit).
import { render } from 'ink';
import { createElement } from 'react';
import { restoreTerminal } from '../terminal';
import { Picker, type PickerChoice, type PickerEntry } from './Picker';

export type { PickerChoice, PickerEntry } from './Picker';

export function pickRunbook(entries: PickerEntry[]): Promise<PickerChoice | undefined> {
  return new Promise((resolve) => {
    const instance = render(
      createElement(Picker, {
        entries,
        width: Math.max(40, process.stdout.columns || 80),
        height: process.stdout.rows || 24,
        onPick: (choice: PickerChoice | undefined) => {
          instance.unmount();
          restoreTerminal(process.stdin, process.stdout);
          resolve(choice);
        },
      }),
      // The picker only runs on a terminal; CI=true must not turn it into a last-frame-only render.
      // On the alternate screen, so its last frame does not stay in the scrollback above the run.
      { exitOnCtrlC: false, interactive: true, alternateScreen: true },
    );
  });
}
