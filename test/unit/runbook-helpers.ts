// Builds small runbooks for parser tests and finds where a snippet sits, so expected positions are not hand-counted.
import { parseRunbook } from '../../src/runbook/parse';
import type { Problem } from '../../src/core/model';

export const FRONT = [
  '---',
  'id: t',
  'title: Test runbook',
  'version: 1.0.0',
  'inputs:',
  '  ORG:',
  '    prompt: Organisation',
  'secrets:',
  '  PAT:',
  '    prompt: A token',
  '---',
  '',
].join('\n');

export function withFront(body: string): string {
  return FRONT + body;
}

export function parse(source: string) {
  return parseRunbook(source, 'test/fixtures/runbooks/inline.md');
}

export function problemsOf(source: string): Problem[] {
  const result = parse(source);
  if (result.problems.length === 0 && !result.runbook) throw new Error('neither a runbook nor problems');
  return result.problems;
}

/** 1-based line and column of the n-th occurrence (default first) of `needle` in `source`. */
export function where(source: string, needle: string, occurrence = 1): { line: number; column: number } {
  let index = -1;
  for (let i = 0; i < occurrence; i++) {
    index = source.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`"${needle}" not found in the test runbook`);
  }
  const before = source.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}
