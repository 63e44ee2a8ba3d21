// `handrail records [DIR]`: past runs, newest first. It reads what each record claims; `handrail
// verify` is what checks the signature.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { HandrailError } from '../core/errors';
import { stateDir } from '../core/paths';
import type { Predicate } from '../record/predicate';
import { predicateOf } from '../record/read';
import { readBoundedFile } from '../team/bounded-file';
import { terminalSafeLine } from '../core/terminal-safe';

interface Row {
  file: string;
  predicate: Predicate;
}

/** Far above any record handrail writes; a bound, so a file planted in the folder cannot fill memory. */
const MAX_LISTED_BYTES = 16 * 1024 * 1024;

function readRecord(path: string): Predicate | undefined {
  try {
    // Never a FIFO (it would hang the listing) or a link to a device: those are listed as unreadable.
    return predicateOf(readBoundedFile(path, MAX_LISTED_BYTES));
  } catch {
    return undefined;
  }
}

export async function recordsCommand(dir: string | undefined): Promise<number> {
  const folder = dir ?? join(stateDir(), 'records');
  let names: string[];
  try {
    names = readdirSync(folder).filter((n) => n.endsWith('.json'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && dir === undefined) {
      process.stdout.write('No runs recorded yet.\n');
      return 0;
    }
    throw new HandrailError(`Cannot read the records folder ${folder}: ${(error as NodeJS.ErrnoException).code}.`);
  }
  const rows: Row[] = [];
  const unreadable: string[] = [];
  for (const name of names) {
    const predicate = readRecord(join(folder, name));
    if (predicate) rows.push({ file: name, predicate });
    else unreadable.push(name);
  }
  rows.sort((a, b) => (a.predicate.end < b.predicate.end ? 1 : a.predicate.end > b.predicate.end ? -1 : 0));
  if (rows.length === 0) process.stdout.write(`No runs recorded in ${folder}.\n`);
  else {
    const table = [
      // The full path: what `handrail verify` takes, so a line can be copied as it is.
      ['WHEN', 'RUNBOOK', 'VERSION', 'OUTCOME', 'MODE', 'OPERATOR', 'RECORD'],
      ...rows.map(({ file, predicate: p }) =>
        [p.end, p.runbook.id, p.runbook.version, p.outcome, p.mode, `${p.operator.user}@${p.operator.host}`, join(folder, file)].map(
          terminalSafeLine,
        ),
      ),
    ];
    const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
    for (const row of table) process.stdout.write(`${row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}\n`);
  }
  for (const name of unreadable) process.stderr.write(`handrail: warning: ${join(folder, name)} is not a handrail record; skipped.\n`);
  return 0;
}
