// Colour only for a terminal that wants it: NO_COLOR (any value) or a pipe gives plain text.
import type { Style } from '../view/style';

export type { Style };

export function createStyle(options: { isTTY: boolean; env?: NodeJS.ProcessEnv }): Style {
  const env = options.env ?? process.env;
  const on = options.isTTY && env.NO_COLOR === undefined && env.TERM !== 'dumb';
  const wrap = (open: number, close: number) => (text: string) => (on ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return { bold: wrap(1, 22), dim: wrap(2, 22), green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}
