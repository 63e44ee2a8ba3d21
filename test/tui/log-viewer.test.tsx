// The output reader (`l`) of a step without a log file: a step that printed nothing has none (the log
// is made at the first byte), and the reader says so instead of promising a file that will never come.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { LogViewer } from '../../src/tui/LogViewer';
import { waitForText } from '../helpers/ink';

afterEach(() => cleanup());

const viewer = (fallback: string[]) =>
  render(<LogViewer title="Quiet" fallback={fallback} width={80} height={12} active onClose={() => undefined} />);

describe('the output reader without a log file', () => {
  it('for a step that printed nothing, shows no output and says there is no log file', async () => {
    const frame = await waitForText(viewer(['']), 'nothing printed, so no log file');
    expect(frame).toContain('Output of Quiet — lines 0-0 of 0');
    expect(frame).toContain('(no output)');
    expect(frame).not.toContain('the log file is named when the step ends');
  });

  it('for output still in memory, shows those lines and says the log file is named at the end', async () => {
    const frame = await waitForText(viewer(['one', 'two']), 'the lines kept in memory');
    expect(frame).toContain('lines 1-2 of 2');
    expect(frame).toContain('two');
  });
});
