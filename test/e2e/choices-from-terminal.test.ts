// choices_from in a real terminal (tmux, 80×24): line mode offers the capture's labels through
// @inquirer/prompts and the TUI through its own list; both answer with the value, which the next
// step receives.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli';
import { hasTmux } from '../helpers/tmux';
import { setupRunbook, tmuxPerTest } from '../helpers/tui-acceptance';

const tmux = tmuxPerTest();

const RUNBOOK = `---
id: pick-a-version
title: Pick a version
version: 1.0.0
---

# Pick a version

## List them

\`\`\`sh run id=list capture=VERSIONS
printf '%s' '[{"value":"sha256:${'a'.repeat(64)}","label":"2026-11-29  prod, sha-bad"},{"value":"sha256:${'b'.repeat(64)}","label":"2026-11-28  sha-good"}]'
\`\`\`

## Pick one

\`\`\`yaml input id=pick
name: GOOD
prompt: Last good version
choices_from: VERSIONS
\`\`\`

## Use it

\`\`\`sh run id=use
printf '%s' "$GOOD" > picked.txt
\`\`\`
`;

describe.skipIf(!hasTmux)('choices_from in a real terminal', () => {
  it.each([
    ['line mode', ['--plain']],
    ['the TUI', []],
  ])(
    '%s shows the labels and the picked value reaches the next step',
    async (_mode, flags) => {
      const setup = setupRunbook('handrail-choices-', 'pick.md', RUNBOOK);
      const t = tmux(`node ${BIN} run pick.md ${flags.join(' ')}`, { cwd: setup.dir, env: setup.env, columns: 80, rows: 24 });
      await t.waitFor(/Start the run\?|Enter/);
      await new Promise((r) => setTimeout(r, 300));
      t.send('Enter');
      // The list's rows are the labels: the highlighted one first, the other below it.
      const screen = await t.waitFor(/❯ 2026-11-29  prod, sha-bad\s*\n\s+2026-11-28  sha-good/, 30_000);
      expect(screen).toContain('Last good version');
      await new Promise((r) => setTimeout(r, 300));
      t.send('Down');
      await t.waitFor(/❯ 2026-11-28  sha-good/);
      t.send('Enter');
      await t.waitFor(/EXIT=0|Press any key/, 30_000);
      if (!/EXIT=0/.test(t.screen())) {
        t.send('Enter');
        await t.waitFor('EXIT=0');
      }
      expect(readFileSync(join(setup.dir, 'picked.txt'), 'utf8')).toBe(`sha256:${'b'.repeat(64)}`);
    },
    90_000,
  );
});

// Values from GitHub are untrusted: A holds ESC, B is what A looks like on screen, C holds a newline.
const hostile = (list: string) => `---
id: pick-hostile
title: Pick among look-alikes
version: 1.0.0
---

# Pick

## List them

\`\`\`sh run id=list capture=VERSIONS
printf '%s' '${list}'
\`\`\`

## Pick one

\`\`\`yaml input id=pick
name: PICKED
prompt: Pick one
choices_from: VERSIONS
\`\`\`

## Use it

\`\`\`sh run id=use
printf '%s' "$PICKED" > picked.txt
\`\`\`
`;

const A = 'v1\u001b[8m';
const B = 'v1␛[8m';
const C = 'line1\nline2';

describe.skipIf(!hasTmux)('choices_from look-alikes in a real terminal', () => {
  it.each([
    ['line mode', ['--plain'], [A, B], 0, /❯ v1␛\[8m\s*\n\s+v1␛\[8m \(2\)/],
    ['the TUI', [], [A, B], 0, /❯ v1␛\[8m\s*\n\s+v1␛\[8m \(2\)/],
    ['line mode', ['--plain'], [A, B], 1, /❯ v1␛\[8m\s*\n\s+v1␛\[8m \(2\)/],
    ['the TUI', [], [A, B], 1, /❯ v1␛\[8m\s*\n\s+v1␛\[8m \(2\)/],
    ['line mode', ['--plain'], [C], 0, /❯ line1⏎line2/],
    ['the TUI', [], [C], 0, /❯ line1⏎line2/],
  ] as const)(
    '%s, case %#: the row highlighted is the value that runs',
    async (_mode, flags, values, row, rows) => {
      const setup = setupRunbook('handrail-lookalike-', 'pick.md', hostile(JSON.stringify(values)));
      const t = tmux(`node ${BIN} run pick.md ${flags.join(' ')}`, { cwd: setup.dir, env: setup.env, columns: 80, rows: 24 });
      await t.waitFor(/Start the run\?|Enter/);
      await new Promise((r) => setTimeout(r, 300));
      t.send('Enter');
      await t.waitFor(rows, 30_000);
      await new Promise((r) => setTimeout(r, 300));
      if (row === 1) {
        t.send('Down');
        await t.waitFor(/❯ v1␛\[8m \(2\)/);
      }
      t.send('Enter');
      await t.waitFor(/EXIT=0|Press any key/, 30_000);
      if (!/EXIT=0/.test(t.screen())) {
        t.send('Enter');
        await t.waitFor('EXIT=0');
      }
      expect(readFileSync(join(setup.dir, 'picked.txt'), 'utf8')).toBe(values[row]);
    },
    90_000,
  );
});
