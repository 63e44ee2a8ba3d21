// A fence's info string split into words with their file columns: `sh run id=x title="Push it" confirm`.
// micromark only splits off the first word, and quoted values may hold spaces, so handrail tokenizes it.

export interface InfoWord {
  /** The word as written, quotes included. */
  raw: string;
  key: string;
  /** Undefined for a bare flag; quotes removed. */
  value?: string;
  /** 1-based file column where the word starts. */
  column: number;
}

export type InfoParse = { words: InfoWord[] } | { error: string; column: number };

/**
 * @param line the whole fence line
 * @param fenceIndex 0-based index of the fence's first backtick or tilde in `line`
 */
export function tokenizeInfoString(line: string, fenceIndex: number): InfoParse {
  let i = fenceIndex;
  const fenceChar = line[i];
  while (line[i] === fenceChar) i++;
  const words: InfoWord[] = [];
  while (i < line.length) {
    if (/\s/.test(line[i])) {
      i++;
      continue;
    }
    const start = i;
    while (i < line.length && !/[\s=]/.test(line[i])) i++;
    const key = line.slice(start, i);
    if (line[i] !== '=') {
      words.push({ raw: key, key, column: start + 1 });
      continue;
    }
    i++;
    let value: string;
    const quote = line[i];
    if (quote === '"' || quote === "'") {
      const end = line.indexOf(quote, i + 1);
      if (end < 0) return { error: `${key}= has an opening ${quote} without a closing one`, column: i + 1 };
      value = line.slice(i + 1, end);
      i = end + 1;
      if (i < line.length && !/\s/.test(line[i])) {
        return { error: `put a space after the closing ${quote} of ${key}=`, column: i + 1 };
      }
    } else {
      const valueStart = i;
      while (i < line.length && !/\s/.test(line[i])) i++;
      value = line.slice(valueStart, i);
    }
    words.push({ raw: line.slice(start, i), key, value, column: start + 1 });
  }
  return { words };
}
