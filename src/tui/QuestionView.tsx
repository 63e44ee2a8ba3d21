// The open question drawn as its prompt, and the rows it takes on screen. Each case is narrowed by
// the question's kind, so the answer handed to `resolve` is checked against what the engine awaits.
import type { ReactNode } from 'react';
import type { Fact } from '../core/prompter';
import { rowsOf } from '../core/wrap';
import { askLabel, factLine, failedReason, interruptedText, resumeText } from '../view/question-text';
import type { Fill } from '../view/fill';
import type { PendingAsk } from './questions';
import { BeginPrompt } from './prompts/BeginPrompt';
import { DecisionPrompt, decisionRows } from './prompts/DecisionPrompt';
import { InputPrompt, inputRows } from './prompts/InputPrompt';
import { RehearsePrompt, rehearseRows } from './prompts/RehearsePrompt';
import { ResumePrompt } from './prompts/ResumePrompt';
import { SecretPrompt } from './prompts/SecretPrompt';
import { TaskList, taskListRows } from './prompts/TaskList';

/** What every prompt needs from the screen around it. */
export interface QuestionContext {
  width: number;
  fill: Fill;
  /** The prompt owns the keys (no overlay open, not aborting). */
  active: boolean;
  /** A prompt opened a text field of its own (a skip reason). */
  onTyping(typing: boolean): void;
  /** Esc in an input field: ask whether to abort the run. */
  onAbort(): void;
  /** The operator pressed Enter on the preflight screen. */
  onBegin(): void;
}

type StepDecision = Extract<PendingAsk, { kind: 'confirmStep' | 'failure' | 'interrupted' }>;

/** The prompt for the open question; `rows`, when given, is the height the layout gave it. */
export function questionView(ask: PendingAsk, ctx: QuestionContext, rows?: number): ReactNode {
  const { width, fill, active } = ctx;
  switch (ask.kind) {
    case 'begin':
      return (
        <BeginPrompt
          active={active}
          onStart={() => {
            ctx.onBegin();
            ask.resolve('start');
          }}
        />
      );
    case 'input':
      return (
        <InputPrompt
          key={ask.id}
          request={ask.request}
          width={width}
          fill={fill}
          active={active}
          onAnswer={ask.resolve}
          onAbort={ctx.onAbort}
        />
      );
    case 'secret': {
      const { request } = ask;
      return (
        <SecretPrompt
          key={ask.id}
          request={{ ...request, spec: { ...request.spec, prompt: fill(request.spec.prompt) } }}
          width={width}
          active={active}
          onAnswer={ask.resolve}
          onAbort={ctx.onAbort}
        />
      );
    }
    case 'resume': {
      const { request } = ask;
      return (
        <ResumePrompt
          {...request}
          {...(request.nextStepTitle ? { nextStepTitle: fill(request.nextStepTitle) } : {})}
          width={width}
          active={active}
          onAnswer={ask.resolve}
        />
      );
    }
    case 'rehearse':
      return (
        <RehearsePrompt
          key={ask.id}
          active={active}
          facts={factLines(ask.request.facts)}
          width={width}
          onNext={() => ask.resolve('next')}
        />
      );
    case 'tasks':
      return (
        <TaskList
          key={ask.id}
          items={ask.request.items}
          width={width}
          {...(rows !== undefined ? { height: rows } : {})}
          active={active}
          onTyping={ctx.onTyping}
          onDecision={ask.resolve}
        />
      );
    case 'confirmStep':
    case 'failure':
    case 'interrupted':
      return (
        <DecisionPrompt
          key={ask.id}
          kind={ask.kind === 'confirmStep' ? 'confirm' : ask.kind}
          message={decisionMessage(ask)}
          facts={decisionFacts(ask)}
          {...(ask.kind === 'failure' && ask.request.changeable ? { changeable: ask.request.changeable } : {})}
          width={width}
          active={active}
          onTyping={ctx.onTyping}
          onDecision={ask.resolve}
        />
      );
    case 'drift':
      // Drift takes the whole body (DriftView), never a prompt under a step.
      return null;
    default: {
      // A question added to core's Questions without a view here fails to compile.
      const unanswered: never = ask;
      return unanswered;
    }
  }
}

/** Rows the open question takes under the step, as its component draws it. */
export function promptRows(ask: PendingAsk, width: number, fill: Fill, typing = false): number {
  switch (ask.kind) {
    case 'tasks':
      return taskListRows(ask.request.items, width, typing);
    case 'input':
      return inputRows(ask.request, width, fill);
    case 'secret':
      return rowsOf(askLabel(fill(ask.request.spec.prompt), ask.request.name), width) + 3;
    case 'resume':
      return (
        rowsOf(resumeText(ask.request.finishedSteps, ask.request.nextStepTitle ? fill(ask.request.nextStepTitle) : undefined), width) + 2
      );
    case 'rehearse':
      return rehearseRows(factLines(ask.request.facts), width);
    case 'drift':
      return 0;
    case 'begin':
      return 1;
    default:
      return decisionRows(decisionMessage(ask), width, decisionFacts(ask), typing);
  }
}

function decisionMessage(ask: StepDecision): string {
  if (ask.kind === 'failure') return `Failed: ${failedReason(ask.request.reason, ask.request.exitCode)}`;
  if (ask.kind === 'interrupted') return interruptedText('This step', ask.request.stillRunning);
  return ask.request.step.kind === 'github' ? 'This request changes things: send it?' : 'This step is marked confirm: run it?';
}

/** At a confirm, what the checks before it established, one labelled line each. */
function decisionFacts(ask: StepDecision): string[] {
  return ask.kind === 'confirmStep' ? factLines(ask.request.facts) : [];
}

function factLines(facts: Fact[] | undefined): string[] {
  return (facts ?? []).map(factLine);
}
