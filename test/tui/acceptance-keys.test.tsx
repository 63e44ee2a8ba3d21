// Acceptance findings on the TUI's keys, driven through ink-testing-library with the real App.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { ConfirmStep } from '../../src/core/model';
import { KEY, frameText, settle, typeAndWait, waitForText } from '../helpers/ink';
import { begin, mount } from './fixture';

afterEach(() => cleanup());

describe('keys that arrive together', () => {
  it('Space toggles the highlighted item and stays on it; two spaces in one read are two presses', async () => {
    const h = mount();
    await begin(h);
    const step = h.runbook.steps[2] as ConfirmStep;
    h.stepStarted(step.id, '');
    const decision = h.prompter.tasks({ step, items: step.items.map((i) => ({ text: i.text, checked: i.checked })) });
    await waitForText(h.ui, '2 left');
    await settle();
    // Ticked, then unticked: the same item, since Space does not move.
    h.ui.stdin.write('  ');
    await settle();
    await typeAndWait(h.ui, KEY.space, '1 left');
    expect(frameText(h.ui)).toMatch(/❯ \[x\] Paused the deploy pipeline/);
    await typeAndWait(h.ui, KEY.space, '2 left');
    // Space, ↓, Space ticks two neighbours, and the next Space unticks the second, not a third.
    await typeAndWait(h.ui, KEY.space, '1 left');
    await typeAndWait(h.ui, KEY.down, '❯ [ ] Told the on-call lead');
    await typeAndWait(h.ui, KEY.space, 'All ticked: Enter confirms');
    await typeAndWait(h.ui, KEY.space, '1 left');
    expect(frameText(h.ui)).toMatch(/\[x\] Paused the deploy pipeline/);
    await typeAndWait(h.ui, KEY.space, 'All ticked: Enter confirms');
    h.ui.stdin.write(KEY.enter);
    await expect(decision).resolves.toEqual({ action: 'proceed' });
  });
});
