// At 80×24: a check fails for a wrong input, c changes it (the footer and the failure line name the
// key and the input), the retry passes and the run completes; the record keeps the old and the new
// value, who changed them, and which task items were ticked.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli';
import { hasTmux } from '../helpers/tmux';
import { predicate, records, setupRunbook, tmuxPerTest } from '../helpers/tui-acceptance';

const tmux = tmuxPerTest();

const RUNBOOK = `---
id: correct-me
title: Correct a mistake
version: 1.0.0
inputs:
  REPO_DIR:
    prompt: Your checkout of the repository
    default: ..
---

# Build

\`\`\`sh check id=dockerfile
[ -f "$REPO_DIR/Dockerfile" ] || { echo "no Dockerfile in $REPO_DIR — set REPO_DIR to your checkout"; exit 1; }
\`\`\`

## Tell people

- [ ] Posted in **#incidents**
- [ ] Told the \`on-call\` lead
`;

describe.skipIf(!hasTmux)('correcting an input after a failed check', () => {
  it('c changes the input the check uses, the retry passes, the record says who changed what', async () => {
    const setup = setupRunbook('handrail-correct-', 'correct.md', RUNBOOK);
    mkdirSync(join(setup.dir, 'checkout'));
    writeFileSync(join(setup.dir, 'checkout', 'Dockerfile'), 'FROM scratch\n');
    const t = tmux(`node ${BIN} run correct.md`, { cwd: setup.dir, env: setup.env, columns: 80, rows: 24 });
    await t.waitFor('Your checkout of the repository');
    await new Promise((r) => setTimeout(r, 300));
    t.send('Enter');
    await t.waitFor('Press Enter to start');
    t.send('Enter');
    // The failure line names the key and the input; the check's own words say what is wrong.
    await t.waitFor('r retry · c change REPO_DIR · s skip · q abort', 30_000);
    await t.waitFor(/^no Dockerfile in \.\. — set REPO_DIR to your checkout$/m);
    t.send('c');
    await t.waitFor(/Your checkout of the repository \(REPO_DIR\)/);
    await new Promise((r) => setTimeout(r, 300));
    t.type('checkout');
    t.send('Enter');
    const tasks = await t.waitFor('Space tick', 30_000);
    expect(tasks).toMatch(/✓ .*dockerfile|passed/);
    // Inline markdown, not raw ** and backticks.
    expect(tasks).toContain('[ ] Posted in #incidents');
    expect(tasks).toContain('[ ] Told the on-call lead');
    t.send('Space');
    t.send('Down');
    t.send('Space');
    await t.waitFor('All ticked');
    t.send('Enter');
    // The end shows the values the run was given, on screen and in the scrollback it leaves.
    const end = await t.waitFor('Press any key to exit', 30_000);
    expect(end).toContain('Inputs: REPO_DIR=checkout');
    t.send('Enter');
    const after = await t.waitFor('EXIT=0');
    expect(after).toMatch(/Inputs:\n  REPO_DIR = checkout/);
    const [record] = records(setup.state);
    const p = predicate(record) as {
      inputs: Record<string, string>;
      inputChanges: { name: string; from: string; to: string; by: string; stepId: string }[];
      steps: { id: string; status: string; items?: { text: string; ticked: boolean }[] }[];
    };
    expect(p.inputs.REPO_DIR).toBe('checkout');
    expect(p.inputChanges).toMatchObject([{ name: 'REPO_DIR', from: '..', to: 'checkout', stepId: 'dockerfile' }]);
    expect(p.inputChanges[0].by).toBeTruthy();
    expect(p.steps.find((s) => s.id === 'dockerfile')?.status).toBe('passed');
    expect(p.steps.find((s) => s.items)?.items).toEqual([
      { text: 'Posted in **#incidents**', ticked: true },
      { text: 'Told the `on-call` lead', ticked: true },
    ]);
  }, 90_000);

  it('line mode offers the change in its menu, and its task list reads markdown as text', async () => {
    const setup = setupRunbook('handrail-correct-plain-', 'correct.md', RUNBOOK);
    mkdirSync(join(setup.dir, 'checkout'));
    writeFileSync(join(setup.dir, 'checkout', 'Dockerfile'), 'FROM scratch\n');
    const t = tmux(`node ${BIN} run correct.md --plain --set REPO_DIR=..`, { cwd: setup.dir, env: setup.env, columns: 80, rows: 24 });
    await t.waitFor('Start the run?');
    t.send('Enter');
    await t.waitFor('Change REPO_DIR, then retry', 30_000);
    t.send('Down');
    await t.waitFor(/❯ Change REPO_DIR, then retry/);
    t.send('Enter');
    await t.waitFor('(REPO_DIR)');
    t.send('C-u');
    t.type('checkout');
    t.send('Enter');
    const changed = await t.waitFor('tick each item once it is done', 30_000);
    expect(changed).toContain('→ REPO_DIR = checkout (was .., changed by ');
    expect(changed).toMatch(/◯ Posted in #incidents\s*\n\s*◯ Told the on-call lead/);
    t.send('a');
    t.send('Enter');
    const end = await t.waitFor('EXIT=0', 30_000);
    expect(end).toMatch(/Inputs\n  REPO_DIR = checkout/);
  }, 90_000);
});
