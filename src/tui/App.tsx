// The container: the one place TUI state lives. It reads the run from the RunStore, the engine's
// open question from the QuestionQueue, and owns the screen's keys; AppLayout draws what it decides.
import { useInput, useWindowSize } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { PreflightSummary } from '../core/prompter';
import type { Runbook } from '../core/model';
import { AppLayout, type Overlay } from './AppLayout';
import { makeFill } from '../view/fill';
import { focusOf } from './focus';
import { CHROME_ROWS, runScreenLayout } from './layout';
import { renderMarkdown } from './markdown';
import type { TerminalLender } from './prompter';
import { PROSE_KEY } from './Prose';
import { promptRows, type QuestionContext } from './QuestionView';
import { OperatorAbort, type PendingAsk, type QuestionQueue } from './questions';
import type { RunStore } from './run-store';
import { commandRows, hasStatus, outputRows, stepHeading } from './StepView';
import { useTerminalLender } from './use-terminal-lender';

export interface AppProps {
  runbook: Runbook;
  store: RunStore;
  queue: QuestionQueue;
  lender: TerminalLender;
  /** Stops the engine while a step runs (no question is open to answer with abort). */
  onAbort(): void;
  /** The operator left the end screen. */
  onExit(): void;
  /** Fixed size for tests; the terminal's otherwise. */
  size?: { columns: number; rows: number };
}

/** Answers the open question with abort; an input or secret cannot say abort, so the run is refused. */
function abortAnswer(ask: PendingAsk, queue: QuestionQueue): void {
  switch (ask.kind) {
    case 'begin':
    case 'resume':
    case 'rehearse':
    case 'drift':
      ask.resolve('abort');
      return;
    case 'input':
    case 'secret':
      queue.rejectAll(new OperatorAbort());
      return;
    default:
      ask.resolve({ action: 'abort' });
  }
}

/** An input typed as text (not a yes/no or a list) or a secret: letters go into the field. */
function asksText(ask: PendingAsk | undefined): boolean {
  if (ask?.kind === 'secret') return true;
  return ask?.kind === 'input' && ask.request.spec.type !== 'confirm' && !ask.request.spec.choices?.length;
}

