// --json: every run event as one line of JSON on stdout, and nothing else there.
import type { EventBus } from '../core/bus';
import { asTextOutput } from '../core/events';

// JSON.stringify escapes C0 controls but writes C1 controls and bidi characters as they are; a
// terminal showing the stream would act on them. Escaped, the parsed values are unchanged.
const RAW_IN_JSON = /[\u0080-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function writeJsonLines(bus: EventBus, out: NodeJS.WritableStream = process.stdout): () => void {
  return bus.subscribe((event) => {
    // A command's output is bytes in the event and text in the stream, under the same key as ever.
    const value = event.type === 'output' ? asTextOutput(event) : event;
    if (!out.write(`${jsonLine(value)}\n`)) bus.holdFor(out);
  });
}
