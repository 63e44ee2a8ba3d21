// The one choke point for text bound for the operator's terminal (SPEC §3.2). Runbooks, values,
// captures, step output and records are written by others; none of them may send the terminal a
// control sequence. Controls become visible placeholders instead of being dropped, so a hidden
// part of a command is shown, not silently removed:
//   C0 (but newline and tab) and DEL → the Control Pictures block: ESC is ␛, CR is ␍, DEL is ␡;
//   C1 controls, bidi overrides/isolates/marks and the Unicode line/paragraph separators → <U+202E>.

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const UNSAFE_ALL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The visible stand-in for one unsafe character. */
export function placeholder(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/**
 * Text that may span lines (a command, prose, output): newlines and tabs stay, a CRLF line ending
 * reads as a newline, every other control and bidi character becomes a visible placeholder.
 */
export function terminalSafe(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(/\r\n/g, '\n').replace(UNSAFE_ALL, placeholder);
}

/**
 * A value shown inside a line (a title, a value, a task item, a table cell): as terminalSafe, and
 * a line break in it shows as ⏎ rather than starting a line of its own that could pose as handrail's.
 */
export function terminalSafeLine(text: string): string {
  const safe = terminalSafe(text);
  return safe.includes('\n') ? safe.replace(/\n/g, '⏎') : safe;
}

/** Whether text holds anything terminalSafe would change (other than a CRLF line ending). */
export function hasUnsafe(text: string): boolean {
  return UNSAFE.test(text);
}
