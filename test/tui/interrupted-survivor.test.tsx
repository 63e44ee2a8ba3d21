// On resume, a step that was running when handrail died may have left its process group behind. The
// question that offers to run it again must say so, through the same display layer a real run uses.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { waitForFrame } from '../helpers/ink';
import { begin, mount } from './fixture';
import { displayPrompter } from '../../src/core/for-display';

afterEach(() => cleanup());

describe('the interrupted step on resume', () => {
  it('names the process group that outlived handrail, so the operator knows running it again ends it', async () => {
    const h = mount({ columns: 80, rows: 24 });
    await begin(h);
    const step = h.runbook.steps[0]!;
    void displayPrompter(h.prompter).interrupted({ step, stillRunning: 4242 });
    // The sentence wraps at 80 columns: read it as one line.
    const frame = await waitForFrame(
      h.ui,
      (f) => f.replace(/\s+/g, ' ').includes('It is still running (process group 4242): running it again ends it first.'),
      {
        what: 'the surviving process group named',
      },
    );
    expect(frame).toContain('Enter run it again');
  });
});
