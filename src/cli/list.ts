// `handrail list [dir]`: the runbooks of a folder as aligned columns. An invalid runbook is listed with its
// first problem rather than hidden, so an operator sees why it will not run.
import { UsageError } from '../core/errors';
import { discoverRunbooks, type Discovered } from '../runbook/discover';
import { terminalSafeLine } from '../core/terminal-safe';

const HEADER = ['ID', 'VERSION', 'TITLE', 'PATH'];

export async function listCommand(dir: string): Promise<number> {
  let found: Discovered[];
  try {
    found = await discoverRunbooks(dir);
  } catch (error) {
    throw new UsageError(folderErrorMessage(dir, error));
  }
  if (found.length === 0) {
    process.stderr.write(`no runbooks (*.md files with front matter) in ${terminalSafeLine(dir)}\n`);
    return 0;
  }
  const rows = found.map((entry) => row(entry).map(terminalSafeLine));
  process.stdout.write(formatTable([HEADER, ...rows], process.stdout.isTTY === true && !process.env.NO_COLOR));
  return 0;
}

function row(entry: Discovered): string[] {
  if (entry.runbook) {
    const { meta } = entry.runbook;
    return [meta.id, meta.version, meta.title, entry.path];
  }
  const first = entry.problems[0];
  const more = entry.problems.length > 1 ? ` (+${entry.problems.length - 1} more; run handrail lint)` : '';
  return ['-', '-', `invalid: ${first.line}:${first.column}: ${first.message}${more}`, entry.path];
}

function width(text: string): number {
  return [...text].length;
}

function formatTable(rows: string[][], bold: boolean): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((r) => width(r[column]))));
  return rows
    .map((cells, index) => {
      const line = cells
        .map((cell, column) => (column === cells.length - 1 ? cell : cell + ' '.repeat(widths[column] - width(cell))))
        .join('  ');
      return index === 0 && bold ? `\u001b[1m${line}\u001b[22m\n` : `${line}\n`;
    })
    .join('');
}

function folderErrorMessage(dir: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return `no folder ${dir}: give the folder that holds your runbooks, e.g. handrail list ./runbooks`;
  if (code === 'ENOTDIR') return `${dir} is a file, not a folder: use handrail lint ${dir} to check one runbook`;
  if (code === 'EACCES' || code === 'EPERM') return `cannot read the folder ${dir}: permission denied`;
  return `cannot read the folder ${dir}: ${(error as Error)?.message ?? String(error)}`;
}
