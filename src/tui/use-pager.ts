// The keys of a full-screen reader (the step's output, the step's prose): one line or one page at a
// time, either end, and the keys that close it. One definition, so both readers move alike.
import { useInput } from 'ink';
import { useState } from 'react';

export interface PagerOptions {
  /** Rows shown at once. */
  page: number;
  /** The last top row that still fills the page. */
  maxTop: number;
  /** Where it opens: the top (prose) or the end (output). */
  start: 'top' | 'end';
  /** Letters that close it, besides Esc. */
  closeKeys: string[];
  active: boolean;
  onClose(): void;
}

/** The first row shown, moved by ↑/↓ j/k, PgUp/PgDn b/f/Space, g/G Home/End. */
export function usePager({ page, maxTop, start, closeKeys, active, onClose }: PagerOptions): number {
  const [top, setTop] = useState(start === 'end' ? maxTop : 0);
  useInput(
    (input, key) => {
      if (key.escape || closeKeys.includes(input)) onClose();
      else if (key.upArrow || input === 'k') setTop((t) => Math.max(0, t - 1));
      else if (key.downArrow || input === 'j') setTop((t) => Math.min(maxTop, t + 1));
      else if (key.pageUp || input === 'b') setTop((t) => Math.max(0, t - page));
      else if (key.pageDown || input === ' ' || input === 'f') setTop((t) => Math.min(maxTop, t + page));
      else if (input === 'g' || key.home) setTop(0);
      else if (input === 'G' || key.end) setTop(maxTop);
    },
    { isActive: active },
  );
  return Math.min(top, maxTop);
}
