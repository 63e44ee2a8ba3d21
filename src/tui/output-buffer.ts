// The live tail of a step's output: a bounded ring of lines, so a step printing millions of
// lines costs the screen a fixed amount of memory. The full output lives in the step's log file.

const ANSI = /\x1b\[[0-9;?]*[ -\/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

export interface OutputBufferOptions {
  /** Lines kept; older ones fall off. */
  capacity?: number;
  /** Longest line kept, in characters; the screen truncates again to its width. */
  maxLineLength?: number;
}

export class OutputBuffer {
  private readonly capacity: number;
  private readonly maxLineLength: number;
  private readonly ring: string[];
  private start = 0;
  private count = 0;
  private partial = '';
  /** Lines completed since the step started, for "n lines" hints. */
  totalLines = 0;
  /** Bumped on every change; the flusher compares it to decide whether to re-render. */
  version = 0;

  constructor(options: OutputBufferOptions = {}) {
    this.capacity = options.capacity ?? 200;
    this.maxLineLength = options.maxLineLength ?? 1000;
    this.ring = new Array<string>(this.capacity);
  }

  push(text: string): void {
    if (text.length === 0) return;
    this.version++;
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      if (nl < 0) break;
      this.addLine(this.partial + text.slice(from, nl));
      this.partial = '';
      from = nl + 1;
    }
    if (from < text.length) {
      // Keep only the end of an endless line: that is what a progress bar wants seen.
      this.partial = (this.partial + text.slice(from)).slice(-this.maxLineLength * 2);
    }
  }

  /** The last `n` lines, oldest first, including an unfinished last line. */
  tail(n: number): string[] {
    const lines: string[] = [];
    const partial = this.partial ? clean(this.partial, this.maxLineLength) : undefined;
    const wanted = Math.max(0, partial === undefined ? n : n - 1);
    const take = Math.min(wanted, this.count);
    for (let i = this.count - take; i < this.count; i++) lines.push(this.ring[(this.start + i) % this.capacity]);
    if (partial !== undefined && n > 0) lines.push(partial);
    return lines;
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
    this.partial = '';
    this.totalLines = 0;
    this.version++;
  }

  private addLine(raw: string): void {
    const line = clean(raw, this.maxLineLength);
    this.totalLines++;
    if (this.count < this.capacity) {
      this.ring[(this.start + this.count) % this.capacity] = line;
      this.count++;
    } else {
      this.ring[this.start] = line;
      this.start = (this.start + 1) % this.capacity;
    }
  }
}

/** What a terminal would show of one line: after the last carriage return, without escapes. */
export function clean(raw: string, maxLength = 1000): string {
  const cr = raw.lastIndexOf('\r', raw.length - 2);
  const visible = cr >= 0 ? raw.slice(cr + 1) : raw;
  return visible.replace(ANSI, '').replace(/\t/g, '  ').replace(CONTROL, '').slice(0, maxLength);
}

/** Cuts a line to `width` columns with an ellipsis. */
export function truncate(line: string, width: number): string {
  if (width <= 0) return '';
  return line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line;
}
