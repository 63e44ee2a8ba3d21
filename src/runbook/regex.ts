// Regexes written by runbook authors (`pattern:`, `expect=`): compiled once here so lint and the engine agree.

/** The compile error as one short sentence, or undefined when the regex is valid. */
export function regexError(source: string): string | undefined {
  try {
    new RegExp(source, 'u');
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^Invalid regular expression: /, '');
  }
}

/** `pattern:` must match the whole value, as SPEC §1.1 says. */
export function matchesWhole(pattern: string, value: string): boolean {
  return new RegExp(`^(?:${pattern})$`, 'u').test(value);
}