export function App({ runbook, store, queue, lender, onAbort, onExit, size }: AppProps) {
  const { state: stored, outputVersion } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  // Titles and headings may show variables ("Re-tag {{IMAGE}}"); every view below reads them filled.
  const fill = useMemo(() => makeFill(stored.variables, new Set(stored.secretNames)), [stored.variables, stored.secretNames]);
  const state = useMemo(() => {
    const steps = stored.steps.map((row) => {
      const title = fill(row.title);
      const section = fill(row.section);
      return title === row.title && section === row.section ? row : { ...row, title, section };
    });
    const title = fill(stored.title);
    return steps.every((row, i) => row === stored.steps[i]) && title === stored.title ? stored : { ...stored, title, steps };
  }, [stored, fill]);
  const ask = useSyncExternalStore(queue.subscribe, () => queue.current());
  const window = useWindowSize();
  const columns = size?.columns ?? window.columns;
  const rows = size?.rows ?? window.rows;
  const width = Math.max(40, columns);
  const bodyRows = Math.max(4, rows - CHROME_ROWS);
  const [overlay, setOverlay] = useState<Overlay>('none');
  const [typingChild, setTypingChild] = useState(false);
  const [aborting, setAborting] = useState(false);
  const [begun, setBegun] = useState(false);
  // The command box's first row, when the command is taller than its box (PgUp/PgDn).
  const [commandTop, setCommandTop] = useState(0);
  // The end summary's first row (↑/↓ PgUp/PgDn).
  const [summaryTop, setSummaryTop] = useState(0);
  const summaryRef = useRef<PreflightSummary | undefined>(undefined);
  if (ask?.kind === 'begin') summaryRef.current = ask.request.summary;

  useTerminalLender(lender);

  useEffect(() => setTypingChild(false), [ask?.id]);

  const abortNow = useCallback(() => {
    setAborting(true);
    setOverlay('none');
    const open = queue.current();
    if (open) abortAnswer(open, queue);
    else onAbort();
  }, [queue, onAbort]);

  // Once aborting, any question the engine still asks (a step failing as it is killed) is answered the same way.
  useEffect(() => {
    if (aborting && ask) abortAnswer(ask, queue);
  }, [aborting, ask, queue]);

  const ended = state.outcome !== undefined && ask === undefined;
  // Ctrl+C means "get me out": once the aborted run has written its record, leave without waiting
  // for another key (the outcome and record path are printed after the screen is given back).
  const quitOnEnd = useRef(false);
  useEffect(() => {
    if (ended && quitOnEnd.current && state.recordPath !== undefined) onExit();
  }, [ended, onExit, state.recordPath]);
  const typing = asksText(ask) || typingChild;
  const { focus, current, stepRows } = focusOf(state, ask);

  const step = current ? runbook.steps.find((s) => s.id === current.id) : undefined;
  const prose = useMemo(() => (step ? renderMarkdown(step.prose, width - 2, fill) : []), [step, width, fill]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const output = useMemo(() => store.output.tail(200), [store, outputVersion, state.current]);
  // A line still being written while its step runs (a progress bar) shows its end on one row.
  const outputUnfinished = store.output.unfinished && current?.status === 'running';
  // Until the next command starts, the last one's output stays in view under its own name.
  const owner = store.outputOwner;
  const ownerRow = owner !== undefined && owner !== current?.id ? state.steps.find((row) => row.id === owner) : undefined;
  const outputOf = ownerRow?.title;

  // A new step, or a new question about it, shows its command from the top.
  const commandKey = `${current?.id ?? ''}:${ask?.id ?? ''}`;
  useEffect(() => setCommandTop(0), [commandKey]);

  const layout = useMemo(() => {
    const heading = current ? stepHeading(current, width) : [];
    const command = current ? commandRows(current, width) : [];
    const outputRowsWanted = output.length > 0 ? outputRows(output, width, bodyRows, outputUnfinished).length + (outputOf ? 1 : 0) : 0;
    const sizes = runScreenLayout({
      rows,
      steps: state.steps.length,
      heading: heading.length,
      prompt: ask ? promptRows(ask, width, fill, typingChild) : 0,
      command: command.length,
      status: current && hasStatus(current) ? 1 : 0,
      output: outputRowsWanted,
      prose: prose.length,
    });
    return { heading, command, sizes };
  }, [current, width, output, outputUnfinished, outputOf, bodyRows, rows, state.steps.length, ask, fill, prose.length, typingChild]);

  // Prose the step view had to cut can be read whole (PROSE_KEY); the footer says so only then.
  const proseCut = current !== undefined && !ended && prose.length > layout.sizes.prose;

  // The screen's own keys; a prompt on screen reads its keys itself.
  useInput(
    (input, key) => {
      if (key.ctrl && input === 'c') {
        if (ended) onExit();
        else {
          quitOnEnd.current = true;
          abortNow();
        }
        return;
      }
      if (ended) {
        if (overlay === 'log') return;
        const delta = key.pageDown ? bodyRows - 1 : key.pageUp ? -(bodyRows - 1) : key.downArrow ? 1 : key.upArrow ? -1 : 0;
        if (delta !== 0) setSummaryTop((top) => Math.max(0, top + delta));
        else onExit();
        return;
      }
      if (overlay === 'help') {
        setOverlay('none');
        return;
      }
      if (overlay !== 'none') return;
      // A command taller than its box scrolls; PgUp/PgDn never type into a field.
      if (key.pageDown || key.pageUp) {
        const box = Math.max(1, layout.sizes.command - 1);
        setCommandTop((top) => Math.max(0, Math.min(layout.command.length - box, top + (key.pageDown ? box : -box))));
        return;
      }
      // A text field takes letters as text; Tab (never typed into a field) still opens the output.
      if (typing) {
        if (key.tab && current) setOverlay('log');
        return;
      }
      if (input === '?') setOverlay('help');
      else if (input === 'q') setOverlay('abort');
      else if (input === 'l' && current) setOverlay('log');
      else if (input === PROSE_KEY && proseCut) setOverlay('prose');
    },
    { isActive: true },
  );

  const question: QuestionContext = {
    width,
    fill,
    active: overlay === 'none' && !aborting,
    onTyping: setTypingChild,
    onAbort: () => setOverlay('abort'),
    onBegin: () => setBegun(true),
  };

  return (
    <AppLayout
      state={state}
      ask={ask}
      overlay={overlay}
      width={width}
      bodyRows={bodyRows}
      ended={ended}
      aborting={aborting}
      begun={begun}
      typing={typing}
      typingChild={typingChild}
      summary={summaryRef.current}
      focus={focus}
      current={current}
      stepRows={stepRows}
      prose={prose}
      proseCut={proseCut}
      output={output}
      outputUnfinished={outputUnfinished}
      totalOutputLines={store.output.totalLines}
      ownerRow={ownerRow}
      sizes={layout.sizes}
      heading={layout.heading}
      command={layout.command}
      commandTop={commandTop}
      summaryTop={summaryTop}
      question={question}
      closeOverlay={() => setOverlay('none')}
      confirmAbort={abortNow}
    />
  );
}
