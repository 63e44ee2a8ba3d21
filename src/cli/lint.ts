// `handrail lint <file>...`: every problem as `file:line:col: message` on stdout, so it can be piped to an
// editor or CI annotator; a one-line summary on stderr. Exit 2 when any file has a problem.
import { formatProblem } from '../runbook/format';
import { lineEndingNote } from '../runbook/line-endings';
import { loadRunbook } from '../runbook/load';
import { terminalSafeLine } from '../core/terminal-safe';

export async function lintCommand(files: string[]): Promise<number> {
  let problemCount = 0;
  let badFiles = 0;
  for (const file of files) {
    const { problems, lineEndings } = await loadRunbook(file);
    // On stderr: stdout stays `file:line:col: message` lines for editors and CI annotators.
    const note = lineEndings && lineEndingNote(file, lineEndings);
    if (note) process.stderr.write(`${terminalSafeLine(note)}\n`);
    if (problems.length === 0) continue;
    badFiles++;
    problemCount += problems.length;
    process.stdout.write(problems.map((p) => `${formatProblem(file, p)}\n`).join(''));
  }
  const runbooks = `${files.length} runbook${files.length === 1 ? '' : 's'}`;
  if (problemCount === 0) {
    process.stderr.write(`${runbooks} ok\n`);
    return 0;
  }
  process.stderr.write(`${problemCount} problem${problemCount === 1 ? '' : 's'} in ${badFiles} of ${runbooks}\n`);
  return 2;
}
