// Acceptance findings on the TUI's keys, driven through ink-testing-library with the real App.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { ConfirmStep } from '../../src/runbook/model';
import { KEY, settle, waitForText } from '../helpers/ink';
import { begin, mount } from './fixture';

afterEach(() => cleanup());

describe('keys that arrive together', () => {
  it('ticks one task item per space when two spaces come in one read (fast typing, paste)', async () => {
    const h = mount();
    await begin(h);
    const step = h.runbook.steps[2] as ConfirmStep;
    h.stepStarted(step.id, '');
    const decision = h.prompter.tasks({ step, items: step.items.map((i) => ({ text: i.text, checked: i.checked })) });
    await waitForText(h.ui, '2 left');
    await settle();
    h.ui.stdin.write('  ');
    await waitForText(h.ui, 'All ticked: Enter confirms');
    h.ui.stdin.write(KEY.enter);
    await expect(decision).resolves.toEqual({ action: 'proceed' });
  });
});
