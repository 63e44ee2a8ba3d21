// The live tail of a step's output: a bounded ring of lines, so a step printing millions of
// lines costs the screen a fixed amount of memory. The full output lives in the step's log file.
//
// A flood arrives as ~64 KB chunks of hundreds of lines, and only the last few ever reach the
// screen. So a chunk is read from its end: newlines are counted, only the last `capacity` lines
// are cut out, and a line is made terminal-safe when the screen asks for it, not when it arrives.
import { terminalSafe } from '../core/terminal-safe';

export interface OutputBufferOptions {
  /** Lines kept; older ones fall off. */
  capacity?: number;
  /** Longest line kept, in characters; the screen truncates again to its width. */
  maxLineLength?: number;
}

export class OutputBuffer {
  private readonly capacity: number;
  private readonly maxLineLength: number;
  /** Lines as they arrived, cleaned (and cut) lazily into `cleaned`. A raw line is a slice of its
   * chunk, so at most `capacity` chunks stay referenced: bounded, whatever the step prints. */
  private readonly ring: string[];
  private readonly cleaned: (string | undefined)[];
  private start = 0;
  private count = 0;
  private partial = '';
  /** The unfinished line outgrew the memory kept for it, so its start is gone. */
  private partialCut = false;
  /** Lines completed since the step started, for "n lines" hints. */
  totalLines = 0;
  /** Bumped on every change; the flusher compares it to decide whether to re-render. */
  version = 0;

  constructor(options: OutputBufferOptions = {}) {
    this.capacity = Math.max(1, options.capacity ?? 200);
    this.maxLineLength = options.maxLineLength ?? 1000;
    this.ring = new Array<string>(this.capacity);
    this.cleaned = new Array<string | undefined>(this.capacity);
  }

  push(text: string): void {
    if (text.length === 0) return;
    this.version++;
    const lastNewline = text.lastIndexOf('\n');
    if (lastNewline < 0) {
      this.partial = this.keepEnd(this.partial + text);
      return;
    }
    let newlines = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines++;
    this.totalLines += newlines;

    // Walk back over the lines that will survive; the ones before them would scroll away unseen.
    const keep = Math.min(newlines, this.capacity);
    const kept = new Array<string>(keep);
    let end = lastNewline;
    for (let k = keep - 1; k >= 0; k--) {
      const before = end > 0 ? text.lastIndexOf('\n', end - 1) : -1;
      // Only the chunk's first line continues the unfinished one, and only it can reach index 0.
      kept[k] = before < 0 ? this.partial + text.slice(0, end) : text.slice(before + 1, end);
      end = before;
    }
    // An endless line that finally ended keeps showing its end: its start was dropped long ago.
    const endedCut = this.partialCut && keep === newlines;
    kept.forEach((line, k) => this.addLine(line, endedCut && k === 0 ? cleanEnd(line, this.maxLineLength, true) : undefined));
    this.partialCut = false;
    this.partial = lastNewline + 1 < text.length ? this.keepEnd(text.slice(lastNewline + 1)) : '';
  }

  /** Whether the last line of `tail()` is still being written (a progress bar, a prompt). */
  get unfinished(): boolean {
    return this.partial !== '';
  }

  /** The last `n` lines, oldest first, including an unfinished last line (cut from its start). */
  tail(n: number): string[] {
    const lines: string[] = [];
    const partial = this.partial ? cleanEnd(this.partial, this.maxLineLength, this.partialCut) : undefined;
    const wanted = Math.max(0, partial === undefined ? n : n - 1);
    const take = Math.min(wanted, this.count);
    for (let i = this.count - take; i < this.count; i++) lines.push(this.lineAt((this.start + i) % this.capacity));
    if (partial !== undefined && n > 0) lines.push(partial);
    return lines;
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
    this.partial = '';
    this.partialCut = false;
    this.totalLines = 0;
    this.ring.fill('');
    this.cleaned.fill(undefined);
    this.version++;
  }

  private lineAt(slot: number): string {
    let line = this.cleaned[slot];
    if (line === undefined) {
      line = clean(this.ring[slot], this.maxLineLength);
      this.cleaned[slot] = line;
      this.ring[slot] = '';
    }
    return line;
  }

  /** Keeps only the end of an endless line: that is what a progress bar wants seen. */
  private keepEnd(line: string): string {
    if (line.length <= this.maxLineLength * 2) return line;
    this.partialCut = true;
    return line.slice(-this.maxLineLength * 2);
  }

  private addLine(raw: string, cleaned?: string): void {
    let slot: number;
    if (this.count < this.capacity) {
      slot = (this.start + this.count) % this.capacity;
      this.count++;
    } else {
      slot = this.start;
      this.start = (this.start + 1) % this.capacity;
    }
    this.ring[slot] = cleaned === undefined ? raw : '';
    this.cleaned[slot] = cleaned;
  }
}

/**
 * One line as the screen shows it: after its last carriage return (a progress bar's latest state;
 * the bus may already have made that CR a visible ␍), with escapes and other controls made visible.
 */
export function clean(raw: string, maxLength = 1000): string {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const cr = Math.max(line.lastIndexOf('\r'), line.lastIndexOf('\u240d'));
  const visible = cr >= 0 ? line.slice(cr + 1) : line;
  const safe = terminalSafe(visible.length > maxLength * 2 ? visible.slice(0, maxLength * 2) : visible);
  return (safe.includes('\t') ? safe.replace(/\t/g, '  ') : safe).slice(0, maxLength);
}

/**
 * What a terminal shows of a line still being written: its end, where a progress bar or a spinner
 * is. A start that is cut here, or was already dropped (`cut`), is marked with an ellipsis.
 */
export function cleanEnd(raw: string, maxLength = 1000, cut = false): string {
  const line = clean(raw, Number.MAX_SAFE_INTEGER);
  // After a carriage return the terminal shows only what follows it, so nothing dropped shows.
  const startShown = raw.lastIndexOf('\r', raw.length - 2) < 0;
  if (cut && startShown) return `…${line.slice(-Math.max(0, maxLength - 1))}`;
  return truncateStart(line, maxLength);
}

/** Cuts a line to `width` columns with an ellipsis. */
export function truncate(line: string, width: number): string {
  if (width <= 0) return '';
  return line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line;
}

/** Cuts a line to its last `width` columns, with an ellipsis where its start was. */
export function truncateStart(line: string, width: number): string {
  if (width <= 0) return '';
  return line.length > width ? `…${line.slice(line.length - Math.max(0, width - 1))}` : line;
}
