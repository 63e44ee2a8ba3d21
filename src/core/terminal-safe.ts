// The one choke point for text bound for the operator's terminal (SPEC §3.2). Runbooks, values,
// captures, step output and records are written by others; none of them may send the terminal a
// control sequence. Controls become visible placeholders instead of being dropped, so a hidden
// part of a command is shown, not silently removed:
//   C0 (but newline and tab) and DEL → the Control Pictures block: ESC is ␛, CR is ␍, DEL is ␡;
//   C1 controls, bidi overrides/isolates/marks and the Unicode line/paragraph separators → <U+202E>.

import { isAscii, isUtf8 } from 'node:buffer';

const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
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

/** ASCII bytes terminalSafe changes: C0 controls but newline and tab, and DEL. */
const UNSAFE_ASCII = new Uint8Array(0x80);
for (let byte = 0; byte < 0x20; byte++) UNSAFE_ASCII[byte] = byte === 0x09 || byte === 0x0a ? 0 : 1;
UNSAFE_ASCII[0x7f] = 1;

/**
 * Whether valid UTF-8 `bytes` hold a character of UNSAFE, found from its encoding without decoding:
 * C1 controls are C2 80–9F, U+061C is D8 9C, U+200E/F, U+2028–202E are E2 80 8E/8F/A8–AE, and
 * U+2066–2069 are E2 81 A6–A9. Lead bytes never look like continuation bytes, so a match is a character.
 */
function holdsUnsafe(bytes: Uint8Array): boolean {
  const end = bytes.length;
  for (let i = 0; i < end; i++) {
    const byte = bytes[i];
    if (byte < 0x80) {
      if (UNSAFE_ASCII[byte] === 1) return true;
    } else if (byte === 0xc2) {
      if (bytes[i + 1] <= 0x9f) return true;
    } else if (byte === 0xd8) {
      if (bytes[i + 1] === 0x9c) return true;
    } else if (byte === 0xe2) {
      const second = bytes[i + 1];
      const third = bytes[i + 2];
      if (second === 0x80 && (third === 0x8e || third === 0x8f || (third >= 0xa8 && third <= 0xae))) return true;
      if (second === 0x81 && third >= 0xa6 && third <= 0xa9) return true;
    }
  }
  return false;
}

/**
 * Whether ASCII `bytes` hold a C0 control (but newline and tab) or DEL, looked at eight bytes at a
 * time: in a 32-bit word of bytes below 0x80, `(w - 0x20202020) & ~w & 0x80808080` is non-zero when
 * some byte is below 0x20, and `(w + 0x01010101) & ~w & 0x80808080` when some byte is 0x7f. Only the
 * words that do (most often for a newline) are looked at byte by byte.
 */
function asciiHoldsUnsafe(bytes: Uint8Array): boolean {
  let i = 0;
  // Words are read where they are aligned; the bytes before and after are looked at one by one.
  for (; i < bytes.length && (bytes.byteOffset + i) % 4 !== 0; i++) if (UNSAFE_ASCII[bytes[i]] === 1) return true;
  const pairs = (bytes.length - i) >> 3;
  const words = pairs > 0 ? new Int32Array(bytes.buffer, bytes.byteOffset + i, pairs * 2) : new Int32Array(0);
  for (let k = 0; k < words.length; k += 2) {
    const a = words[k];
    const b = words[k + 1];
    if (((((a - 0x20202020) & ~a) | ((b - 0x20202020) & ~b) | ((a + 0x01010101) & ~a) | ((b + 0x01010101) & ~b)) & 0x80808080) === 0)
      continue;
    for (let j = i + k * 4; j < i + k * 4 + 8; j++) if (UNSAFE_ASCII[bytes[j]] === 1) return true;
  }
  for (i += pairs * 8; i < bytes.length; i++) if (UNSAFE_ASCII[bytes[i]] === 1) return true;
  return false;
}

/**
 * terminalSafe for output as read (whole UTF-8 characters): the very same bytes when they are valid
 * UTF-8 with nothing to change, which is what a command almost always prints, so the common case is
 * checked in place and never decoded; anything else (a control, a bidi character, bytes that are not
 * UTF-8) goes through terminalSafe as text, and its safe encoding is returned.
 */
export function terminalSafeBytes(bytes: Buffer): Buffer {
  if (isAscii(bytes) ? !asciiHoldsUnsafe(bytes) : isUtf8(bytes) && !holdsUnsafe(bytes)) return bytes;
  return Buffer.from(terminalSafe(bytes.toString('utf8')));
}
