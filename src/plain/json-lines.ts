// --json: every run event as one line of JSON on stdout, and nothing else there.
import type { EventBus } from '../engine/bus';

export function writeJsonLines(bus: EventBus, out: NodeJS.WritableStream = process.stdout): () => void {
  return bus.subscribe((event) => {
    out.write(`${JSON.stringify(event)}\n`);
  });
}
