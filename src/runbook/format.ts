// How a lint problem reads: `file:line:col: message`, the form editors and CI annotators jump to.
import type { Problem } from './model';

export function formatProblem(path: string, problem: Problem): string {
  return `${path}:${problem.line}:${problem.column}: ${problem.message}`;
}
