// The container: the one place TUI state lives. It reads the run from the RunStore, the engine's
// open question from the QuestionQueue, and decides which screen and which prompt own the keys.
import { Box, Text, useApp, useInput, useWindowSize } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { Decision, PreflightSummary } from '../core/prompter';
import type { Runbook } from '../core/model';
import { Header } from './Header';
import { Help } from './Help';
import { LogViewer } from './LogViewer';
import { ProseViewer } from './ProseViewer';
import { PROSE_KEY } from './Prose';
import { renderMarkdown } from './markdown';
import { Preflight } from './Preflight';
import type { TerminalLender } from './prompter';
import { BeginPrompt } from './prompts/BeginPrompt';
import { ConfirmAbort } from './prompts/ConfirmAbort';
import { DecisionPrompt } from './prompts/DecisionPrompt';
import { InputPrompt, SELECT_ROWS } from './prompts/InputPrompt';
import { ResumePrompt } from './prompts/ResumePrompt';
import { SecretPrompt } from './prompts/SecretPrompt';
import { TaskList } from './prompts/TaskList';
import { OperatorAbort, type PendingAsk, type QuestionQueue } from './questions';
import type { RunStore } from './run-store';
import type { StepRow } from '../view/run-state';
import { StepList } from './StepList';
import { StepView, commandRows, hasStatus, outputRows, stepHeading } from './StepView';
import { Summary } from './Summary';
import { tint } from './theme';
import { makeFill, type Fill } from '../view/fill';
import { CHROME_ROWS, runScreenLayout } from './layout';
import { RehearsePrompt, rehearseRows } from './prompts/RehearsePrompt';
import { inputRows } from './prompts/InputPrompt';
import { decisionRows } from './prompts/DecisionPrompt';
import { taskListRows } from './prompts/TaskList';
import { resumeText } from './prompts/ResumePrompt';
import { rowsOf } from '../core/wrap';
import { wrapText } from '../core/wrap';
import { DriftView } from './DriftView';

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

type Overlay = 'none' | 'help' | 'log' | 'abort' | 'prose';

