// What the step view cuts can be read whole: prose beyond its box opens with p (named in the footer
// and the cut marker), and task items show their inline markdown, not raw `**`.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { ConfirmStep } from '../../src/core/model';
import { KEY, frameText, settle, typeAndWait, waitForText } from '../helpers/ink';
import { begin, fixtureRunbook, mount } from './fixture';

afterEach(() => cleanup());

const LINES = Array.from({ length: 40 }, (_, i) => `Line ${i + 1} of the workflow the admin must add.`).join('\n');
const SOURCE = `---
id: long-prose
title: Long prose
version: 1.0.0
---

# Wire the release workflow

Add this workflow:

\`\`\`yaml
${LINES}
THE-LAST-LINE
\`\`\`

- [ ] tick **Private** (always)
- [ ] run \`make release\`
`;

describe('prose and task items at 80×24', () => {
  it('prose beyond the box is read in full with p, and p or Esc closes it', async () => {
    const h = mount({ runbook: fixtureRunbook(SOURCE), columns: 80, rows: 24 });
    await begin(h);
    const step = h.runbook.steps[0] as ConfirmStep;
    h.stepStarted(step.id, '');
    void h.prompter.tasks({ step, items: step.items.map((i) => ({ text: i.text, checked: i.checked })) });
    const frame = await waitForText(h.ui, 'more lines of prose · p reads it all');
    expect(frame).not.toContain('THE-LAST-LINE');
    expect(frame).toContain('? help · p prose · l output · q abort');
    await settle();
    const top = await typeAndWait(h.ui, 'p', 'lines 1-');
    expect(top).toContain('Line 1 of the workflow');
    const end = await typeAndWait(h.ui, 'G', 'THE-LAST-LINE');
    expect(end).toContain('Esc or p closes');
    await typeAndWait(h.ui, KEY.escape, 'Space tick');
    expect(frameText(h.ui)).not.toContain('THE-LAST-LINE');
  });

  it('task items render bold and code instead of raw markdown', async () => {
    const h = mount({ runbook: fixtureRunbook(SOURCE), columns: 80, rows: 24 });
    await begin(h);
    const step = h.runbook.steps[0] as ConfirmStep;
    h.stepStarted(step.id, '');
    void h.prompter.tasks({ step, items: step.items.map((i) => ({ text: i.text, checked: i.checked })) });
    const frame = await waitForText(h.ui, 'tick Private (always)');
    expect(frame).not.toContain('**');
    expect(frame).toContain('[ ] run make release');
  });
});
