// The layout: given the container's state, which screen shows and what frames it. It holds no state
// and reads no keys of its own; App (the container) decides, this draws.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { PreflightSummary } from '../core/prompter';
import { wrapText } from '../core/wrap';
import type { RunState, StepRow } from '../view/run-state';
import { DriftView } from './DriftView';
import { Header } from './Header';
import { Help } from './Help';
import { LogViewer } from './LogViewer';
import { Preflight } from './Preflight';
import { PROSE_KEY } from './Prose';
import { ProseViewer } from './ProseViewer';
import { StepList } from './StepList';
import { StepView, outputRows } from './StepView';
import { Summary } from './Summary';
import type { RunScreenLayout } from './layout';
import type { Line } from './markdown';
import { ConfirmAbort } from './prompts/ConfirmAbort';
import { promptRows, questionView, type QuestionContext } from './QuestionView';
import type { PendingAsk } from './questions';
import { tint } from './theme';

export type Overlay = 'none' | 'help' | 'log' | 'abort' | 'prose';

export interface AppLayoutProps {
  state: RunState;
  ask: PendingAsk | undefined;
  overlay: Overlay;
  width: number;
  bodyRows: number;
  ended: boolean;
  aborting: boolean;
  begun: boolean;
  /** A text field has the keys: the footer names Enter / Tab / Esc. */
  typing: boolean;
  /** The text field is a prompt's own (a skip reason): Esc goes back rather than aborting. */
  typingChild: boolean;
  /** The preflight summary of the begin question, kept for the screen after it is answered. */
  summary: PreflightSummary | undefined;
  focus: number;
  current: StepRow | undefined;
  stepRows: StepRow[];
  /** The step's prose, rendered. */
  prose: Line[];
  proseCut: boolean;
  output: string[];
  outputUnfinished: boolean;
  totalOutputLines: number;
  /** The step whose output shows while the step in focus has none of its own. */
  ownerRow: StepRow | undefined;
  sizes: RunScreenLayout;
  heading: string[];
  command: string[];
  commandTop: number;
  summaryTop: number;
  question: QuestionContext;
  closeOverlay(): void;
  confirmAbort(): void;
}

type Screen = 'help' | 'prose' | 'log' | 'drift' | 'summary' | 'preflight' | 'run';

/** The questions asked before the run starts, answered on the preflight screen. */
function asksBeforeRun(ask: PendingAsk | undefined): boolean {
  if (!ask) return true;
  if (ask.kind === 'input') return !ask.request.stepId;
  return ask.kind === 'begin' || ask.kind === 'resume' || ask.kind === 'secret';
}

/** Which screen fills the body: an overlay first, then drift, the end, preflight, else the run. */
export function whichScreen(p: Pick<AppLayoutProps, 'overlay' | 'current' | 'ask' | 'ended' | 'begun' | 'state'>): Screen {
  if (p.overlay === 'help') return 'help';
  if (p.overlay === 'prose' && p.current) return 'prose';
  if (p.overlay === 'log' && p.current) return 'log';
  // Drift needs the whole body: two columns of values that are read in full (SPEC §6.5).
  if (p.ask?.kind === 'drift') return 'drift';
  if (p.ended) return 'summary';
  if (!p.begun && !p.state.started && asksBeforeRun(p.ask)) return 'preflight';
  return 'run';
}

export function AppLayout(p: AppLayoutProps) {
  const pager = p.overlay === 'log' || p.overlay === 'prose';
  return (
    <Box flexDirection="column" width={p.width}>
      <Header
        title={p.state.title}
        version={p.state.version}
        mode={p.state.mode}
        current={p.focus}
        total={p.state.steps.length}
        startedAt={p.state.startedAt}
        endedAt={p.state.endedAt}
        width={p.width}
      />
      <Box flexDirection="column" height={pager ? p.bodyRows + 1 : p.bodyRows} overflow="hidden">
        {/* Never shrunk to fit (Yoga would draw rows over each other): the budget sizes it, the box clips it. */}
        <Box flexDirection="column" flexShrink={0}>
          {body(p)}
        </Box>
      </Box>
      {pager ? null : footer(p)}
    </Box>
  );
}

