// The runbooks of a folder: every *.md file in it (not its subfolders), sorted by name. A README.md
// without front matter is the folder's documentation, not a runbook, so it is left out.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadRunbook } from './load';
import type { Problem, Runbook } from '../core/model';

export interface Discovered {
  path: string;
  runbook?: Runbook;
  problems: Problem[];
}

/** Throws the fs error when `dir` cannot be listed; the caller words it for the operator. */
export async function discoverRunbooks(dir: string): Promise<Discovered[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && e.name.toLowerCase().endsWith('.md'))
    .map((e) => e.name)
    .sort();
  const found: Discovered[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const result = await loadRunbook(path);
    if (/^readme\.md$/i.test(name) && isMissingFrontMatter(result.problems)) continue;
    found.push({ path, ...result });
  }
  return found;
}

function isMissingFrontMatter(problems: readonly Problem[]): boolean {
  return problems.length === 1 && problems[0].message.startsWith('no front matter');
}
