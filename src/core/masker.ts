// One streaming masker for every output path: screen, logs, journal, record, --json, errors.
// Each secret is masked as written and in the forms it commonly leaks in: base64 (at every byte
// alignment, so it is caught inside a longer base64 blob such as `user:token`), base64url,
// URL-encoded, JSON-escaped and shell-quoted (what `set -x`, `printf %q` and `${VAR@Q}` print). Overlapping secrets are masked as the union of what they cover.
//
// Streams hold back only a tail that could still grow into a secret (a proper prefix of one), so
// ordinary output is not delayed, and never more than the longest form minus one byte. A stream is
// masked as the bytes it was read as (each form as its UTF-8 bytes), never decoded: the same matches
// as in the text, since UTF-8 never finds one character's encoding inside another's.
// Cost is linear in the output: one native indexOf pass per form, and a bounded tail check.
export const MASK = '••••';

/** Secrets shorter than this are not masked: they would shred ordinary output. */
const MIN_SECRET = 4;
/** Encoded fragments shorter than this are too likely to occur by chance. */
const MIN_FORM = 6;

/** The base64 characters that depend only on `secret`'s bytes when it starts `offset` bytes into a blob. */
function base64Core(bytes: Buffer, offset: number): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
  const start = Math.ceil((offset * 8) / 6);
  const end = Math.floor(((offset + bytes.length) * 8) / 6);
  return encoded.slice(start, end);
}

/** Characters bash's `printf %q` puts a backslash before (bash 5); `#` and `~` only at the start. */
const BASH_BACKSLASHED = /[ \t!"$&'()*,;<>?[\\\]^`{|}]/g;
/** zsh's `${(q)VAR}` and older shells escape every punctuation character. */
const ALL_PUNCTUATION = /[^A-Za-z0-9_\x80-\uffff]/g;
const ANSI_C: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\x1b': '\\E',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  "'": "\\'",
};

/**
 * The inside of the ways a shell quotes `secret` for re-input: the surrounding quotes are left out,
 * because `set -x` quotes a whole word, and the secret may be only part of it (`'Bearer it'\''s'`).
 */
