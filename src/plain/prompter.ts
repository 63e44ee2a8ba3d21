// Line mode's answers to the engine's questions, asked with @inquirer/prompts.
import { checkbox, confirm, input, password, select } from '@inquirer/prompts';
import { RunAborted } from '../engine/context';
import { validateInput } from '../engine/inputs';
import type { Decision, Prompter } from '../core/prompter';
import type { Style } from './style';
import { driftLines } from '../view/drift-lines';
import { renderProse } from './prose';
import {
  CURRENT_MARK,
  RUNBOOK_CHANGED,
  SKIP_REASON_REQUIRED,
  askLabel,
  driftHead,
  factLine,
  failedReason,
  interruptedText,
  keepInKeychain,
} from '../view/question-text';

export interface PlainPrompterOptions {
  input?: NodeJS.ReadableStream;
  /** Where questions are drawn: stdout on a terminal, stderr under --json or when stdout is a file or pipe. */
  output?: NodeJS.WritableStream;
  /** Aborting cancels an open question. */
  signal?: AbortSignal;
  style: Style;
}

export function createPlainPrompter(options: PlainPrompterOptions): Prompter {
  const context = {
    ...(options.input ? { input: options.input } : {}),
    ...(options.output ? { output: options.output } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const say = (text: string) => (options.output ?? process.stdout).write(`${text}\n`);

  /** Ctrl-C inside a question aborts the run rather than crashing with a stack trace. */
  async function ask<T>(question: () => Promise<T>): Promise<T> {
    try {
      return await question();
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError') {
        throw new RunAborted('aborted by the operator');
      }
      throw error;
    }
  }

  const reason = (what: string) =>
    ask(() => input({ message: `Why skip ${what}? (recorded)`, validate: (v) => (v.trim() ? true : SKIP_REASON_REQUIRED) }, context)).then(
      (text) => text.trim(),
    );

  async function decide(message: string, choices: { name: string; value: Decision['action'] }[], what: string): Promise<Decision> {
    const action = await ask(() => select({ message, choices }, context));
    if (action === 'skip') return { action, reason: await reason(what) };
    return { action } as Decision;
  }

  return {
    async begin() {
      const start = await ask(() => confirm({ message: 'Start the run?', default: true }, context));
      return start ? 'start' : 'abort';
    },

    async input({ name, spec, error, options: offered, current }) {
      if (error) say(options.style.red(error));
      const message = askLabel(spec.prompt, name);
      if (spec.type === 'confirm') {
        const yes = await ask(() => confirm({ message, default: spec.default === 'true' }, context));
        return yes ? 'true' : 'false';
      }
      if (spec.choices) {
        // Keys and labels arrive distinct and in the same order (text/choices.ts); the value is shown
        // under the list for the highlighted row when its label does not hold it whole.
        const choices = spec.choices.map((c, i) => {
          const label = offered?.[i]?.label ?? c;
          return {
            name: `${label}${c === current ? CURRENT_MARK : ''}`,
            value: c,
            ...(label.includes(c) ? {} : { description: `value: ${c}` }),
          };
        });
        return ask(() => select({ message, choices, pageSize: 10, ...(spec.default ? { default: spec.default } : {}) }, context));
      }
      return ask(() =>
        input(
          {
            message,
            ...(spec.default !== undefined ? { default: spec.default } : {}),
            validate: (value) => validateInput(name, spec, value) ?? true,
          },
          context,
        ),
      );
    },

    async secret({ name, spec, canStore }) {
      const value = await ask(() =>
        password({ message: askLabel(spec.prompt, name), mask: '•', validate: (v) => (v ? true : 'A value is required.') }, context),
      );
      const store = canStore ? await ask(() => confirm({ message: keepInKeychain(spec.keychain, name), default: true }, context)) : false;
      return { value, store };
    },

    confirmStep({ step, facts }) {
      for (const fact of facts ?? []) say(`  ${factLine(fact)}`);
      return decide(
        `Run "${step.title}" now?`,
        [
          { name: 'Run it', value: 'proceed' },
          { name: 'Skip it (give a reason)', value: 'skip' },
          { name: 'Abort the run', value: 'abort' },
        ],
        `"${step.title}"`,
      );
    },

    async tasks({ step, items }) {
      for (;;) {
        const ticked = await ask(() =>
          checkbox(
            {
              message: `${step.title}: tick each item once it is done`,
              // Inline markdown reads as text (bold stays bold), never as raw ** and backticks.
              choices: items.map((item, i) => ({
                name: renderProse(item.text, options.style).join(' ') || item.text,
                value: i,
                checked: item.checked,
              })),
            },
            context,
          ),
        );
        if (ticked.length === items.length) return { action: 'proceed' };
        const next = await decide(
          `${items.length - ticked.length} item(s) not ticked.`,
          [
            { name: 'Back to the list', value: 'retry' },
            { name: 'Skip this list (give a reason)', value: 'skip' },
            { name: 'Abort the run', value: 'abort' },
          ],
          'this list',
        );
        if (next.action !== 'retry') return next;
      }
    },

    failure({ step, reason: why, exitCode, changeable }) {
      say(options.style.red(`"${step.title}" failed: ${failedReason(why, exitCode)}`));
      return decide(
        'What now?',
        [
          { name: 'Retry', value: 'retry' },
          ...(changeable?.length ? [{ name: `Change ${changeable.join(', ')}, then retry`, value: 'change' as const }] : []),
          { name: 'Skip it (give a reason)', value: 'skip' },
          { name: 'Abort the run', value: 'abort' },
        ],
        `"${step.title}"`,
      );
    },

    async resume({ nextStepTitle, finishedSteps, changed, damage, edits }) {
      if (changed) say(options.style.yellow(RUNBOOK_CHANGED));
      for (const line of edits ?? []) say(options.style.yellow(`  - ${line}`));
      if (damage) say(options.style.red(damage));
      return ask(() =>
        select(
          {
            message: `An unfinished run of this runbook exists (${finishedSteps} step(s) done${nextStepTitle ? `, next: ${nextStepTitle}` : ''}).`,
            choices: [
              { name: 'Resume it', value: 'resume' as const },
              { name: 'Start over', value: 'restart' as const },
              { name: 'Abort', value: 'abort' as const },
            ],
          },
          context,
        ),
      );
    },

    interrupted({ step, stillRunning }) {
      return decide(
        `${interruptedText(`"${step.title}"`, stillRunning)} Run it again?`,
        [
          { name: stillRunning !== undefined ? 'End it and run it again' : 'Run it again', value: 'proceed' },
          { name: 'Skip it (give a reason)', value: 'skip' },
          { name: 'Abort', value: 'abort' },
        ],
        `"${step.title}"`,
      );
    },

    async drift(request) {
      const { drifts } = request;
      // With questions off stdout (--json, a redirect) the printer's drift lines are not where the
      // operator looks: the values are shown here, with the question.
      if (options.output) for (const drift of drifts) for (const text of driftLines(drift, options.style)) say(text);
      const head = driftHead(request);
      say(options.style.yellow(head.stopped));
      say(options.style.dim(head.rehearsed));
      return ask(() =>
        select(
          {
            message: 'Continue with what is there now, or abort?',
            choices: [
              { name: 'Abort the run', value: 'abort' as const },
              { name: 'Continue anyway (recorded: drift accepted by you)', value: 'continue' as const },
            ],
          },
          context,
        ),
      );
    },

    withTerminal: (fn) => fn(),
  };
}
