// The container: the one place TUI state lives. It reads the run from the RunStore, the engine's
// open question from the QuestionQueue, and decides which screen and which prompt own the keys.
import { Box, Text, useApp, useInput, useWindowSize } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { Decision, PreflightSummary } from '../engine/prompter';
import type { Runbook } from '../runbook/model';
import { renderTemplate } from '../runbook/template';
import { Header } from './Header';
import { Help } from './Help';
import { LogViewer } from './LogViewer';
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
import type { StepRow } from './run-state';
import { StepList } from './StepList';
import { StepView, displayLines } from './StepView';
import { Summary } from './Summary';
import { tint } from './theme';

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

type Overlay = 'none' | 'help' | 'log' | 'abort';

function abortAnswer(ask: PendingAsk, queue: QuestionQueue): void {
  const abort: Decision = { action: 'abort' };
  switch (ask.question.kind) {
    case 'begin':
    case 'resume':
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
  // Titles may show variables ("Re-tag {{IMAGE}}"); every view below reads them filled.
  const state = useMemo(() => {
    const secrets = new Set(stored.secretNames);
    const steps = stored.steps.map((row) => {
      const title = renderTemplate(row.title, stored.variables, secrets);
      return title === row.title ? row : { ...row, title };
    });
    return steps.every((row, i) => row === stored.steps[i]) ? stored : { ...stored, steps };
  }, [stored]);
  const ask = useSyncExternalStore(queue.subscribe, () => queue.current());
  const window = useWindowSize();
  const columns = size?.columns ?? window.columns;
  const rows = size?.rows ?? window.rows;
  const width = Math.max(40, columns);
  const { suspendTerminal } = useApp();
  const [overlay, setOverlay] = useState<Overlay>('none');
  const [typingChild, setTypingChild] = useState(false);
  const [aborting, setAborting] = useState(false);
  const [begun, setBegun] = useState(false);
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
  const failedAttempt = ask?.question.kind === 'failure' && focusRow?.status === 'running' ? ask.question : undefined;
  const current: StepRow | undefined =
    focusRow && ask?.question.kind === 'confirmStep' && focusRow.status === 'pending'
      ? { ...focusRow, display: ask.question.display }
      : focusRow && failedAttempt
        ? { ...focusRow, status: 'failed', exitCode: failedAttempt.exitCode, logPath: failedAttempt.logPath ?? focusRow.logPath }
        : focusRow;
  const stepRows = current && failedAttempt ? state.steps.map((row, i) => (i === focus ? current : row)) : state.steps;

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
        onExit();
        return;
      }
      if (overlay === 'help') {
        setOverlay('none');
        return;
      }
      if (overlay !== 'none' || typing) return;
      if (input === '?') setOverlay('help');
      else if (input === 'q') setOverlay('abort');
      else if (input === 'l' && current) setOverlay('log');
    },
    { isActive: true },
  );

  const variables = state.variables;
  const secretNames = useMemo(() => new Set(state.secretNames), [state.secretNames]);
  const step = current ? runbook.steps.find((s) => s.id === current.id) : undefined;
  const prose = useMemo(
    () => (step ? renderMarkdown(step.prose, width - 2, (text) => renderTemplate(text, variables, secretNames)) : []),
    [step, width, variables, secretNames],
  );
  // eslint-disable-next-line react-hooks/exhaustive-deps
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const output = useMemo(() => store.output.tail(200), [store, outputVersion, state.current]);
  const outputUnfinished = store.output.unfinished;
  // Until the next command starts, the last one's output stays in view under its own name.
  const owner = store.outputOwner;
  const outputOf = owner !== undefined && owner !== current?.id ? state.steps.find((row) => row.id === owner)?.title : undefined;

  const promptActive = overlay === 'none' && !aborting;
  const onTyping = setTypingChild;
  const requestAbort = () => setOverlay('abort');

  function renderQuestion(open: PendingAsk): ReactNode {
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
            active={promptActive}
            onAnswer={(v) => (open as PendingAsk & { answer(v: string): void }).answer(v)}
            onAbort={requestAbort}
          />
        );
      case 'secret':
        return (
          <SecretPrompt
            key={open.id}
            request={q.request}
            active={promptActive}
            onAnswer={(v) => (open as PendingAsk & { answer(v: { value: string; store: boolean }): void }).answer(v)}
            onAbort={requestAbort}
          />
        );
      case 'resume':
        return (
          <ResumePrompt
            {...q}
            active={promptActive}
            onAnswer={(v) => (open as PendingAsk & { answer(v: 'resume' | 'restart' | 'abort'): void }).answer(v)}
          />
        );
      case 'tasks':
        return (
          <TaskList
            key={open.id}
            items={q.items}
            width={width}
            active={promptActive}
            onTyping={onTyping}
            onDecision={(d) => (open as PendingAsk & { answer(v: Decision): void }).answer(d)}
          />
        );
      case 'confirmStep':
      case 'failure':
      case 'interrupted': {
        const message =
          q.kind === 'failure'
            ? `Failed: ${q.reason}${q.exitCode !== undefined && !new RegExp(`exit (status |code )?${q.exitCode}\\b`).test(q.reason) ? ` (exit ${q.exitCode})` : ''}`
            : q.kind === 'interrupted'
              ? `This step was running when the last run stopped.${q.stillRunning !== undefined ? ` It is still running (process group ${q.stillRunning}): running it again ends it first.` : ''}`
              : q.step.kind === 'github'
                ? 'This request changes things: send it?'
                : 'This step is marked confirm: run it?';
        return (
          <DecisionPrompt
            key={open.id}
            kind={q.kind === 'confirmStep' ? 'confirm' : q.kind}
            message={message}
            active={promptActive}
            onTyping={onTyping}
            onDecision={(d) => (open as PendingAsk & { answer(v: Decision): void }).answer(d)}
          />
        );
      }
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

  const footer = aborting ? (
    <Text color={tint('red')}>Aborting…</Text>
  ) : overlay === 'abort' ? (
    <ConfirmAbort active onConfirm={abortNow} onCancel={() => setOverlay('none')} />
  ) : (
    <Text dimColor>{typing ? 'Enter submit · Esc abort' : '? help · l output · q abort'}</Text>
  );

  let body: ReactNode;
  if (overlay === 'help') {
    body = <Help />;
  } else if (overlay === 'log' && current) {
    body = (
      <LogViewer
        title={current.title}
        logPath={current.logPath}
        fallback={output.length > 0 ? output : (current.finalTail ?? '').split('\n')}
        width={width}
        height={rows - 2}
        active
        onClose={() => setOverlay('none')}
      />
    );
  } else if (ended) {
    body = <Summary state={state} width={width} height={rows - 2} />;
  } else if (!begun && !state.started && (ask === undefined || ask.question.kind === 'begin' || ask.question.kind === 'resume' || ask.question.kind === 'secret' || (ask.question.kind === 'input' && !ask.question.request.stepId))) {
    const inputs = Object.entries(variables).map(([name, value]) => ({ name, value }));
    body = (
      <Preflight tools={state.tools} inputs={inputs} summary={summaryRef.current} warnings={state.warnings} notices={state.notices}>
        {ask ? renderQuestion(ask) : <Text dimColor>Checking what this run needs…</Text>}
      </Preflight>
    );
  } else {
    const hasOutput = output.length > 0;
    const listRows = Math.min(state.steps.length, Math.max(3, Math.floor(rows / 4)));
    const listOverflow = state.steps.length > listRows ? 1 : 0;
    const display = current ? displayLines(current, width, 6) : [];
    const promptRows = ask ? promptHeight(ask) : 0;
    const statusRows = current && current.status !== 'pending' ? 1 : 0;
    const fixed = (outputOf && hasOutput ? 1 : 0) + 2 + listRows + listOverflow + 1 + 1 + display.length + statusRows + promptRows + 1 + (current?.rehearsal ? 1 : 0);
    const free = Math.max(0, rows - fixed - 1);
    const proseRows = hasOutput ? Math.min(prose.length, Math.max(2, Math.floor(free * 0.4))) : free;
    const outputRows = hasOutput ? Math.max(0, free - proseRows) : 0;
    body = (
      <Box flexDirection="column">
        <StepList steps={stepRows} current={focus} height={listRows} width={width} />
        <Box marginTop={1} flexDirection="column">
          {current ? (
            <StepView
              row={current}
              prose={prose}
              proseRows={proseRows}
              display={display}
              output={output}
              outputUnfinished={outputUnfinished}
              outputRows={outputRows}
              outputOf={outputOf}
              totalLines={store.output.totalLines}
              width={width}
            >
              {ask ? renderQuestion(ask) : null}
            </StepView>
          ) : ask ? (
            renderQuestion(ask)
          ) : (
            <Text dimColor>Starting…</Text>
          )}
        </Box>
      </Box>
    );
  }

  return (
    <Box flexDirection="column" width={width}>
      {header}
      <Box flexDirection="column" height={Math.max(4, rows - 3)} overflow="hidden">
        {body}
      </Box>
      {ended || overlay === 'log' ? null : footer}
    </Box>
  );
}

function promptHeight(ask: PendingAsk): number {
  const q = ask.question;
  switch (q.kind) {
    case 'tasks':
      return q.items.length + 2;
    case 'input':
      return Math.min(q.request.spec.choices?.length ?? 0, SELECT_ROWS) + 3;
    default:
      return 3;
  }
}
