// How a lint problem reads: `file:line:col: message`, the form editors and CI annotators jump to.
import { terminalSafeLine } from '../core/terminal-safe';
import type { Problem } from '../core/model';

export function formatProblem(path: string, problem: Problem): string {
  // The path and the message may quote the file: one line, nothing the terminal would act on.
  return terminalSafeLine(`${path}:${problem.line}:${problem.column}: ${problem.message}`);
}
