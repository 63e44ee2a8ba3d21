// Line mode: the run's events as lines an operator (or a log) can read top to bottom. What it knows
// of the run is view/'s one fold of the events; its end is view/'s end lines, as the TUI leaves them.
import type { EventBus } from '../core/bus';
import { credentialLine } from '../core/credential-line';
import type { Runbook } from '../core/model';
import { renderTemplate } from '../runbook/template';
import { driftDecisionLine, driftLines } from '../view/drift-lines';
import { recordLines, tableLines, type EndPaint } from '../view/end-lines';
import { initialState, reduce } from '../view/run-state';
import { CHECK_GLYPH, GLYPH, TONE, formatDuration, type RowStatus } from '../view/status';
import { renderProse } from './prose';
import type { Style } from './style';

export interface PrinterOptions {
  runbook: Runbook;
  out: NodeJS.WritableStream;
  /** Warnings go here, so stdout stays the run's own story. */
  err: NodeJS.WritableStream;
  style: Style;
}

export function attachPrinter(bus: EventBus, options: PrinterOptions): () => void {
  const { runbook, out, err, style } = options;
  const total = runbook.steps.length;
  const secretNames = new Set(Object.keys(runbook.meta.secrets ?? {}));
  let state = initialState(runbook, 'live');
  // Titles may show variables ("Re-tag {{IMAGE}}"), filled with what is known when printed.
  const titleOf = (index: number) => renderTemplate(runbook.steps[index].title, state.variables, secretNames);
  let atLineStart = true;
  let shownHeader: string | undefined;

  const write = (text: string | Buffer) => {
    if (text.length === 0) return;
    // A slow reader (`| less`, `| tee` to a slow disk): the engine stops reading the step until it drains.
    if (!out.write(text)) bus.holdFor(out);
    atLineStart = typeof text === 'string' ? text.endsWith('\n') : text[text.length - 1] === 0x0a;
  };
  const line = (text = '') => {
    if (!atLineStart) write('\n');
    write(`${text}\n`);
  };
  const colourOf = (status: RowStatus) =>
    TONE[status] === 'bad' ? style.red : TONE[status] === 'passed-over' || TONE[status] === 'waiting' ? style.yellow : style.green;
  const paint: EndPaint = {
    outcome: (outcome, text) => (outcome === 'completed' ? style.green : style.red)(text),
    status: (status, text) => colourOf(status)(text),
  };

  const header = (index: number) => {
    const step = runbook.steps[index];
    if (shownHeader === step.id) return;
    shownHeader = step.id;
    line();
    line(style.bold(`[${index + 1}/${total}] ${titleOf(index)}`));
    // Filled after rendering, so a value that looks like markdown (backticks, *) is shown as given.
    const prose = renderProse(step.prose, style).map((text) => renderTemplate(text, state.variables, secretNames));
    for (const text of prose) line(`  ${text}`);
  };

  return bus.subscribe((event) => {
    state = reduce(state, event);
    switch (event.type) {
      case 'run-started': {
        const badge = event.mode === 'rehearsal' ? style.yellow('REHEARSAL') : style.cyan('LIVE');
        line(
          `${style.bold(event.runbook.title)} ${style.dim(`v${event.runbook.version}`)} — ${badge} — ${event.steps.length} ${event.steps.length === 1 ? 'step' : 'steps'}`,
        );
        if (event.resumed) line(style.dim(`resuming at step ${event.resumed.fromIndex + 1} (journal ${event.resumed.journalPath})`));
        break;
      }
      case 'preflight':
        for (const tool of event.tools) {
          const version = tool.version ? ` ${tool.version}` : '';
          line(
            tool.ok
              ? `  ${style.green(CHECK_GLYPH.met)} ${tool.name}${version}`
              : `  ${style.red(CHECK_GLYPH.unmet)} ${tool.message ?? tool.name}`,
          );
        }
        break;
      case 'input-given':
        if (!event.stepId) line(`  ${event.name} = ${event.value} ${style.dim(`(${event.source})`)}`);
        else if (event.source === 'changed')
          line(
            `  ${style.yellow('→')} ${event.name} = ${event.value} ${style.dim(`(was ${event.previous ?? '?'}, changed by ${event.by ?? '?'})`)}`,
          );
        else line(`  ${style.green('→')} ${event.name} = ${event.value}`);
        break;
      case 'secret-resolved':
        line(`  ${event.name}: ${style.dim(`from ${event.source}`)}`);
        break;
      case 'github-login':
        line(`  GitHub login: ${event.login}`);
        break;
      case 'identity':
        line(`  ${event.fingerprint ? style.green(CHECK_GLYPH.met) : style.dim(CHECK_GLYPH.none)} ${event.text}`);
        break;
      case 'warning':
        if (!atLineStart) line();
        err.write(`${style.yellow('warning:')} ${event.message}\n`);
        break;
      case 'step-started': {
        header(event.index);
        if (event.attempt > 1) line(style.yellow(`  ↻ attempt ${event.attempt}`));
        else {
          const kind = runbook.steps[event.index].kind;
          const prefix = kind === 'run' || kind === 'check' ? '$ ' : '';
          // The display's leading `# NAME=value` lines show the variables the script reads.
          if (kind !== 'input')
            for (const text of event.display.split('\n'))
              line(prefix && /^# [A-Za-z_]\w*=|^# stdin: /.test(text) ? `  ${style.dim(text)}` : `  ${style.cyan(`${prefix}${text}`)}`);
        }
        if (event.rehearsal) line(style.yellow('  (rehearsal: shown, not run)'));
        break;
      }
      case 'output':
        // A command's output as read: bytes from the display bus, already terminal-safe.
        write('bytes' in event ? event.bytes : event.text);
        break;
      case 'capture':
        line(`  ${style.green('→')} ${event.name} = ${event.value}`);
        break;
      case 'decision':
        line(style.dim(`  ${describeDecision(event.decision, event.auto)}${event.reason ? `: ${event.reason}` : ''}`));
        break;
      case 'step-finished': {
        if (shownHeader !== event.stepId) {
          shownHeader = event.stepId;
          line();
          line(style.bold(`[${event.index + 1}/${total}] ${titleOf(event.index)}`));
        }
        const colour = colourOf(event.status);
        const details = [
          event.reason,
          // The reason usually names the exit status already.
          event.exitCode !== undefined && event.status === 'failed' && !event.reason?.includes(`exit status ${event.exitCode}`)
            ? `exit ${event.exitCode}`
            : undefined,
          formatDuration(event.durationMs),
        ].filter(Boolean);
        line(colour(`  ${GLYPH[event.status]} ${event.status}`) + style.dim(` (${details.join(', ')})`));
        if (event.status === 'failed' && event.output?.logPath) line(style.dim(`  full output: ${event.output.logPath}`));
        break;
      }
      case 'run-ended':
        // Line mode's table of the end, in the TUI's words; the record's lines follow when it is written.
        line();
        for (const text of tableLines(state, { ...paint, heading: style.bold, dim: style.dim })) line(text);
        break;
      case 'record-written':
        // Each on a line of its own that only the terminal wraps, so the command pastes and runs.
        for (const text of recordLines(event.path)) line(text);
        break;
      case 'notice':
        line(`  ${event.message}`);
        break;
      case 'credential':
        line(`  ${credentialLine(event)}`);
        break;
      case 'drift':
        for (const text of driftLines(event, style)) line(text);
        break;
      case 'drift-decision':
        line((event.decision === 'accept' ? style.yellow : style.red)(`  ${driftDecisionLine(event.decision, event.by, event.auto)}`));
        break;
      case 'record-published':
        if (event.ok) line(event.message);
        else err.write(`${style.yellow('warning:')} ${event.message}\n`);
        break;
    }
  });
}

/** An operator's (or --yes's) decision in words, not the event's identifier. */
function describeDecision(decision: string, auto: boolean): string {
  const by = auto ? ' (--yes)' : '';
  switch (decision) {
    case 'proceed':
      return `confirmed${by}`;
    case 'retry':
      return `retrying${by}`;
    case 'skip':
      return `skipped${by}`;
    case 'abort':
      return `aborted${by}`;
    case 'rerun-interrupted':
      return `running the interrupted step again${by}`;
    default:
      return `${decision}${by}`;
  }
}