function footer(p: AppLayoutProps): ReactNode {
  // Once the run has ended (an abort included), the only thing left to say is how to leave.
  if (p.ended) {
    return (
      <Text dimColor wrap="truncate">
        Press any key to exit. ↑/↓ PgUp/PgDn scroll the summary.
      </Text>
    );
  }
  if (p.aborting) return <Text color={tint('red')}>Aborting…</Text>;
  if (p.overlay === 'abort') return <ConfirmAbort active onConfirm={p.confirmAbort} onCancel={p.closeOverlay} />;
  // The start prompt's own line says Enter, q and ?.
  if (p.ask?.kind === 'begin' && p.overlay === 'none') return null;
  // A reason field goes back on Esc (the question stays); an input field asks to abort the run.
  const keys = p.typingChild
    ? 'Enter submit · Tab output · Esc back'
    : p.typing
      ? 'Enter submit · Tab output · Esc abort'
      : `? help${p.proseCut ? ` · ${PROSE_KEY} prose` : ''}${p.current ? ' · l output' : ''} · q abort`;
  return (
    <Text dimColor wrap="truncate">
      {keys}
    </Text>
  );
}

function body(p: AppLayoutProps): ReactNode {
  const { ask, current, width, bodyRows } = p;
  switch (whichScreen(p)) {
    case 'help':
      return <Help />;
    case 'prose':
      return current && <ProseViewer title={current.title} lines={p.prose} height={bodyRows + 1} active onClose={p.closeOverlay} />;
    case 'log': {
      if (!current) return null;
      // Before this step has output of its own, the output on screen is an earlier step's: say whose.
      const shown = p.ownerRow && !current.logPath ? p.ownerRow : current;
      const fallback = p.output.length > 0 ? p.output : (shown.finalTail ?? '').split('\n');
      return (
        <LogViewer
          title={shown.title}
          logPath={shown.logPath}
          fallback={fallback}
          width={width}
          height={bodyRows + 1}
          active
          onClose={p.closeOverlay}
        />
      );
    }
    case 'drift':
      return ask?.kind === 'drift' ? (
        <DriftView key={ask.id} request={ask.request} width={width} height={bodyRows} active={p.question.active} onAnswer={ask.resolve} />
      ) : null;
    case 'summary':
      return <Summary state={p.state} width={width} height={bodyRows} top={p.summaryTop} />;
    case 'preflight':
      return (
        <Preflight
          tools={p.state.tools}
          inputs={Object.entries(p.state.variables).map(([name, value]) => ({ name, value }))}
          summary={p.summary}
          warnings={p.state.warnings}
          notices={p.state.notices}
          width={width}
          height={bodyRows}
          promptHeight={ask ? promptRows(ask, width, p.question.fill) : 1}
        >
          {ask ? questionView(ask, p.question) : <Text dimColor>Checking what this run needs…</Text>}
        </Preflight>
      );
    case 'run':
      return runScreen(p);
  }
}

/** The run screen: the step list, then the step in focus with its prose, command, output and question. */
function runScreen(p: AppLayoutProps): ReactNode {
  const { ask, current, width, sizes } = p;
  const outputOf = p.ownerRow?.title;
  const outputLabel = outputOf && sizes.output > 1 ? [`Output of ${outputOf}:`] : [];
  const shownOutput = [
    ...outputLabel.flatMap((line) => wrapText(line, width).slice(0, 1)),
    ...outputRows(p.output, width, sizes.output - outputLabel.length, p.outputUnfinished),
  ];
  const question = ask ? questionView(ask, p.question, sizes.prompt) : null;
  return (
    <Box flexDirection="column">
      <StepList steps={p.stepRows} current={p.focus} height={sizes.list} width={width} />
      {sizes.gap > 0 ? <Text> </Text> : null}
      {current ? (
        <StepView
          row={current}
          heading={p.heading.slice(0, sizes.heading)}
          prose={p.prose}
          proseRows={sizes.prose}
          command={p.command}
          commandRows={sizes.command}
          commandTop={p.commandTop}
          output={shownOutput}
          totalLines={p.totalOutputLines}
          width={width}
        >
          {question}
        </StepView>
      ) : (
        (question ?? <Text dimColor>Starting…</Text>)
      )}
    </Box>
  );
}
