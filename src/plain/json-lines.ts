// --json: every run event as one line of JSON on stdout, and nothing else there.
import type { EventBus } from '../engine/bus';

// JSON.stringify escapes C0 controls but writes C1 controls and bidi characters as they are; a
// terminal showing the stream would act on them. Escaped, the parsed values are unchanged.
const RAW_IN_JSON = /[\u0080-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function writeJsonLines(bus: EventBus, out: NodeJS.WritableStream = process.stdout): () => void {
  return bus.subscribe((event) => {
    if (!out.write(`${jsonLine(event)}\n`)) bus.holdFor(out);
  });
}
