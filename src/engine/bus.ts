// A synchronous fan-out of run events. Subscribers run in order, inside emit(): the journal's
// fsync therefore completes before the engine takes its next step.
import type { RunEvent } from './events';

export type Subscriber = (event: RunEvent) => void;

export class EventBus {
  private readonly subscribers: Subscriber[] = [];

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
}
