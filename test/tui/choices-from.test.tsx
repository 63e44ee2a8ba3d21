// An input whose choices come from a capture (`choices_from`): the TUI shows each value's label,
// keeps a long list within its rows (the highlighted line always visible, with how many are above and
// below), and answers with the value, not the label.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEY, frameText, settle, typeAndWait, waitForText } from '../helpers/ink';
import { begin, mount } from './fixture';
import { SELECT_ROWS } from '../../src/tui/prompts/InputPrompt';
import { selectWindow } from '../../src/tui/prompts/SelectInput';

afterEach(() => cleanup());

const digest = (n: number) => `sha256:${String(n).padStart(2, '0').repeat(32)}`;
const options = Array.from({ length: 20 }, (_, i) => ({
  value: digest(i),
  label: `2026-11-${String(29 - i).padStart(2, '0')}  ${digest(i).slice(0, 19)}  ${i === 0 ? 'prod, ' : ''}sha-${i}`,
}));

describe('choices_from in the TUI', () => {
  it('shows labels, scrolls a long list within its rows, and answers the value', async () => {
    const h = mount();
    await begin(h);
    const step = h.runbook.steps[1];
    if (step.kind !== 'input') throw new Error('fixture changed');
    h.stepStarted(step.id, step.input.prompt);
    const spec = { name: 'GOOD_DIGEST', prompt: 'Last good version', choices: options.map((o) => o.value) };
    const answer = h.prompter.input({ name: 'GOOD_DIGEST', spec, stepId: step.id, options });

    const first = await waitForText(h.ui, '❯ 2026-11-29');
    expect(first).toContain('prod, sha-0');
    expect(first).toContain('↓ 12 more');
    expect(first).not.toContain('sha-8 ');
    // The rows are labels; the highlighted one's whole value (what Enter gives) is shown once, under the list.
    expect(first.match(/sha256:0{64}/g)).toHaveLength(1);
    expect(first).toContain(`value: ${digest(0)}`);

    await settle();
    for (let i = 1; i <= 12; i++) await typeAndWait(h.ui, KEY.down, `❯ 2026-11-${String(29 - i).padStart(2, '0')}`);
    const moved = frameText(h.ui);
    expect(moved).toMatch(/↑ \d+ more/);
    expect(moved).toMatch(/❯ 2026-11-17 +sha256:121212121212 +sha-12/);
    h.ui.stdin.write(KEY.enter);
    await expect(answer).resolves.toBe(digest(12));
  });

  it('the window keeps the highlighted choice visible at every position', () => {
    for (let index = 0; index < 20; index++) {
      const { first, shown } = selectWindow(20, index, SELECT_ROWS);
      expect(shown).toBe(SELECT_ROWS - 2);
      expect(index).toBeGreaterThanOrEqual(first);
      expect(index).toBeLessThan(first + shown);
      expect(first + shown).toBeLessThanOrEqual(20);
    }
    expect(selectWindow(3, 2, SELECT_ROWS)).toEqual({ first: 0, shown: 3 });
  });
});
