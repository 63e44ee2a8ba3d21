// A rehearsal's stand-in for a step it does not execute (a run step, a non-GET request): the step is
// shown fully resolved, its log holds the same text, and a front end that walks the rehearsal (the
// TUI) is asked to move on, so the operator can read what would run. --yes never stops here.
import type { GithubStep, ShellStep } from '../../core/model';
import { RunStop, type EngineContext } from '../context';
import { OutputCollector } from '../output';

export async function rehearseStep(ctx: EngineContext, step: ShellStep | GithubStep, index: number, display: string): Promise<void> {
  ctx.started(step, index, 1, display, true);
  const shown = ctx.masker.mask(display);
  // The shown text is the log, not output: nothing ran, so nothing streams to the screen.
  const collector = new OutputCollector({ masker: ctx.masker, logPath: ctx.logPath(step.id, 1) });
  collector.push('stdout', `Rehearsal: not executed. It would ${step.kind === 'github' ? 'send' : 'run'}:\n${shown.replace(/\n?$/, '\n')}`);
  const output = collector.finish();
  const walk = ctx.options.prompter.rehearse;
  // A step that would ask before it runs shows, as its live confirm will, what the checks established.
  const facts = step.confirm ? ctx.facts.map((fact) => ({ label: fact.label, value: ctx.masker.mask(fact.value) })) : [];
  // What the next change depends on starts afresh after this one, as in a live run.
  ctx.facts.length = 0;
  if (!ctx.auto && walk) {
    const answer = await ctx.ask(() => walk.call(ctx.options.prompter, { step, display: shown, ...(facts.length ? { facts } : {}) }));
    // Shown is rehearsed, even when the operator stops the rehearsal right there.
    ctx.finished(step, index, 'rehearsed', { output });
    if (answer === 'abort') {
      ctx.decision(step.id, { action: 'abort' });
      throw new RunStop('aborted', `aborted at step ${step.id}`);
    }
    return;
  }
  ctx.finished(step, index, 'rehearsed', { output });
}
