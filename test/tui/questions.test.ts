// The TUI's question queue: a question waits on it until the screen answers, in order, and the
// answer's type follows the question's kind (the @ts-expect-error lines fail `npm run typecheck`
// if a wrong answer for a kind were ever accepted again).
import { describe, expect, it } from 'vitest';
import type { Step } from '../../src/core/model';
import { createTuiPrompter } from '../../src/tui/prompter';
import { OperatorAbort, QuestionQueue, type PendingAsk } from '../../src/tui/questions';

const step = { id: 'deploy', kind: 'run', title: 'Deploy' } as Step;

/** Answers whatever is first with the answer its kind allows. */
function answer(ask: PendingAsk): void {
  if (ask.kind === 'begin') ask.resolve('start');
  else if (ask.kind === 'failure') ask.resolve({ action: 'retry' });
  else if (ask.kind === 'input') ask.resolve(`${ask.request.name}=1`);
  else throw new Error(`not scripted: ${ask.kind}`);
}

/** Never called: only type-checked. A wrong answer for a kind does not compile. */
export function wrongAnswers(ask: PendingAsk): void {
  if (ask.kind === 'begin') {
    // @ts-expect-error a begin question is answered 'start' or 'abort', never a decision
    ask.resolve({ action: 'proceed' });
  }
  if (ask.kind === 'failure') {
    // @ts-expect-error a failure is answered with a decision, never a word
    ask.resolve('retry');
  }
  if (ask.kind === 'drift') {
    // @ts-expect-error drift is continued or aborted, never resumed
    ask.resolve('resume');
  }
}

describe('question queue', () => {
  it('shows one question at a time, in the order asked, and hands each its own answer', async () => {
    const queue = new QuestionQueue();
    const prompter = createTuiPrompter(queue, {});
    const begun = prompter.begin({ summary: { tools: [], inputs: [], secrets: [], scopes: [], signingKey: { missing: 'none' } } });
    const failed = prompter.failure({ step, reason: 'exit status 2', exitCode: 2 });
    expect(queue.current()?.kind).toBe('begin');
    answer(queue.current()!);
    expect(await begun).toBe('start');
    expect(queue.current()?.kind).toBe('failure');
    answer(queue.current()!);
    expect(await failed).toEqual({ action: 'retry' });
    expect(queue.current()).toBeUndefined();
  });

  it('a question answered twice keeps its first answer; an abort refuses every open question', async () => {
    const queue = new QuestionQueue();
    const prompter = createTuiPrompter(queue, {});
    const value = prompter.input({ name: 'ORG', spec: { prompt: 'Org' } });
    const open = queue.current()!;
    answer(open);
    answer(open);
    expect(await value).toBe('ORG=1');
    const pending = prompter.input({ name: 'TARGET', spec: { prompt: 'Target' } });
    queue.rejectAll(new OperatorAbort());
    await expect(pending).rejects.toBeInstanceOf(OperatorAbort);
  });
});
