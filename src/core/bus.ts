// A synchronous fan-out of run events. Subscribers run in order, inside emit(): the journal's
// fsync therefore completes before the engine takes its next step.
//
// Flow control: a subscriber that writes to a slow reader (`handrail run … | less`) says so with
// holdFor(stream); while any such write is pending, `congested` is true and the engine stops reading
// the step's output until the reader catches up, so nothing piles up in memory.
import type { RunEvent } from './events';

export type Subscriber = (event: RunEvent) => void;

export class EventBus {
  private readonly subscribers: Subscriber[] = [];
  private readonly held = new Set<NodeJS.WritableStream>();
  private waiting: (() => void)[] = [];

  /** @param upstream a bus this one re-emits: a slow reader of this one holds the upstream's output too. */
  constructor(private readonly upstream?: EventBus) {}

  subscribe(subscriber: Subscriber): () => void {
    this.subscribers.push(subscriber);
    return () => {
      const i = this.subscribers.indexOf(subscriber);
      if (i >= 0) this.subscribers.splice(i, 1);
    };
  }

  emit(event: RunEvent): void {
    for (const subscriber of [...this.subscribers]) subscriber(event);
  }

  /** A write to `stream` was refused for now (write() returned false): hold output until it drains or closes. */
  holdFor(stream: NodeJS.WritableStream): void {
    if (this.upstream) return this.upstream.holdFor(stream);
    if (this.held.has(stream)) return;
    this.held.add(stream);
    const release = () => {
      stream.off('drain', release);
      stream.off('close', release);
      stream.off('error', release);
      this.held.delete(stream);
      if (this.held.size > 0) return;
      const waiting = this.waiting;
      this.waiting = [];
      for (const resume of waiting) resume();
    };
    stream.on('drain', release);
    stream.on('close', release);
    stream.on('error', release);
  }

  get congested(): boolean {
    return this.upstream ? this.upstream.congested : this.held.size > 0;
  }

  /** Calls `resume` once no write is held (at once when none is). */
  whenClear(resume: () => void): void {
    if (this.upstream) return this.upstream.whenClear(resume);
    if (this.held.size === 0) resume();
    else this.waiting.push(resume);
  }
}