function abortAnswer(ask: PendingAsk, queue: QuestionQueue): void {
  const abort: Decision = { action: 'abort' };
  switch (ask.question.kind) {
    case 'begin':
    case 'resume':
    case 'rehearse':
    case 'drift':
      (ask as PendingAsk & { answer(v: 'abort'): void }).answer('abort');
      return;
    case 'input':
    case 'secret':
      queue.rejectAll(new OperatorAbort());
      return;
    default:
      (ask as PendingAsk & { answer(v: Decision): void }).answer(abort);
  }
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
  const { suspendTerminal } = useApp();
  const [overlay, setOverlay] = useState<Overlay>('none');
  const [typingChild, setTypingChild] = useState(false);
  const [aborting, setAborting] = useState(false);
  const [begun, setBegun] = useState(false);
  // The command box's first row, when the command is taller than its box (PgUp/PgDn).
  const [commandTop, setCommandTop] = useState(0);
  // The end summary's first row (↑/↓ PgUp/PgDn).
  const [summaryTop, setSummaryTop] = useState(0);
  const summaryRef = useRef<PreflightSummary | undefined>(undefined);
  if (ask?.question.kind === 'begin') summaryRef.current = ask.question.summary;

  // Interactive steps get the real terminal through Ink, which releases raw mode and the cursor.
  useEffect(() => {
    lender.lend = async <T,>(fn: () => Promise<T>): Promise<T> => {
      let result: T | undefined;
      // Ink turns raw mode off but keeps its 'readable' listener, so handrail would go on reading the
      // terminal and could take the operator's Enter away from the command. Stop reading until it ends.
      const stdin = process.stdin;
      const readers = stdin.listeners('readable') as ((...args: unknown[]) => void)[];
      for (const reader of readers) stdin.removeListener('readable', reader);
      stdin.pause();
      // pause() alone keeps the descriptor in libuv's read set until 16 KB are buffered; a line the
      // operator types for the command could still land in handrail. Stop the read itself.
      const handle = (stdin as unknown as { _handle?: { reading?: boolean; readStop?: () => number; readStart?: () => number } })._handle;
      const stopped = handle?.reading === true && typeof handle.readStop === 'function' && typeof handle.readStart === 'function';
      if (stopped) {
        handle.readStop!();
        handle.reading = false;
      }
      try {
        await suspendTerminal(async () => {
          process.stdout.write('\x1b[2J\x1b[H');
          result = await fn();
        });
      } finally {
        for (const reader of readers) stdin.on('readable', reader);
        // The stream still believes a read is under way, so it would never ask again: restart it.
        if (stopped && !handle.reading) {
          handle.reading = true;
          handle.readStart!();
        }
      }
      return result as T;
    };
    return () => {
      lender.lend = undefined;
    };
  }, [lender, suspendTerminal]);

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
  const kind = ask?.question.kind;
  const asksText =
    (kind === 'input' &&
      ask?.question.kind === 'input' &&
      ask.question.request.spec.type !== 'confirm' &&
      !(ask.question.request.spec.choices?.length)) ||
    kind === 'secret';
  const typing = asksText || typingChild;
  // A question about a step (confirm before it starts, a failure, a task list) puts that step in focus.
  const askStepId = ask
    ? 'step' in ask.question
      ? ask.question.step.id
      : ask.question.kind === 'input'
        ? ask.question.request.stepId
        : undefined
    : undefined;
  const askIndex = askStepId === undefined ? -1 : state.steps.findIndex((row) => row.id === askStepId);
  const focus = askIndex >= 0 ? askIndex : state.current;
  const focusRow = focus >= 0 ? state.steps[focus] : undefined;
  // The engine reports a failed attempt only through the failure question, so while it waits for
  // r / s / q the step would still read "running" with a ticking spinner; show it as failed.
  // So does a command step whose inputs are being changed after its failure (c), until it is retried.
  const changing = ask?.question.kind === 'input' && focusRow?.status === 'running' && focusRow.kind !== 'input';
  const failedAttempt =
    ask?.question.kind === 'failure' && focusRow?.status === 'running' ? ask.question : changing ? { exitCode: focusRow?.exitCode, logPath: undefined } : undefined;
  const current: StepRow | undefined =
    focusRow && ask?.question.kind === 'confirmStep' && focusRow.status === 'pending'
      ? { ...focusRow, display: ask.question.display }
      : focusRow && failedAttempt
        ? { ...focusRow, status: 'failed', exitCode: failedAttempt.exitCode, logPath: failedAttempt.logPath ?? focusRow.logPath }
        : focusRow;
  const stepRows = current && failedAttempt ? state.steps.map((row, i) => (i === focus ? current : row)) : state.steps;

  const variables = state.variables;
  const secretNames = useMemo(() => new Set(state.secretNames), [state.secretNames]);
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

  const promptActive = overlay === 'none' && !aborting;
  const onTyping = setTypingChild;
  const requestAbort = () => setOverlay('abort');

  function renderQuestion(open: PendingAsk, rowsForPrompt?: number): ReactNode {
    const q = open.question;
    switch (q.kind) {
      case 'begin':
        return (
          <BeginPrompt
            active={promptActive}
            onStart={() => {
              setBegun(true);
              (open as PendingAsk & { answer(v: 'start'): void }).answer('start');
            }}
          />
        );
      case 'input':
        return (
          <InputPrompt
            key={open.id}
            request={q.request}
            width={width}
            fill={fill}
            active={promptActive}
            onAnswer={(v) => (open as PendingAsk & { answer(v: string): void }).answer(v)}
            onAbort={requestAbort}
          />
        );
      case 'secret':
        return (
          <SecretPrompt
            key={open.id}
            request={{ ...q.request, spec: { ...q.request.spec, prompt: fill(q.request.spec.prompt) } }}
            width={width}
            active={promptActive}
            onAnswer={(v) => (open as PendingAsk & { answer(v: { value: string; store: boolean }): void }).answer(v)}
            onAbort={requestAbort}
          />
        );
      case 'resume':
        return (
          <ResumePrompt
            {...q}
            {...(q.nextStepTitle ? { nextStepTitle: fill(q.nextStepTitle) } : {})}
            width={width}
            active={promptActive}
            onAnswer={(v) => (open as PendingAsk & { answer(v: 'resume' | 'restart' | 'abort'): void }).answer(v)}
          />
        );
      case 'rehearse':
        return (
          <RehearsePrompt
            key={open.id}
            active={promptActive}
            facts={(q.facts ?? []).map((fact) => `${fact.label}: ${fact.value}`)}
            width={width}
            onNext={() => (open as PendingAsk & { answer(v: 'next'): void }).answer('next')}
          />
        );
      case 'tasks':
        return (
          <TaskList
            key={open.id}
            items={q.items}
            width={width}
            {...(rowsForPrompt !== undefined ? { height: rowsForPrompt } : {})}
            active={promptActive}
            onTyping={onTyping}
            onDecision={(d) => (open as PendingAsk & { answer(v: Decision): void }).answer(d)}
          />
        );
      case 'confirmStep':
      case 'failure':
      case 'interrupted':
        return (
          <DecisionPrompt
            key={open.id}
            kind={q.kind === 'confirmStep' ? 'confirm' : q.kind}
            message={decisionMessage(q)}
            facts={decisionFacts(q)}
            {...(q.kind === 'failure' && q.changeable ? { changeable: q.changeable } : {})}
            width={width}
            active={promptActive}
            onTyping={onTyping}
            onDecision={(d) => (open as PendingAsk & { answer(v: Decision): void }).answer(d)}
          />
        );
    }
  }

  const header = (
    <Header
      title={state.title}
      version={state.version}
      mode={state.mode}
      current={focus}
      total={state.steps.length}
      startedAt={state.startedAt}
      endedAt={state.endedAt}
      width={width}
    />
  );

  // Once the run has ended (an abort included), the only thing left to say is how to leave.
  const footer = ended ? (
    <Text dimColor wrap="truncate">
      Press any key to exit. ↑/↓ PgUp/PgDn scroll the summary.
    </Text>
  ) : aborting ? (
    <Text color={tint('red')}>Aborting…</Text>
  ) : overlay === 'abort' ? (
    <ConfirmAbort active onConfirm={abortNow} onCancel={() => setOverlay('none')} />
  ) : kind === 'begin' && overlay === 'none' ? null /* the start prompt's own line says Enter, q and ? */ : (
    <Text dimColor wrap="truncate">
      {/* A reason field goes back on Esc (the question stays); an input field asks to abort the run. */}
      {typingChild
        ? 'Enter submit · Tab output · Esc back'
        : typing
          ? 'Enter submit · Tab output · Esc abort'
          : `? help${proseCut ? ` · ${PROSE_KEY} prose` : ''}${current ? ' · l output' : ''} · q abort`}
    </Text>
  );

  let body: ReactNode;
  if (overlay === 'help') {
    body = <Help />;
  } else if (overlay === 'prose' && current) {
    body = <ProseViewer title={current.title} lines={prose} height={bodyRows + 1} active onClose={() => setOverlay('none')} />;
  } else if (overlay === 'log' && current) {
    // Before this step has output of its own, the output on screen is an earlier step's: say whose.
    const shownRow = ownerRow && !current.logPath ? ownerRow : current;
    body = (
      <LogViewer
        title={shownRow.title}
        logPath={shownRow.logPath}
        fallback={output.length > 0 ? output : (shownRow.finalTail ?? '').split('\n')}
        width={width}
        height={bodyRows + 1}
        active
        onClose={() => setOverlay('none')}
      />
    );
  } else if (ask?.question.kind === 'drift') {
    // Drift needs the whole body: two columns of values that are read in full (SPEC §6.5).
    const open = ask;
    const question = open.question as Extract<PendingAsk['question'], { kind: 'drift' }>;
    body = (
      <DriftView
        key={open.id}
        request={question.request}
        width={width}
        height={bodyRows}
        active={promptActive}
        onAnswer={(v) => (open as PendingAsk & { answer(v: 'continue' | 'abort'): void }).answer(v)}
      />
    );
  } else if (ended) {
    body = <Summary state={state} width={width} height={bodyRows} top={summaryTop} />;
  } else if (!begun && !state.started && (ask === undefined || ask.question.kind === 'begin' || ask.question.kind === 'resume' || ask.question.kind === 'secret' || (ask.question.kind === 'input' && !ask.question.request.stepId))) {
    const inputs = Object.entries(variables).map(([name, value]) => ({ name, value }));
    const promptHeight = ask ? promptRows(ask, width, fill) : 1;
    body = (
      <Preflight
        tools={state.tools}
        inputs={inputs}
        summary={summaryRef.current}
        warnings={state.warnings}
        notices={state.notices}
        width={width}
        height={bodyRows}
        promptHeight={promptHeight}
      >
        {ask ? renderQuestion(ask) : <Text dimColor>Checking what this run needs…</Text>}
      </Preflight>
    );
  } else {
    const { sizes } = layout;
    const outputLabel = outputOf && sizes.output > 1 ? [`Output of ${outputOf}:`] : [];
    const shownOutput = [...outputLabel.flatMap((line) => wrapText(line, width).slice(0, 1)), ...outputRows(output, width, sizes.output - outputLabel.length, outputUnfinished)];
    body = (
      <Box flexDirection="column">
        <StepList steps={stepRows} current={focus} height={sizes.list} width={width} />
        {sizes.gap > 0 ? <Text> </Text> : null}
        {current ? (
          <StepView
            row={current}
            heading={layout.heading.slice(0, sizes.heading)}
            prose={prose}
            proseRows={sizes.prose}
            command={layout.command}
            commandRows={sizes.command}
            commandTop={commandTop}
            output={shownOutput}
            totalLines={store.output.totalLines}
            width={width}
          >
            {ask ? renderQuestion(ask, sizes.prompt) : null}
          </StepView>
        ) : ask ? (
          renderQuestion(ask, sizes.prompt)
        ) : (
          <Text dimColor>Starting…</Text>
        )}
      </Box>
    );
  }

  return (
    <Box flexDirection="column" width={width}>
      {header}
      <Box flexDirection="column" height={overlay === 'log' || overlay === 'prose' ? bodyRows + 1 : bodyRows} overflow="hidden">
        {/* Never shrunk to fit (Yoga would draw rows over each other): the budget sizes it, the box clips it. */}
        <Box flexDirection="column" flexShrink={0}>
          {body}
        </Box>
      </Box>
      {overlay === 'log' || overlay === 'prose' ? null : footer}
    </Box>
  );
}

