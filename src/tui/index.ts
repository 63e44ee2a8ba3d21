// `handrail run` on a terminal: an Ink view over the run's events, and a Prompter whose questions
// are answered on that screen. run.ts imports this lazily, so other commands never load React.
import { render } from 'ink';
import { createElement } from 'react';
import type { EventBus } from '../core/bus';
import type { Mode } from '../core/events';
import type { Prompter } from '../core/prompter';
import type { Runbook } from '../core/model';
import { App } from './App';
import { CrashProbe, TuiErrorBoundary, crashSentence } from './ErrorBoundary';
import { createTuiPrompter, type TerminalLender } from './prompter';
import { OperatorAbort, QuestionQueue } from './questions';
import { RunStore } from './run-store';
import { copyLines, endLines } from '../view/end-lines';
import { unbrokenStdout } from './unbroken';
import { guardTerminal, restoreTerminal } from './terminal';

export interface TuiOptions {
  runbook: Runbook;
  mode: Mode;
  bus: EventBus;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** Called when the operator aborts while a step runs, besides aborting `abortSignal`. */
  onAbort?: () => void;
}

export interface TuiSession {
  prompter: Prompter;
  /** Aborted when the operator aborts the run from the screen; pass it on to the engine. */
  abortSignal: AbortSignal;
  /** Resolves when the operator leaves the end screen (or the TUI was unmounted). */
  waitForExit(): Promise<void>;
  unmount(): void;
}

export function startTui(options: TuiOptions): TuiSession {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const store = new RunStore(options.runbook, options.mode, options.bus);
  const queue = new QuestionQueue();
  const lender: TerminalLender = {};
  const controller = new AbortController();
  const unguard = guardTerminal(stdin, stdout);

  let resolveExit!: () => void;
  const exited = new Promise<void>((resolve) => (resolveExit = resolve));
  let mounted = true;
  let crash: Error | undefined;

  const onAbort = () => {
    if (!controller.signal.aborted) controller.abort('aborted by the operator');
    options.onAbort?.();
  };

  // A render crash aborts the run (open questions end, a running step is stopped); the engine still
  // writes the record, then waitForExit leaves at once instead of waiting for a key on a dead screen.
  const onCrash = (error: Error) => {
    crash = error;
    if (!controller.signal.aborted) controller.abort('the screen failed to draw');
    onAbort();
    queue.rejectAll(new OperatorAbort());
    if (store.getSnapshot().state.outcome) unmount();
  };
  const crashAt = process.env.HANDRAIL_TEST_TUI_CRASH;
  // The end screen's record path and verify command reach the terminal as whole lines.
  const inkStdout = unbrokenStdout(stdout, () => {
    const { recordPath } = store.getSnapshot().state;
    return recordPath ? Object.values(copyLines(recordPath)) : [];
  });
  const instance = render(
    createElement(
      TuiErrorBoundary,
      { onCrash },
      createElement(App, { runbook: options.runbook, store, queue, lender, onAbort, onExit: () => unmount() }),
      crashAt ? createElement(CrashProbe, { store, stepId: crashAt }) : null,
    ),
    // A terminal is a terminal even when CI=true is set: Ink would otherwise draw only the last frame.
    {
      stdin,
      stdout: inkStdout,
      exitOnCtrlC: false,
      alternateScreen: true,
      patchConsole: true,
      maxFps: 20,
      ...(stdout.isTTY ? { interactive: true } : {}),
    },
  );

  function unmount(): void {
    if (!mounted) return;
    mounted = false;
    const state = store.getSnapshot().state;
    store.dispose();
    queue.rejectAll(new OperatorAbort());
    instance.unmount();
    restoreTerminal(stdin, stdout);
    unguard();
    // The alternate screen is gone now: leave the outcome and the record in the scrollback.
    if (crash) stdout.write(`${crashSentence(crash)}\n`);
    if (state.outcome) {
      stdout.write(`${endLines(state).join('\n')}\n`);
      if (state.published) stdout.write(`${state.published.message}\n`);
    }
    resolveExit();
  }

  return {
    prompter: createTuiPrompter(queue, lender),
    abortSignal: controller.signal,
    waitForExit: () => {
      if (crash) unmount();
      return exited;
    },
    unmount,
  };
}
