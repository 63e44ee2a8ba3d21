// A list of choices as the views show it. Values come from others (a GitHub answer captured with
// `choices_from`), so two of them can look the same once made terminal-safe: a value holding ESC and
// another holding the ␛ that stands for it, duplicates, labels that differ only in a control
// character. The views answer with what they were shown, so what they are shown must name exactly
// one value: every shown key and label here is distinct, and the answer is mapped back to the real
// value by its position, never by reading the shown form as a value.
import { terminalSafeLine } from './terminal-safe';

export interface ShownChoices {
  /** Terminal-safe, distinct: what a view answers with. */
  keys: string[];
  /** Terminal-safe, distinct: what a view shows for each key (the key itself when no labels were given). */
  labels: string[];
}

/**
 * Makes each text distinct by adding " (2)", " (3)"… to the second and later of texts that read the
 * same, skipping a suffix that would read like another text of the list.
 */
export function distinct(texts: readonly string[]): string[] {
  const taken = new Set(texts);
  const seen = new Set<string>();
  return texts.map((text) => {
    if (!seen.has(text)) {
      seen.add(text);
      return text;
    }
    let n = 2;
    while (taken.has(`${text} (${n})`)) n++;
    const unique = `${text} (${n})`;
    taken.add(unique);
    seen.add(unique);
    return unique;
  });
}

export function shownChoices(values: readonly string[], labels?: readonly string[]): ShownChoices {
  const keys = distinct(values.map(terminalSafeLine));
  const shownLabels = labels ? distinct(labels.map(terminalSafeLine)) : keys;
  return { keys, labels: shownLabels };
}

/** The real value a view's answer stands for; an answer that is not one of the keys is passed on (typed text). */
export function realChoice(answer: string, keys: readonly string[], values: readonly string[]): string {
  const index = keys.indexOf(answer);
  return index >= 0 ? values[index] : answer;
}
