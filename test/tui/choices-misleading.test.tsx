// choices_from with values that look alike once made terminal-safe (SPEC §3.2): the list goes through
// the same display layer as a real run (displayPrompter), and whatever row is highlighted is the value
// the engine gets back, never another value that happens to read the same.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEY, frameText, settle, typeAndWait, waitForFrame, waitForText } from '../helpers/ink';
import { begin, mount, type Harness } from './fixture';
import { displayPrompter } from '../../src/core/for-display';
import { choiceRows } from '../../src/tui/prompts/SelectInput';

afterEach(() => cleanup());

const ESC_VALUE = 'v1\x1b[8m';
const POSING = 'v1␛[8m'; // what ESC_VALUE looks like on screen, as a value of its own
const LONG = 'x'.repeat(90);

async function ask(h: Harness, options: { value: string; label: string }[]): Promise<{ answer: Promise<string> }> {
  await begin(h);
  const step = h.runbook.steps[1];
  if (step.kind !== 'input') throw new Error('fixture changed');
  h.stepStarted(step.id, step.input.prompt);
  const spec = { name: 'PICK', prompt: 'Pick one', choices: options.map((o) => o.value) };
  return { answer: displayPrompter(h.prompter).input({ name: 'PICK', spec, stepId: step.id, options }) };
}

describe('choices that cannot mislead', () => {
  const hostile = [
    { value: ESC_VALUE, label: ESC_VALUE },
    { value: POSING, label: POSING },
    { value: 'line1\nline2', label: 'line1\nline2' },
    { value: 'rtl\u202Eevil', label: 'rtl\u202Eevil' },
    { value: 'same', label: 'twin' },
    { value: 'other', label: 'twin' },
    { value: `${LONG}A`, label: `${LONG}A` },
    { value: `${LONG}B`, label: `${LONG}B` },
  ];

  it.each(hostile.map((o, i) => [i, JSON.stringify(o.value)] as const))(
    'row %i (%s): what Enter gives is what was highlighted',
    async (index) => {
      const h = mount({ columns: 80, rows: 30 });
      const { answer } = await ask(h, hostile);
      const frame = await waitForText(h.ui, '❯ ');
      // No two rows read alike.
      const rows = frame
        .split('\n')
        .filter(
          (l) =>
            /^[❯ ] {1,2}\S/.test(l) && hostile.some((_, i) => l.includes(['v1', 'v1', 'line1', 'rtl', 'twin', 'twin', 'xxx', 'xxx'][i])),
        );
      expect(new Set(rows.map((r) => r.slice(2).trim())).size).toBe(hostile.length);
      for (let i = 0; i < index; i++) {
        await settle();
        h.ui.stdin.write(KEY.down);
      }
      await waitForFrame(h.ui, (f) => f.split('\n').filter((l) => l.startsWith('❯ ')).length === 1 && frameText(h.ui) === f);
      await settle();
      h.ui.stdin.write(KEY.enter);
      await expect(answer).resolves.toBe(hostile[index].value);
    },
  );

  it('a single value holding a newline can be picked', async () => {
    const h = mount({ columns: 80, rows: 30 });
    const { answer } = await ask(h, [{ value: 'line1\nline2', label: 'line1\nline2' }]);
    await waitForText(h.ui, '❯ line1⏎line2');
    await settle();
    h.ui.stdin.write(KEY.enter);
    await expect(answer).resolves.toBe('line1\nline2');
  });

  it('the highlighted row shows its label in full and the value Enter gives', async () => {
    const h = mount({ columns: 80, rows: 30 });
    const { answer } = await ask(h, [
      { value: 'sha256:aaaa', label: 'twin' },
      { value: 'sha256:bbbb', label: 'twin' },
      { value: `${LONG}A`, label: `${LONG}A` },
    ]);
    expect(await waitForText(h.ui, '❯ twin')).toContain('value: sha256:aaaa');
    const second = await typeAndWait(h.ui, KEY.down, 'value: sha256:bbbb');
    expect(second).toContain('❯ twin (2)');
    await typeAndWait(h.ui, KEY.down, `❯ ${'x'.repeat(70)}`);
    const third = await waitForFrame(h.ui, (f) => !f.includes('value: sha256'));
    // The cut row, then the label whole (wrapped) under the list.
    expect(third.replace(/\s+/g, '')).toContain(`${LONG}A`);
    h.ui.stdin.write(KEY.enter);
    await expect(answer).resolves.toBe(`${LONG}A`);
  });

  it('rows cut at the edge that would read alike end in (1), (2)', () => {
    const rows = choiceRows([`${LONG}A`, `${LONG}B`, 'short'], 78);
    expect(rows[0]).not.toBe(rows[1]);
    expect(rows[0].endsWith(' (1)')).toBe(true);
    expect(rows[1].endsWith(' (2)')).toBe(true);
    expect(rows[2]).toBe('short');
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(78);
  });
});
