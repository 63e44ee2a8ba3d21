// Where the run's text enters the front ends. The run (cli/run-front-end.ts) hands the views (TUI, line mode) a runbook, an
// event bus and a prompter that carry only terminal-safe text, so a view cannot forget to clean
// what it shows: it never receives anything else. The engine, the journal, the record and --json
// keep the real values.
import { EventBus } from './bus';
import type { RunEvent } from './events';
import type { Prompter } from './prompter';
import type { Runbook, Step } from './model';
import { terminalSafe, terminalSafeBytes, terminalSafeLine } from './terminal-safe';
import { realChoice, shownChoices } from './choices';
import type { Fact, InputRequest } from './prompter';

/** Fields that are meant to span lines; every other string is a value shown inline. */
const MULTILINE = new Set(['display', 'text', 'tail', 'message', 'prose', 'script', 'source', 'rehearsed', 'now']);

/** A deep copy whose strings are terminal-safe: multi-line fields keep their lines, the rest show ⏎. */
export function safeForDisplay<T>(value: T, multiline = false): T {
  if (typeof value === 'string') return (multiline ? terminalSafe(value) : terminalSafeLine(value)) as T;
  if (Array.isArray(value)) return value.map((item) => safeForDisplay(item, multiline)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = safeForDisplay(item, MULTILINE.has(key));
    return copy as T;
  }
  return value;
}

// A task item's text is one line on screen, whatever its field is called.
function safeStep<S extends Step>(step: S): S {
  const safe = safeForDisplay(step);
  if (safe.kind === 'confirm') for (const item of safe.items) item.text = terminalSafeLine(item.text);
  return safe;
}

export function displayRunbook(runbook: Runbook): Runbook {
  return { ...safeForDisplay(runbook), steps: runbook.steps.map(safeStep) };
}

export function displayEvent(event: RunEvent): RunEvent {
  // A command's output, the one event that comes by the megabyte, is checked as the bytes it is.
  if (event.type === 'output' && 'bytes' in event) return { ...event, bytes: terminalSafeBytes(event.bytes) };
  return safeForDisplay(event);
}

/** A bus that re-emits every event of `source`, made terminal-safe, for the views to subscribe to. */
export function displayBus(source: EventBus): EventBus {
  const bus = new EventBus(source);
  source.subscribe((event) => bus.emit(displayEvent(event)));
  return bus;
}

/** The engine's questions reach `view` with terminal-safe text; answers go back unchanged. */
export function displayPrompter(view: Prompter): Prompter {
  return {
    begin: (request) => view.begin(safeForDisplay(request)),
    input: (request) => displayInput(view, request),
    secret: (request) => view.secret(safeForDisplay(request)),
    confirmStep: ({ step, display, facts }) =>
      view.confirmStep({ step: safeStep(step), display: terminalSafe(display), ...(facts ? { facts: safeForDisplay(facts) } : {}) }),
    tasks: ({ step, items }) =>
      view.tasks({ step: safeStep(step), items: items.map((item) => ({ text: terminalSafeLine(item.text), checked: item.checked })) }),
    failure: ({ step, ...rest }) => view.failure({ step: safeStep(step), ...safeForDisplay(rest) }),
    resume: (request) => view.resume(safeForDisplay(request)),
    interrupted: ({ step, stillRunning }) =>
      view.interrupted({ step: safeStep(step), ...(stillRunning !== undefined ? { stillRunning } : {}) }),
    // Only a view that walks a rehearsal step by step has this; the others must stay without it.
    ...(view.rehearse
      ? {
          rehearse: ({ step, display, facts }: { step: Step; display: string; facts?: Fact[] }) =>
            view.rehearse!({ step: safeStep(step), display: terminalSafe(display), ...(facts ? { facts: safeForDisplay(facts) } : {}) }),
        }
      : {}),
    // Drift's values keep their lines (a captured list is shown whole, line by line).
    ...(view.drift
      ? {
          drift: (request: Parameters<NonNullable<Prompter['drift']>>[0]) =>
            view.drift!({
              ...safeForDisplay(request),
              ...(request.before
                ? {
                    before: {
                      step: safeStep(request.before.step),
                      title: terminalSafeLine(request.before.title),
                      display: terminalSafe(request.before.display),
                    },
                  }
                : {}),
            }),
        }
      : {}),
    withTerminal: (fn) => view.withTerminal(fn),
  };
}

/**
 * An input with choices reaches the view as distinct terminal-safe keys and labels, and the view's
 * answer is turned back into the real value it stands for: the shown form of one value can never be
 * taken for another value, nor refused as "not one of the choices".
 */
async function displayInput(view: Prompter, request: InputRequest): Promise<string> {
  const values = request.spec.choices;
  if (!values?.length) return view.input(safeForDisplay(request));
  // The engine lists options in the order of spec.choices; two equal values may carry different labels.
  const labels = request.options ? values.map((value, i) => request.options![i]?.label ?? value) : undefined;
  const shown = shownChoices(values, labels);
  const keyOf = (value: string | undefined) => (value === undefined ? undefined : shown.keys[values.indexOf(value)]);
  const safe = safeForDisplay(request);
  const defaultKey = keyOf(request.spec.default);
  const currentKey = keyOf(request.current);
  const spec = { ...safe.spec, choices: shown.keys };
  if (defaultKey === undefined) delete spec.default;
  else spec.default = defaultKey;
  const answer = await view.input({
    ...safe,
    spec,
    ...(request.options ? { options: shown.keys.map((value, i) => ({ value, label: shown.labels[i] })) } : {}),
    ...(currentKey !== undefined ? { current: currentKey } : {}),
  });
  return realChoice(answer, shown.keys, values);
}
