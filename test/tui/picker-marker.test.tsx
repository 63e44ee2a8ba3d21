// The picker's scroll marker counts runbooks, not rows (a runbook with a summary takes two), and an
// id is never cut: it is what `handrail run` and the records name.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { KEY, frameText, settle, waitForText } from '../helpers/ink';
import { Picker } from '../../src/tui/picker/Picker';

afterEach(() => cleanup());

const entries = Array.from({ length: 6 }, (_, i) => ({
  path: `runbooks/r${i}.md`,
  id: `release-verification-${i}`,
  title: `A runbook with a title long enough to fill the row of the picker ${i}`,
  version: '1.0.0',
  summary: `Summary ${i}`,
}));

describe('picker', () => {
  it('says how many runbooks are above and below, and shows each id whole', async () => {
    const ui = render(<Picker entries={entries} width={80} height={12} onPick={() => {}} />);
    const first = await waitForText(ui, '(release-verification-0)');
    expect(first).toContain('↓ 3 below');
    for (let i = 0; i < 5; i++) {
      await settle();
      ui.stdin.write(KEY.down);
    }
    const last = await waitForText(ui, '❯ A runbook');
    await waitForText(ui, '(release-verification-5)');
    expect(frameText(ui)).toContain('↑ 3 above');
    expect(last).not.toMatch(/\(relea…/);
  });
});
