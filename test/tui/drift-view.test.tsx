// The drift screen (SPEC §6.5) on its own: both sides in full at 80 columns, the differing lines
// marked, scrolling when it does not fit, and only c / a answering (never a reflexive Enter).
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import type { DriftRequest } from '../../src/core/prompter';
import { DriftView } from '../../src/tui/DriftView';
import { KEY, settle, waitForFrame, waitForText } from '../helpers/ink';
import { run } from '../fixtures/engine/builders';
import { pairLines, valueLines } from '../../src/tui/side-by-side';

afterEach(() => cleanup());

const old = `sha256:${'a'.repeat(64)}`;
const now = `sha256:${'b'.repeat(64)}`;
const request: DriftRequest = {
  drifts: [
    {
      stepId: 'current',
      field: 'capture',
      name: 'CURRENT',
      rehearsed: `app ${old}\nbase ${'c'.repeat(20)}`,
      now: `app ${now}\nbase ${'c'.repeat(20)}`,
    },
    { field: 'input', name: 'CHANNEL', rehearsed: 'prod', now: 'nightly' },
    { stepId: 'retag', field: 'text', now: 'echo never rehearsed' },
  ],
  before: { step: run('echo', { id: 'retag' }), title: 'Re-tag app:prod', display: 'echo' },
  rehearsal: { by: '@bob', at: '2026-12-01T10:00:00.123Z', planDigest: `sha256:${'d'.repeat(64)}` },
};

function mount(height: number) {
  const answers: string[] = [];
  const ui = render(<DriftView request={request} width={80} height={height} active onAnswer={(a) => answers.push(a)} />);
  return { ui, answers };
}

describe('drift screen', () => {
  it('shows what was rehearsed and what is now side by side, wrapped and never cut, the differing line marked', async () => {
    const { ui } = mount(40);
    const frame = await waitForText(ui, 'CHANNEL (input)');
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(frame).toContain('stopped before "Re-tag app:prod"');
    expect(frame).toContain('Rehearsed by @bob at 2026-12-01T10:00:00Z');
    // Each digest is whole across its wrapped rows, in its own column.
    const columns = (side: 0 | 1) =>
      frame
        .split('\n')
        .filter((l) => /[│≠]/.test(l))
        .map((l) => l.split(/ [│≠] /)[side]!.trim())
        .join('');
    expect(columns(0)).toContain(old);
    expect(columns(1)).toContain(now);
    const rows = frame.split('\n');
    expect(rows.find((l) => l.includes('app sha256:aaa'))).toContain(' ≠ ');
    expect(rows.find((l) => l.startsWith('base '))).toContain(' │ ');
    expect(frame).toMatch(/prod\s+≠ nightly/);
    expect(frame).toMatch(/\(not reached in the rehearsal\) +≠ echo never rehearsed/);
  });

  it('scrolls when it does not fit, saying how much is below', async () => {
    const { ui } = mount(10);
    let frame = await waitForText(ui, 'below');
    expect(frame.split('\n').length).toBeLessThanOrEqual(10);
    expect(frame).not.toContain('echo never rehearsed');
    for (let i = 0; i < 4; i++) {
      await settle();
      ui.stdin.write('\x1b[6~');
    }
    frame = await waitForText(ui, 'echo never rehearsed');
    expect(frame).toContain('above');
  });

  it('answers only to c (continue) and a (abort); Enter does nothing', async () => {
    const first = mount(40);
    await waitForText(first.ui, 'c continue anyway');
    await settle();
    first.ui.stdin.write(KEY.enter);
    await settle();
    expect(first.answers).toEqual([]);
    first.ui.stdin.write('c');
    await waitForFrame(first.ui, () => first.answers.length > 0);
    expect(first.answers).toEqual(['continue']);
    cleanup();
    const second = mount(40);
    await waitForText(second.ui, 'a abort');
    await settle();
    second.ui.stdin.write('a');
    await waitForFrame(second.ui, () => second.answers.length > 0);
    expect(second.answers).toEqual(['abort']);
  });

  it('a list that gained an entry at the top marks that entry, not every line after it', async () => {
    const entry = (id: number) => ({ value: String(id), label: `${id}  sha256:${String(id).repeat(8)}  untagged` });
    const rehearsed = JSON.stringify([entry(103), entry(102)]);
    const now = JSON.stringify([entry(104), entry(103), entry(102)]);
    const pairs = pairLines(valueLines(rehearsed), valueLines(now));
    const differing = pairs.filter((p) => p.differ);
    // Only lines added on the right: the entry for 104 (its braces may pair either way).
    expect(differing.every((p) => p.left === undefined)).toBe(true);
    expect(differing.map((p) => p.right)).toEqual(
      expect.arrayContaining(['    "value": "104",', `    "label": "104  sha256:${'104'.repeat(8)}  untagged"`]),
    );
    expect(differing.some((p) => /10[23]/.test(p.right ?? ''))).toBe(false);
    const ui = render(
      <DriftView
        request={{ ...request, drifts: [{ stepId: 'list', field: 'capture', name: 'VERSIONS', rehearsed, now }] }}
        width={80}
        height={40}
        active
        onAnswer={() => {}}
      />,
    );
    const frame = await waitForText(ui, 'VERSIONS (captured by list)');
    const marked = frame.split('\n').filter((l) => l.includes(' ≠ '));
    expect(marked.join('\n')).toContain('"104",');
    expect(marked.join('\n')).not.toContain('"103"');
  });
});
