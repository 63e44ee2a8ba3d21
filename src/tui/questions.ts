// The engine's questions, queued for the screen. The prompter puts a question here and awaits
// the answer; the container component shows whichever question is first and answers it.
import type { AnyAsk, QuestionKind } from '../core/prompter';
import { RunAborted } from '../engine/context';

/** An open question on the queue: checking `kind` narrows its request and the answer `resolve` takes. */
export type PendingAsk<K extends QuestionKind = QuestionKind> = AnyAsk<K> & { id: number };

/** Thrown into the engine when the operator aborts while it waits for a value it cannot refuse. */
export class OperatorAbort extends RunAborted {
  constructor() {
    super('aborted by the operator');
  }
}

type Listener = () => void;

export class QuestionQueue {
  private readonly queue: { ask: PendingAsk; reject(error: Error): void }[] = [];
  private readonly listeners = new Set<Listener>();
  private nextId = 1;

  /**
   * Puts a question on the queue and waits for its answer. `make` builds the question around the
   * answer function the queue hands it, with a literal kind, so the answer type is checked against
   * the kind without a cast (a generic kind cannot be shown to be one member of the union).
   */
  ask<T>(make: (resolve: (answer: T) => void) => AnyAsk): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const id = this.nextId++;
      const ask = make((answer) => {
        if (this.remove(id)) resolve(answer);
      });
      this.queue.push({
        ask: { ...ask, id },
        reject: (error) => {
          if (this.remove(id)) reject(error);
        },
      });
      this.notify();
    });
  }

  /** The question on screen now. */
  current = (): PendingAsk | undefined => this.queue[0]?.ask;

  /** Refuses every open question (abort, unmount): the engine sees the error and ends the run. */
  rejectAll(error: Error): void {
    for (const entry of [...this.queue]) entry.reject(error);
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private remove(id: number): boolean {
    const i = this.queue.findIndex((entry) => entry.ask.id === id);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    this.notify();
    return true;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
