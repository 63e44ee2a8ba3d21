// What `handrail run` checks before it decides anything: the runbook reads without a problem
// (`file:line:col: message`, exit 2, nothing run), someone can answer questions, and the journal,
// logs and record have somewhere to go.
import { join } from 'node:path';
import { UsageError } from '../core/errors';
import type { Runbook } from '../core/model';
import { stateDir } from '../core/paths';
import { formatProblem } from '../runbook/format';
import { loadRunbook } from '../runbook/load';
import { assertWritableDirs } from './writable-dirs';

/** The runbook, or undefined after its problems were said (the run exits 2). */
export async function loadForRun(path: string, options: { yes?: boolean; recordDir?: string }): Promise<Runbook | undefined> {
  const loaded = await loadRunbook(path);
  if (!loaded.runbook || loaded.problems.length) {
    for (const problem of loaded.problems) process.stderr.write(`${formatProblem(path, problem)}\n`);
    if (!loaded.problems.length) process.stderr.write(`${path}:1:1: this runbook could not be read\n`);
    return undefined;
  }
  if (options.yes !== true && !process.stdin.isTTY) {
    throw new UsageError(
      'stdin is not a terminal, so nobody can answer questions; run it from a terminal, or pass --yes with --set NAME=VALUE for each input.',
    );
  }
  assertWritableDirs([
    {
      dir: stateDir(),
      what: 'the run journal and step logs',
      fix: 'fix its permissions, or point XDG_STATE_HOME at a folder you can write to',
    },
    { dir: options.recordDir ?? join(stateDir(), 'records'), what: 'the completion record', fix: 'pass a --record-dir you can write to' },
  ]);
  return loaded.runbook;
}
