// Acceptance review of SPEC §3 on the drawn screen (ink-testing-library): what an operator reads.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEY, frameText, settle, waitForFrame, waitForText } from '../helpers/ink';
import { mount, type Harness } from './fixture';

afterEach(() => cleanup());

async function begin(h: Harness): Promise<void> {
  h.start();
  const begun = h.prompter.begin({
    summary: { tools: [], inputs: [], secrets: [], scopes: [], signingKey: { missing: 'no key yet' } },
  });
  await waitForText(h.ui, 'Press Enter to start');
  await settle();
  h.ui.stdin.write(KEY.enter);
  await begun;
}

describe('SPEC §3 on screen', () => {
  it('a failed attempt waiting for r / s / q reads as failed, not as still running', async () => {
    const h = mount();
    await begin(h);
    const step = h.runbook.steps[0];
    // The engine asks about a failed attempt before it reports the step finished (retry may follow).
    h.stepStarted('registry', 'curl -fsS https://ghcr.io/v2/');
    await waitForText(h.ui, 'running');
    void h.prompter.failure({ step, reason: 'exit status 7', exitCode: 7 });
    const frame = await waitForText(h.ui, 'r retry · s skip · q abort');
    expect(frame).not.toMatch(/running/);
    expect(frame).toMatch(/✗ +1\. Check the registry +failed/);
    expect(frame).toContain('Failed: exit status 7');
    // "exit status 7 (exit 7)" says the same thing twice.
    expect(frame).not.toContain('(exit 7)\nr retry');
    expect(frame.match(/exit 7|exit status 7/g)?.length).toBe(2);
  });
});
