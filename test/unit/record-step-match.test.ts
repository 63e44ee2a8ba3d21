// An edited runbook against an unfinished run: which edits resume accepts, what it tells the operator
// about each touched step, and which it refuses because a step would be skipped or run twice.
import { describe, expect, it } from 'vitest';
import type { ResumeState } from '../../src/core/ports';
import type { StepStatus } from '../../src/core/events';
import type { Runbook } from '../../src/core/model';
import { stepDigest } from '../../src/runbook/step-digest';
import { compareEdit } from '../../src/record/step-match';
import { parse, withFront } from './runbook-helpers';

/** A runbook of shell steps: [id, title, command]. */
function runbook(steps: [string, string, string][]): Runbook {
  const body = steps.map(([id, title, cmd]) => `\`\`\`sh run id=${id} title="${title}"\n${cmd}\n\`\`\`\n`).join('\n');
  const { runbook, problems } = parse(withFront(`# Deploy\n\n${body}`));
  expect(problems).toEqual([]);
  return runbook!;
}

/** The journal's view of a run of `ran`, with `finished` steps done and `interrupted` running. */
function state(ran: Runbook, finished: Record<string, StepStatus>, interrupted?: string, digests = true): ResumeState {
  return {
    journalPath: 'journal.jsonl',
    runId: 'run-1',
    finished: new Map(Object.entries(finished)),
    ...(interrupted ? { interruptedStepId: interrupted } : {}),
    variables: {},
    runbookChanged: true,
    steps: ran.steps.map((step, index) => ({
      id: step.id,
      index,
      kind: step.kind,
      title: step.title,
      section: step.section,
      ...(digests ? { digest: stepDigest(step) } : {}),
    })),
  };
}

const BEFORE = runbook([
  ['build', 'Build', 'make'],
  ['push', 'Push', 'docker push x'],
  ['tell', 'Tell', 'echo done'],
]);

const REFUSAL_END =
  'Nothing was run. Put the runbook back as it was to resume (giving steps an explicit id= keeps later edits from shifting them), or pass --restart to start over.';

describe('comparing an edited runbook with the unfinished run', () => {
  it('has nothing to say when the runbook is as it was, even with new titles', () => {
    const found = state(BEFORE, { build: 'passed' }, 'push');
    expect(compareEdit(found, BEFORE)).toEqual({ lines: [] });
    const retitled = runbook([
      ['build', 'Build it', 'make'],
      ['push', 'Push it', 'docker push x'],
      ['tell', 'Tell', 'echo done'],
    ]);
    expect(compareEdit(found, retitled)).toEqual({ lines: [] });
  });

  it('cannot compare a journal from before content digests', () => {
    expect(compareEdit(state(BEFORE, { build: 'passed' }, undefined, false), BEFORE)).toBeUndefined();
    expect(compareEdit({ ...state(BEFORE, {}), steps: undefined }, BEFORE)).toBeUndefined();
    const found = state(BEFORE, {});
    found.steps![1] = { ...found.steps![1], digest: undefined };
    expect(compareEdit(found, BEFORE)).toBeUndefined();
  });

  it('accepts new steps and edits of steps that had not finished, saying so', () => {
    const found = state(BEFORE, { build: 'passed' }, 'push');
    const edited = runbook([
      ['build', 'Build', 'make'],
      ['push', 'Push', 'docker push y'],
      ['announce', 'Announce', 'echo soon'],
      ['tell', 'Tell', 'echo all done'],
    ]);
    expect(compareEdit(found, edited)).toEqual({
      lines: [
        '"Push" (push) changed and had not finished: it runs as edited (it was running when the run died)',
        '"Announce" (announce) is new: it never ran, and it will run',
        '"Tell" (tell) changed and had not finished: it runs as edited',
      ],
    });
  });

  it('refuses when a finished step has changed', () => {
    const found = state(BEFORE, { build: 'passed', push: 'skipped' });
    const edited = runbook([
      ['build', 'Build', 'make all'],
      ['push', 'Push', 'docker push x'],
      ['tell', 'Tell', 'echo done'],
    ]);
    const line =
      '"Build" (build) finished (passed) before the edit and has changed since; resuming would either skip the new version or run the step again';
    expect(compareEdit(found, edited)).toEqual({
      lines: [line],
      refusal: `The runbook was edited since the unfinished run began, and resume cannot tell which of its steps already ran: ${line}. ${REFUSAL_END}`,
    });
  });

  it('refuses when a finished step now has another id, and does not call it removed', () => {
    const found = state(BEFORE, { build: 'passed', push: 'passed' });
    const shifted = runbook([
      ['compile', 'Compile', 'make'],
      ['push', 'Push', 'docker push x'],
      ['tell', 'Tell', 'echo done'],
    ]);
    const line = '"Compile" (compile) is the finished step "Build" (build) under a new id; resuming would run it again';
    expect(compareEdit(found, shifted)).toEqual({
      lines: [line],
      refusal: `The runbook was edited since the unfinished run began, and resume cannot tell which of its steps already ran: ${line}. ${REFUSAL_END}`,
    });
  });

  it('joins every blocking edit into one refusal', () => {
    const found = state(BEFORE, { build: 'passed', push: 'failed' });
    const edited = runbook([
      ['compile', 'Compile', 'make'],
      ['push', 'Push', 'docker push y'],
      ['tell', 'Tell', 'echo done'],
    ]);
    const report = compareEdit(found, edited)!;
    expect(report.lines).toHaveLength(2);
    expect(report.refusal).toContain(`${report.lines[0]}; ${report.lines[1]}. Nothing was run.`);
  });

  it('takes an unfinished step under a new id as a new step', () => {
    const found = state(BEFORE, { build: 'passed' });
    const renamed = runbook([
      ['build', 'Build', 'make'],
      ['publish', 'Publish', 'docker push x'],
      ['tell', 'Tell', 'echo done'],
    ]);
    expect(compareEdit(found, renamed)).toEqual({
      lines: ['"Publish" (publish) is new: it never ran, and it will run', '"Push" (push) had not run and is no longer in the runbook'],
    });
  });

  it("tells of removed steps, finished or not, after the runbook's own, without refusing", () => {
    const found = state(BEFORE, { build: 'passed', push: 'skipped' });
    const cut = runbook([['announce', 'Announce', 'echo soon']]);
    expect(compareEdit(found, cut)).toEqual({
      lines: [
        '"Announce" (announce) is new: it never ran, and it will run',
        '"Build" (build) finished (passed) and is no longer in the runbook',
        '"Push" (push) finished (skipped) and is no longer in the runbook',
        '"Tell" (tell) had not run and is no longer in the runbook',
      ],
    });
  });
});
