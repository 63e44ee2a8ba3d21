// "Did you mean": the nearest known word to a misspelt one, by edit distance (a swap of two
// neighbouring letters counts as one edit, as in `chekc`). Kept apart from the parser so it
// survives a change of markdown library.

/** Optimal string alignment distance between two short words. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known word closest to `word`, when it is close enough to be a slip (1 edit, 2 for longer words). */
export function closest(word: string, known: Iterable<string>): string | undefined {
  const limit = word.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    if (candidate === word) return undefined;
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` — did you mean "x"?`, or nothing when no known word is near. */
export function didYouMean(word: string, known: Iterable<string>): string {
  const near = closest(word, known);
  return near === undefined ? '' : `: did you mean "${near}"?`;
}

/**
 * A fence's second word that is not a step kind but is one slip away from one (`chek`, `rnu`,
 * `githib`): the block would silently become prose, so it is an error.
 */
export function misspelledKind(word: string, kinds: readonly string[]): string | undefined {
  if (word.length < 3 || !/^[A-Za-z]+$/.test(word) || kinds.includes(word)) return undefined;
  return closest(word, kinds);
}
