// One streaming masker for every output path: screen, logs, journal, record, --json, errors.
// It replaces each secret value (and its base64 and URL-encoded forms) with ••••, including a
// value split across chunk boundaries, by holding back the shortest tail that could start one.
// TODO(secrets): tests for split values and encoded forms.
export const MASK = '••••';

export class Masker {
  private readonly needles = new Set<string>();
  private maxLength = 0;

  /** Registers a secret value; values shorter than 4 characters are not masked (they would shred output). */
  add(secret: string): void {
    if (secret.length < 4) return;
    for (const form of [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)]) {
      if (form.length >= 4) this.needles.add(form);
      this.maxLength = Math.max(this.maxLength, form.length);
    }
  }

  get size(): number {
    return this.needles.size;
  }

  /** Masks a complete text. */
  mask(text: string): string {
    if (this.needles.size === 0) return text;
    let out = text;
    // Longest first, so an encoded form containing a shorter one is replaced whole.
    for (const needle of [...this.needles].sort((a, b) => b.length - a.length)) out = out.split(needle).join(MASK);
    return out;
  }

  /** A stateful masker for one stream of chunks. */
  stream(): StreamMasker {
    return new StreamMasker(this);
  }

  /** Longest needle, for stream hold-back. */
  get longest(): number {
    return this.maxLength;
  }
}

export class StreamMasker {
  private pending = '';

  constructor(private readonly masker: Masker) {}

  /** Returns the text that is safe to emit now; may hold back a tail that could begin a secret. */
  push(chunk: string): string {
    if (this.masker.size === 0) return chunk;
    const text = this.masker.mask(this.pending + chunk);
    const hold = Math.min(text.length, this.masker.longest - 1);
    this.pending = text.slice(text.length - hold);
    return text.slice(0, text.length - hold);
  }

  /** Emits whatever was held back. */
  flush(): string {
    const rest = this.masker.mask(this.pending);
    this.pending = '';
    return rest;
  }
}
