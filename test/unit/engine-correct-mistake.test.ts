// Correcting a mistake mid-run: after a step fails, the operator changes the inputs it uses and it is
// retried with them; the record keeps the old and the new value and who changed them. A task list's
// record says which items were ticked.
import { describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { check, eventsOf, execute, run, runbook, scriptedPrompter, statuses } from '../fixtures/engine/builders';
import { buildStatement } from '../../src/record/build';
import type { ConfirmStep } from '../../src/core/model';

const pin = { entries: 1, lastEntrySha256: '0'.repeat(64) };

describe('change the inputs of a failed step, then retry', () => {
  it('asks only for the inputs the step uses, retries with the new value, and records the change', async () => {
    const rb = runbook(
      [
        check('[ -f "$REPO_DIR/Dockerfile" ] || { echo "no Dockerfile in $REPO_DIR — set REPO_DIR to your checkout"; exit 1; }', {
          id: 'dockerfile',
        }),
      ],
      { inputs: { REPO_DIR: { prompt: 'Your checkout', default: '..' }, ORG: { prompt: 'Org', default: 'acme' } } },
    );
    const checkout = join(rb.dir, 'checkout');
    mkdirSync(checkout);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(checkout, 'Dockerfile'), 'FROM scratch\n');
    const prompter = scriptedPrompter({ failure: [{ action: 'change' }], input: [checkout] });
    const r = await execute({ runbook: rb, prompter, sets: { REPO_DIR: '..', ORG: 'acme' } });
    expect(statuses(r.events)).toEqual({ dockerfile: 'passed' });
    const failure = prompter.asked.find((a) => a.kind === 'failure')!.request as { changeable?: string[] };
    expect(failure.changeable).toEqual(['REPO_DIR']);
    const asked = prompter.asked.find((a) => a.kind === 'input')!.request as { name: string; spec: { default?: string }; stepId?: string };
    expect(asked).toMatchObject({ name: 'REPO_DIR', spec: { default: '..' }, stepId: 'dockerfile' });
    const changed = eventsOf(r.events, 'input-given').find((e) => e.source === 'changed');
    expect(changed).toMatchObject({ name: 'REPO_DIR', value: checkout, previous: '..', by: 'tester', stepId: 'dockerfile' });
    expect(eventsOf(r.events, 'step-started').map((e) => e.attempt)).toEqual([1, 2]);
    const predicate = buildStatement(r.events, pin)!.predicate;
    expect(predicate.inputs.REPO_DIR).toBe(checkout);
    expect(predicate.inputChanges).toEqual([
      { name: 'REPO_DIR', from: '..', to: checkout, by: 'tester', at: changed!.at, stepId: 'dockerfile' },
    ]);
  });

  it('offers no change when the step uses no input', async () => {
    const rb = runbook([run('exit 1', { id: 'plain' })], { inputs: { ORG: { prompt: 'Org', default: 'acme' } } });
    const prompter = scriptedPrompter({ failure: [{ action: 'abort' }] });
    await execute({ runbook: rb, prompter, sets: { ORG: 'acme' } });
    expect((prompter.asked.find((a) => a.kind === 'failure')!.request as { changeable?: string[] }).changeable).toBeUndefined();
  });
});

describe('task lists in the record', () => {
  const list: ConfirmStep = {
    kind: 'confirm',
    id: 'hold',
    title: 'Hold the line',
    section: '',
    prose: '',
    pos: { line: 1, column: 1 },
    items: [
      { text: 'Builds paused', checked: false, pos: { line: 1, column: 1 } },
      { text: 'Channel told', checked: true, pos: { line: 2, column: 1 } },
      { text: 'Consumer pulled', checked: false, pos: { line: 3, column: 1 } },
    ],
  };

  it('a confirmed list records every item ticked; a skipped one, the items ticked before the skip', async () => {
    const done = await execute({ runbook: runbook([list]), prompter: scriptedPrompter({ tasks: [{ action: 'proceed' }] }) });
    expect(buildStatement(done.events, pin)!.predicate.steps[0].items).toEqual([
      { text: 'Builds paused', ticked: true },
      { text: 'Channel told', ticked: true },
      { text: 'Consumer pulled', ticked: true },
    ]);
    const part = await execute({
      runbook: runbook([list]),
      prompter: scriptedPrompter({ tasks: [{ action: 'skip', reason: 'no consumer yet', ticked: [true, true, false] }] }),
    });
    const step = buildStatement(part.events, pin)!.predicate.steps[0];
    expect(step.status).toBe('skipped');
    expect(step.items).toEqual([
      { text: 'Builds paused', ticked: true },
      { text: 'Channel told', ticked: true },
      { text: 'Consumer pulled', ticked: false },
    ]);
  });
});
