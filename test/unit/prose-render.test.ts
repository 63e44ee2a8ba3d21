// A step's prose as the operator reads it: the TUI and line mode render from the same markdown parser
// as the runbook, so a task list, a table or a link reads the same on both screens.
import { describe, expect, it } from 'vitest';
import { renderProse } from '../../src/plain/prose';
import { createStyle } from '../../src/plain/style';
import { renderMarkdown } from '../../src/tui/markdown';

const PROSE =
  '## Check\n\n- [x] read [the docs](https://x.test)\n- [ ] ask *ops*\n\n| env | url |\n|---|---|\n| prod | `p` |\n\n> careful\n';
const plain = createStyle({ isTTY: false, env: {} });

describe('prose rendering', () => {
  it('line mode: task boxes, links with their address, a table as rows, a quote', () => {
    expect(renderProse(PROSE, plain)).toEqual([
      'Check',
      '',
      '  ☑ read the docs (https://x.test)',
      '  ☐ ask ops',
      '',
      'env | url',
      'prod | p',
      '',
      '  │ careful',
    ]);
  });

  it('TUI: the same prose, styled and fitted to the width', () => {
    const lines = renderMarkdown(PROSE, 40).map((line) => line.map((s) => s.text).join(''));
    expect(lines).toEqual([
      'Check',
      '[x] read the docs <https://x.test>',
      '[ ] ask ops',
      '',
      'env  │ url',
      '─────┼────',
      'prod │ p',
      '',
      '│ careful',
    ]);
    const ops = renderMarkdown(PROSE, 40)[2].find((s) => s.text === 'ops');
    expect(ops?.italic).toBe(true);
  });
});
