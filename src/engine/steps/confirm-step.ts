// Task lists: every unchecked item must be ticked by the operator (or is auto-confirmed under --yes).
import type { ConfirmStep } from '../../core/model';
import { renderTemplate } from '../../runbook/template';
import { RunStop, type EngineContext } from '../context';

export async function runConfirmStep(ctx: EngineContext, step: ConfirmStep, index: number): Promise<void> {
  const items = step.items.map((item) => ({
    text: ctx.masker.mask(renderTemplate(item.text, ctx.variables, ctx.secretNames)),
    checked: item.checked,
  }));
  // One line per item: a value's line break inside an item is shown as ⏎, never as a line of its own.
  ctx.started(step, index, 1, items.map((item) => `- [${item.checked ? 'x' : ' '}] ${item.text.replace(/\r\n|\r|\n/g, '⏎')}`).join('\n'));
  const decision = await ctx.ask(() => ctx.options.prompter.tasks({ step, items }));
  // Which items were ticked goes into the record: all of them when the list is confirmed.
  const ticked =
    decision.action === 'proceed'
      ? items.map(() => true)
      : decision.action === 'skip' && decision.ticked
        ? decision.ticked
        : items.map((item) => item.checked);
  ctx.decision(
    step.id,
    decision,
    items.map((item, i) => ({ text: item.text, ticked: ticked[i] ?? item.checked })),
  );
  if (decision.action === 'skip') {
    ctx.finished(step, index, 'skipped', { reason: decision.reason });
    return;
  }
  if (decision.action === 'abort') {
    ctx.finished(step, index, 'not-run', { reason: 'aborted' });
    throw new RunStop('aborted', `aborted at step ${step.id}`);
  }
  ctx.finished(step, index, ctx.auto ? 'auto-confirmed' : 'confirmed');
}
