// Binds the engine's event stream to the screen. It subscribes when the TUI starts (before React
// mounts, so no early event is lost), folds events into RunState, and feeds output into a ring
// buffer that is published at a fixed rate: a flood of chunks costs one re-render per tick.
import type { EventBus } from '../core/bus';
import { outputText, type Mode, type RunEvent } from '../core/events';
import type { Runbook } from '../core/model';
import { OutputBuffer } from './output-buffer';
import { initialState, reduce, type RunState } from '../view/run-state';

export interface RunSnapshot {
  state: RunState;
  /** Changes whenever the output ring changed since the last publish. */
  outputVersion: number;
}

export interface RunStoreOptions {
  /** How often buffered output reaches the screen. */
  flushMs?: number;
  /** Lines of live output kept in memory. */
  tailLines?: number;
}

export class RunStore {
  readonly output: OutputBuffer;
  private snapshot: RunSnapshot;
  /** The step whose output the ring holds. */
  outputOwner: string | undefined;
  private readonly kinds: Map<string, string>;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: () => void;
  private readonly flushMs: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(runbook: Runbook, mode: Mode, bus: EventBus, options: RunStoreOptions = {}) {
    this.output = new OutputBuffer({ capacity: options.tailLines ?? 200 });
    this.flushMs = options.flushMs ?? 80;
    this.snapshot = { state: initialState(runbook, mode), outputVersion: 0 };
    this.kinds = new Map(runbook.steps.map((step) => [step.id, step.kind]));
    this.unsubscribe = bus.subscribe((event) => this.onEvent(event));
  }

  getSnapshot = (): RunSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispose(): void {
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private onEvent(event: RunEvent): void {
    if (event.type === 'output') {
      this.output.push(outputText(event));
      this.scheduleFlush();
      return;
    }
    // Input and task-list steps print nothing: the last command's output stays until another runs.
    if (event.type === 'step-started' && this.executes(event.stepId)) {
      this.output.clear();
      this.outputOwner = event.stepId;
    }
    const state = reduce(this.snapshot.state, event);
    if (state === this.snapshot.state && event.type !== 'step-started') return;
    this.publish(state);
  }

  private executes(stepId: string): boolean {
    const kind = this.kinds.get(stepId);
    return kind !== 'input' && kind !== 'confirm';
  }

  private scheduleFlush(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.output.version !== this.snapshot.outputVersion) this.publish(this.snapshot.state);
    }, this.flushMs);
    this.timer.unref?.();
  }

  private publish(state: RunState): void {
    this.snapshot = { state, outputVersion: this.output.version };
    for (const listener of [...this.listeners]) listener();
  }
}