export function shellForms(secret: string): string[] {
  const forms = [
    // `set -x`, `${VAR@Q}`, zsh: '…' with each ' written as '\''; dash/posh write '"'"'.
    secret.replace(/'/g, "'\\''"),
    secret.replace(/'/g, `'"'"'`),
    // `printf %q`: a backslash before each special character.
    secret.replace(BASH_BACKSLASHED, '\\$&').replace(/^[#~]/, '\\$&'),
    secret.replace(ALL_PUNCTUATION, '\\$&'),
    // Inside double quotes.
    secret.replace(/[\\"$`]/g, '\\$&'),
  ];
  // `printf %q` and `set -x` switch to $'…' for control characters.
  if (/[\x00-\x1f\x7f]/.test(secret)) {
    forms.push(secret.replace(/[\x00-\x1f\x7f\\']/g, (c) => ANSI_C[c] ?? `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`));
  }
  return forms;
}

export function leakForms(secret: string): string[] {
  const bytes = Buffer.from(secret);
  const forms = new Set<string>([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), ...shellForms(secret)]);
  const base64 = bytes.toString('base64');
  const cores = [0, 1, 2].map((offset) => base64Core(bytes, offset));
  for (const b64 of [base64, ...cores]) {
    forms.add(b64);
    forms.add(b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
  }
  return [...forms].filter((form) => form === secret || form.length >= MIN_FORM);
}

/** Whether `text` holds `secret` in any form the masker would mask. */
export function carriesSecret(text: string, secret: string): boolean {
  return secret.length >= MIN_SECRET && leakForms(secret).some((form) => text.includes(form));
}

const MASK_BYTES = Buffer.from(MASK);
const EMPTY = Buffer.alloc(0);

export class Masker {
  private readonly needles = new Set<string>();
  /** The needles as UTF-8, for streams. */
  private readonly byteNeedles: Buffer[] = [];
  /** First byte → needles starting with it, for the stream tail check. */
  private readonly byFirst = new Map<number, Buffer[]>();
  private maxLength = 0;

  /** Registers a secret value; values shorter than 4 characters are not masked (they would shred output). */
  add(secret: string): void {
    if (secret.length < MIN_SECRET) return;
    for (const form of leakForms(secret)) {
      if (this.needles.has(form)) continue;
      this.needles.add(form);
      const bytes = Buffer.from(form);
      this.byteNeedles.push(bytes);
      const list = this.byFirst.get(bytes[0]) ?? [];
      list.push(bytes);
      this.byFirst.set(bytes[0], list);
      this.maxLength = Math.max(this.maxLength, bytes.length);
    }
  }

  get size(): number {
    return this.needles.size;
  }

  /** Longest needle in bytes: the most a stream ever holds back is one less. */
  get longest(): number {
    return this.maxLength;
  }

  /** Masks a complete text. */
  mask(text: string): string {
    if (this.needles.size === 0) return text;
    const ranges: [number, number][] = [];
    for (const needle of this.needles) {
      for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) ranges.push([at, at + needle.length]);
    }
    return render(text, merge(ranges));
  }

  /** A stateful masker for one stream of output, as read. */
  stream(): StreamMasker {
    return new StreamMasker(this);
  }

  /** Sorted, merged [start, end) ranges of `bytes` that some needle covers. */
  cover(bytes: Buffer, extra?: [number, number]): [number, number][] {
    const ranges: [number, number][] = extra ? [extra] : [];
    for (const needle of this.byteNeedles) {
      for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) ranges.push([at, at + needle.length]);
    }
    return merge(ranges);
  }

  /** Start of the longest suffix of `bytes` that is a proper prefix of some needle; bytes.length if none. */
  holdFrom(bytes: Buffer): number {
    for (let i = Math.max(0, bytes.length - this.maxLength + 1); i < bytes.length; i++) {
      const candidates = this.byFirst.get(bytes[i]);
      if (!candidates) continue;
      const tail = bytes.length - i;
      if (candidates.some((needle) => needle.length > tail && needle.compare(bytes, i, bytes.length, 0, tail) === 0)) return i;
    }
    return bytes.length;
  }
}

/** Ranges sorted and merged where they overlap or touch. */
function merge(ranges: [number, number][]): [number, number][] {
  if (ranges.length < 2) return ranges;
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [ranges[0]];
  for (const [start, end] of ranges.slice(1)) {
    const last = merged[merged.length - 1];
    if (start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** `text` with every covered range replaced by MASK. */
function render(text: string, ranges: readonly [number, number][]): string {
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    out += text.slice(at, start) + MASK;
    at = end;
  }
  return out + text.slice(at);
}

/**
 * `bytes[0, to)` with every covered range (clipped to it) replaced by MASK; not copied when none is.
 * `continues`: the first range goes on with the MASK last emitted, and gets no second one.
 */
function renderBytes(bytes: Buffer, ranges: readonly [number, number][], to: number, continues: boolean): Buffer {
  const pieces: Buffer[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start >= to) break;
    pieces.push(bytes.subarray(at, start), continues && start === 0 ? EMPTY : MASK_BYTES);
    at = Math.min(end, to);
  }
  if (pieces.length === 0) return bytes.subarray(0, to);
  pieces.push(bytes.subarray(at, to));
  return Buffer.concat(pieces);
}

export class StreamMasker {
  private pending: Buffer = EMPTY;
  /** How many leading bytes of `pending` belong to a secret already partly masked. */
  private covered = 0;

  constructor(private readonly masker: Masker) {}

  /** Returns the output that is safe to emit now; may hold back a tail that could begin a secret. */
  push(chunk: Buffer): Buffer {
    if (this.masker.size === 0 && this.pending.length === 0) return chunk;
    const bytes = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    const ranges = this.masker.cover(bytes, this.covered > 0 ? [0, this.covered] : undefined);
    const hold = this.masker.holdFrom(bytes);
    // A secret that straddles the hold point is masked up to it now; the rest stays marked as covered,
    // also when all of it is held again (its end could still begin another secret).
    const continues = this.covered > 0;
    const straddling = ranges.find(([start, end]) => (start < hold || (start === 0 && continues)) && end > hold);
    this.covered = straddling ? straddling[1] - hold : 0;
    // A copy: the tail is short, and the read it came from need not stay alive with it.
    this.pending = Buffer.from(bytes.subarray(hold));
    return renderBytes(bytes, ranges, hold, continues);
  }

  /** Emits whatever was held back. */
  flush(): Buffer {
    const bytes = this.pending;
    const continues = this.covered > 0;
    const ranges = this.masker.cover(bytes, continues ? [0, this.covered] : undefined);
    this.pending = EMPTY;
    this.covered = 0;
    return renderBytes(bytes, ranges, bytes.length, continues);
  }
}
