// Waiting for what an operator would see, instead of sleeping: poll the last frame until a
// predicate holds, and fail with that frame when it never does.
import { stripVTControlCharacters } from 'node:util';

export interface FrameSource {
  lastFrame(): string | undefined;
  stdin: { write(data: string): void };
}

export const KEY = {
  enter: '\r',
  escape: '\x1b',
  up: '\x1b[A',
  down: '\x1b[B',
  space: ' ',
  backspace: '\x7f',
  ctrlC: '\x03',
} as const;

export function frameText(source: FrameSource): string {
  return stripVTControlCharacters(source.lastFrame() ?? '');
}

export async function waitForFrame(
  source: FrameSource,
  predicate: (frame: string) => boolean,
  options: { timeoutMs?: number; what?: string } = {},
): Promise<string> {
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  for (;;) {
    const frame = frameText(source);
    if (predicate(frame)) return frame;
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${options.what ?? 'a frame'}; the last frame was:\n${frame}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const waitForText = (source: FrameSource, text: string, timeoutMs?: number): Promise<string> =>
  waitForFrame(source, (frame) => frame.includes(text), { timeoutMs, what: JSON.stringify(text) });

/** Writes keys, then waits until the frame shows `text`. */
export async function typeAndWait(source: FrameSource, keys: string | string[], text: string): Promise<string> {
  for (const key of Array.isArray(keys) ? keys : [keys]) {
    await settle();
    source.stdin.write(key);
  }
  return waitForText(source, text);
}

/** Lets a prompt that just appeared attach its key handler and arm itself before keys are written. */
export async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await new Promise((resolve) => setImmediate(resolve));
}
