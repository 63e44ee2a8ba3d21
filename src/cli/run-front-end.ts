// Which front end a run shows and who answers its questions: the TUI on a terminal, line mode
// (`--plain`, or no terminal), JSON lines (`--json`), and under --yes nobody (the auto prompter).
// The views see only terminal-safe text; the engine, the journal, the record and --json keep the real values.
import type { EventBus } from '../core/bus';
import type { Mode } from '../core/events';
import type { Runbook } from '../core/model';
import type { Prompter } from '../core/prompter';
import { displayBus, displayPrompter, displayRunbook } from '../core/for-display';
import { createAutoPrompter } from '../engine/auto-prompter';
import { writeJsonLines } from '../plain/json-lines';
import { attachPrinter } from '../plain/printer';
import { createStyle } from '../plain/style';
import { launchTui } from '../tui/launch';

export interface FrontEndFlags {
  yes?: boolean;
  json?: boolean;
  plain?: boolean;
}

export interface FrontEnd {
  prompter: Prompter;
  /** The full-screen view, when one was opened. */
  tui?: { waitForExit(): Promise<void>; unmount(): void };
  /** Line mode's printer starts once the resume is decided, before the run's first event. */
  attachLines(): void;
}

export async function openFrontEnd(options: {
  runbook: Runbook;
  bus: EventBus;
  mode: Mode;
  flags: FrontEndFlags;
  controller: AbortController;
}): Promise<FrontEnd> {
  const { flags, controller } = options;
  const yes = flags.yes === true;
  const style = createStyle({ isTTY: process.stdout.isTTY === true });
  const useTui = !yes && !flags.json && !flags.plain && process.stdin.isTTY && process.stdout.isTTY;
  const shown = { runbook: displayRunbook(options.runbook), bus: displayBus(options.bus) };
  if (useTui) {
    const session = await launchTui({ runbook: shown.runbook, mode: options.mode, bus: shown.bus });
    session.abortSignal.addEventListener('abort', () => controller.abort(session.abortSignal.reason), { once: true });
    return { prompter: displayPrompter(session.prompter), tui: session, attachLines: () => {} };
  }
  if (flags.json) writeJsonLines(options.bus, process.stdout);
  // @inquirer/prompts is loaded only when someone will be asked something: --yes never asks.
  const prompter = yes
    ? createAutoPrompter()
    : displayPrompter(
        (await import('../plain/prompter')).createPlainPrompter({
          style,
          signal: controller.signal,
          // Questions belong on the terminal: with stdout in a file or a pipe they would vanish into it.
          ...(flags.json || !process.stdout.isTTY ? { output: process.stderr } : {}),
        }),
      );
  return {
    prompter,
    attachLines() {
      if (flags.json) return;
      attachPrinter(shown.bus, { runbook: shown.runbook, out: process.stdout, err: process.stderr, style });
    },
  };
}
