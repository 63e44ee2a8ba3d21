// Two versions of a value as rows of a side-by-side view: lines both have are paired, a line only
// one side has stands alone, so a version added at the top of a list marks that version and not
// every line after it. A value that is JSON (a captured list) is shown one field per line first.

export interface PairedLine {
  /** Absent: this line is only on the other side. */
  left?: string;
  right?: string;
  differ: boolean;
}

/** The lines a value is shown as: JSON objects and arrays indented, anything else as written. */
export function valueLines(value: string): string[] {
  const trimmed = value.trim();
  if (/^[[{]/.test(trimmed)) {
    try {
      return JSON.stringify(JSON.parse(trimmed), null, 2).split('\n');
    } catch {
      // Not JSON after all: shown as written.
    }
  }
  return value.split('\n');
}

/** Beyond this many lines a side, lines are paired by position: the table below would grow too big. */
const MAX_ALIGNED = 2000;

export function pairLines(before: readonly string[], after: readonly string[]): PairedLine[] {
  if (before.length * after.length > (MAX_ALIGNED * MAX_ALIGNED) / 4) {
    return Array.from({ length: Math.max(before.length, after.length) }, (_, i) => ({
      ...(i < before.length ? { left: before[i] } : {}),
      ...(i < after.length ? { right: after[i] } : {}),
      differ: before[i] !== after[i],
    }));
  }
  // Longest common subsequence of lines, then a walk that pairs what is common.
  const n = before.length;
  const m = after.length;
  const common: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      common[i]![j] = before[i] === after[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
  const rows: PairedLine[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  // A run of removed lines next to a run of added ones reads best side by side, line against line.
  const flush = () => {
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      rows.push({ ...(k < removed.length ? { left: removed[k] } : {}), ...(k < added.length ? { right: added[k] } : {}), differ: true });
    }
    removed = [];
    added = [];
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      flush();
      rows.push({ left: before[i], right: after[j], differ: false });
      i++;
      j++;
    } else if (j >= m || (i < n && common[i + 1]![j]! >= common[i]![j + 1]!)) removed.push(before[i++]!);
    else added.push(after[j++]!);
  }
  flush();
  return rows;
}
