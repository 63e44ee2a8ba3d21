// Bare `handrail`: choose a runbook from ./runbooks on a terminal, then run it as `handrail run` would.
import { HandrailError, UsageError } from '../core/errors';
import { discoverRunbooks, type Discovered } from '../runbook/discover';
import type { PickerEntry } from '../tui/picker';
import { safeForDisplay } from '../core/for-display';

const DIR = 'runbooks';

export async function pickCommand(): Promise<number> {
  let found: Discovered[];
  try {
    found = await discoverRunbooks(DIR);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new UsageError(
        `there is no ./${DIR} folder here; cd to a folder that has one, or run a file with \`handrail run <runbook.md>\`.`,
      );
    }
    throw new HandrailError(`cannot read ./${DIR}: ${(error as Error).message}`, 2);
  }
  // Titles and problems quote the files: the picker and the fallback list show them terminal-safe.
  const entries = found.map((entry) => safeForDisplay(toEntry(entry)));
  // Nothing to pick is said the same with or without a terminal, and never as "run one of these".
  if (entries.length === 0) {
    throw new UsageError(`./${DIR} holds no runbook (no .md file); put one there, or run a file with \`handrail run <runbook.md>\`.`);
  }
  if (!entries.some((entry) => !entry.problem)) {
    for (const entry of entries) process.stdout.write(`${describe(entry)}\n`);
    throw new UsageError(`./${DIR} has no valid runbook to pick; \`handrail lint ${DIR}/*.md\` says what to fix.`);
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    for (const entry of entries) process.stdout.write(`${describe(entry)}\n`);
    process.stderr.write('handrail: picking needs a terminal; run one of these with `handrail run <file>`.\n');
    return 2;
  }
  const { pickRunbook } = await import('../tui/picker');
  const choice = await pickRunbook(entries);
  if (!choice) return 0;
  const { runRunbook } = await import('./run');
  // The picker showed the safe form of the path; the file opened is the one it stands for.
  const path = found[entries.findIndex((entry) => entry.path === choice.path)]?.path ?? choice.path;
  return runRunbook(path, choice.dryRun ? { dryRun: true } : {});
}

function toEntry(found: Discovered): PickerEntry {
  const meta = found.runbook?.meta;
  const first = found.problems[0];
  if (!meta || first) {
    return { path: found.path, problem: first ? `${first.line}:${first.column}: ${first.message}` : 'cannot be read' };
  }
  return { path: found.path, id: meta.id, title: meta.title, version: meta.version, summary: meta.summary };
}

function describe(entry: PickerEntry): string {
  if (entry.problem) return `${entry.path}: invalid — ${entry.problem}`;
  return `${entry.id}\t${entry.version}\t${entry.title}\t${entry.path}`;
}
