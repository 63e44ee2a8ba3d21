// The TUI's side of the engine's questions: each one waits on the screen until the operator answers.
import type { Prompter } from '../core/prompter';
import type { QuestionQueue } from './questions';

/** Hands the real terminal to a function; the container installs Ink's suspendTerminal here. */
export interface TerminalLender {
  lend?: <T>(fn: () => Promise<T>) => Promise<T>;
}

export function createTuiPrompter(queue: QuestionQueue, terminal: TerminalLender): Prompter {
  return {
    begin: ({ summary }) => queue.ask({ kind: 'begin', summary }),
    input: (request) => queue.ask({ kind: 'input', request }),
    secret: (request) => queue.ask({ kind: 'secret', request }),
    confirmStep: ({ step, display, facts }) => queue.ask({ kind: 'confirmStep', step, display, ...(facts ? { facts } : {}) }),
    tasks: ({ step, items }) => queue.ask({ kind: 'tasks', step, items }),
    failure: ({ step, reason, exitCode, logPath, changeable }) =>
      queue.ask({ kind: 'failure', step, reason, exitCode, logPath, ...(changeable?.length ? { changeable } : {}) }),
    resume: (request) => queue.ask({ kind: 'resume', ...request }),
    interrupted: ({ step, stillRunning }) => queue.ask({ kind: 'interrupted', step, ...(stillRunning !== undefined ? { stillRunning } : {}) }),
    rehearse: ({ step, display, facts }) => queue.ask({ kind: 'rehearse', step, display, ...(facts ? { facts } : {}) }),
    drift: (request) => queue.ask({ kind: 'drift', request }),
    withTerminal: <T,>(fn: () => Promise<T>) => (terminal.lend ? terminal.lend(fn) : fn()),
  };
}
