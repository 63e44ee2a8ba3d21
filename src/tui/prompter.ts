// The TUI's side of the engine's questions: each one waits on the screen until the operator answers.
import type { Prompter } from '../core/prompter';
import type { QuestionQueue } from './questions';

/** Hands the real terminal to a function; the container installs Ink's suspendTerminal here. */
export interface TerminalLender {
  lend?: <T>(fn: () => Promise<T>) => Promise<T>;
}

export function createTuiPrompter(queue: QuestionQueue, terminal: TerminalLender): Prompter {
  // Each question goes on the queue as asked; the screen answers it with the type its kind names.
  return {
    begin: (request) => queue.ask((resolve) => ({ kind: 'begin', request, resolve })),
    input: (request) => queue.ask((resolve) => ({ kind: 'input', request, resolve })),
    secret: (request) => queue.ask((resolve) => ({ kind: 'secret', request, resolve })),
    confirmStep: (request) => queue.ask((resolve) => ({ kind: 'confirmStep', request, resolve })),
    tasks: (request) => queue.ask((resolve) => ({ kind: 'tasks', request, resolve })),
    failure: (request) => queue.ask((resolve) => ({ kind: 'failure', request, resolve })),
    resume: (request) => queue.ask((resolve) => ({ kind: 'resume', request, resolve })),
    interrupted: (request) => queue.ask((resolve) => ({ kind: 'interrupted', request, resolve })),
    rehearse: (request) => queue.ask((resolve) => ({ kind: 'rehearse', request, resolve })),
    drift: (request) => queue.ask((resolve) => ({ kind: 'drift', request, resolve })),
    withTerminal: <T>(fn: () => Promise<T>) => (terminal.lend ? terminal.lend(fn) : fn()),
  };
}
