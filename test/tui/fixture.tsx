// A runbook parsed by the real parser, and the App wired to a real EventBus, for component tests.
import { render } from 'ink-testing-library';
import { EventBus } from '../../src/core/bus';
import type { RunEvent, StepSummary } from '../../src/core/events';
import type { Prompter } from '../../src/core/prompter';
import { parseRunbook } from '../../src/runbook/parse';
import type { Runbook } from '../../src/core/model';
import { App } from '../../src/tui/App';
import { createTuiPrompter } from '../../src/tui/prompter';
import { QuestionQueue } from '../../src/tui/questions';
import { RunStore } from '../../src/tui/run-store';
import { KEY, settle, waitForText } from '../helpers/ink';

export const SOURCE = `---
id: tui-fixture
title: Rollback drill
version: 1.2.0
inputs:
  ORG:
    prompt: GitHub organisation
    default: craton-co
    pattern: ^[a-z-]+$
secrets:
  GH_PAT:
    prompt: A token
    env: TUI_FIXTURE_TOKEN
---

# Rollback

## Check the registry

The registry for **{{ORG}}** must answer; the token is {{GH_PAT}}.
Run \`docker info\` first. See [the guide](https://example.com/guide).

| host | role |
|------|------|
| ghcr | images |

\`\`\`sh check id=registry
curl -fsS https://ghcr.io/v2/
\`\`\`

## Choose

\`\`\`yaml input
name: TARGET
prompt: Where to roll back
choices: [staging, production]
\`\`\`

## Before deleting

- [x] Announced in the channel
- [ ] Paused the deploy pipeline
- [ ] Told the on-call lead

## Push

\`\`\`sh run id=push
for i in $(seq 1 5); do echo "line $i"; done
\`\`\`
`;

export function fixtureRunbook(source = SOURCE): Runbook {
  const { runbook, problems } = parseRunbook(source, 'rollback.md');
  if (!runbook) throw new Error(`fixture runbook does not parse: ${JSON.stringify(problems)}`);
  return runbook;
}

export interface Harness {
  runbook: Runbook;
  bus: EventBus;
  prompter: Prompter;
  ui: ReturnType<typeof render>;
  aborts: number;
  exits: number;
  emit(event: RunEvent): void;
  start(): void;
  stepStarted(id: string, display?: string): void;
  stepFinished(
    id: string,
    status: 'passed' | 'failed' | 'skipped' | 'confirmed',
    extra?: Partial<Extract<RunEvent, { type: 'step-finished' }>>,
  ): void;
}

const at = () => new Date().toISOString();

export function mount(options: { runbook?: Runbook; columns?: number; rows?: number; mode?: 'live' | 'rehearsal' } = {}): Harness {
  const runbook = options.runbook ?? fixtureRunbook();
  const bus = new EventBus();
  const store = new RunStore(runbook, options.mode ?? 'live', bus, { flushMs: 20 });
  const queue = new QuestionQueue();
  const lender = {};
  const harness: Harness = {
    runbook,
    bus,
    prompter: createTuiPrompter(queue, lender),
    aborts: 0,
    exits: 0,
    ui: undefined as unknown as ReturnType<typeof render>,
    emit: (event) => bus.emit(event),
    start() {
      const steps: StepSummary[] = runbook.steps.map((s, index) => ({ id: s.id, index, kind: s.kind, title: s.title, section: s.section }));
      bus.emit({
        type: 'run-started',
        at: at(),
        runId: 'r1',
        runbook: {
          path: runbook.path,
          id: runbook.meta.id,
          title: runbook.meta.title,
          version: runbook.meta.version,
          sha256: runbook.sha256,
        },
        mode: 'live',
        steps,
        operator: { user: 'op', host: 'h' },
        tool: { name: 'handrail', version: '0.0.0' },
      });
    },
    stepStarted(id, display = '') {
      const index = runbook.steps.findIndex((s) => s.id === id);
      bus.emit({ type: 'step-started', at: at(), stepId: id, index, attempt: 1, display, rehearsal: false });
    },
    stepFinished(id, status, extra = {}) {
      const index = runbook.steps.findIndex((s) => s.id === id);
      bus.emit({ type: 'step-finished', at: at(), stepId: id, index, status, startedAt: at(), durationMs: 1234, ...extra });
    },
  };
  harness.ui = render(
    <App
      runbook={runbook}
      store={store}
      queue={queue}
      lender={lender}
      onAbort={() => harness.aborts++}
      onExit={() => harness.exits++}
      size={{ columns: options.columns ?? 100, rows: options.rows ?? 30 }}
    />,
  );
  return harness;
}

/**
 * Starts the run and passes the preflight screen as an operator would (Enter). `afterStart` runs
 * between the two, for events the preflight should show.
 */
export async function begin(h: Harness, afterStart?: () => void): Promise<void> {
  h.start();
  afterStart?.();
  const begun = h.prompter.begin({
    summary: { tools: [], inputs: [], secrets: [], scopes: [], signingKey: { missing: 'no key yet' } },
  });
  await waitForText(h.ui, 'Press Enter to start');
  await settle();
  h.ui.stdin.write(KEY.enter);
  await begun;
}