type StepDecision = Extract<PendingAsk['question'], { kind: 'confirmStep' | 'failure' | 'interrupted' }>;

function decisionMessage(q: StepDecision): string {
  if (q.kind === 'failure') {
    const said = q.exitCode !== undefined && new RegExp(`exit (status |code )?${q.exitCode}\\b`).test(q.reason);
    return `Failed: ${q.reason}${q.exitCode !== undefined && !said ? ` (exit ${q.exitCode})` : ''}`;
  }
  if (q.kind === 'interrupted') {
    const still = q.stillRunning !== undefined ? ` It is still running (process group ${q.stillRunning}): running it again ends it first.` : '';
    return `This step was running when the last run stopped.${still}`;
  }
  return q.step.kind === 'github' ? 'This request changes things: send it?' : 'This step is marked confirm: run it?';
}

/** At a confirm, what the checks before it established, one labelled line each. */
function decisionFacts(q: StepDecision): string[] {
  return q.kind === 'confirmStep' ? (q.facts ?? []).map((fact) => `${fact.label}: ${fact.value}`) : [];
}

/** Rows the open question takes under the step, as its component draws it. */
function promptRows(ask: PendingAsk, width: number, fill: Fill, typing = false): number {
  const q = ask.question;
  switch (q.kind) {
    case 'tasks':
      return taskListRows(q.items, width, typing);
    case 'input':
      return inputRows(q.request, width, fill);
    case 'secret':
      return rowsOf(`${fill(q.request.spec.prompt)} (${q.request.name})`, width) + 3;
    case 'resume':
      return rowsOf(resumeText(q.finishedSteps, q.nextStepTitle ? fill(q.nextStepTitle) : undefined), width) + 2;
    case 'rehearse':
      return rehearseRows((q.facts ?? []).map((fact) => `${fact.label}: ${fact.value}`), width);
    case 'drift':
      return 0;
    case 'begin':
      return 1;
    default:
      return decisionRows(decisionMessage(q), width, decisionFacts(q), typing);
  }
}
