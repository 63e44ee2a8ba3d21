// Proves, before step 1, that the journal, logs and record can be written: finding out after the
// last step that the record has nowhere to go leaves the operator with work done and nothing to show.
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../core/errors';
import { ensurePrivateDir } from '../core/paths';

/** The folder itself when it exists, else the nearest ancestor that does (it will be made there). */
function nearestExisting(dir: string): { path: string; isDirectory: boolean } {
  for (let path = resolve(dir); ; path = dirname(path)) {
    try {
      return { path, isDirectory: statSync(path).isDirectory() };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: a file sits somewhere above; keep climbing until it is found and named.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(path) === path) throw error;
    }
  }
}

export interface WritableDir {
  dir: string;
  /** What goes there, e.g. "completion records". */
  what: string;
  /** What the operator does about it, e.g. "pass a --record-dir you can write to". */
  fix: string;
}

/** Throws a UsageError (exit 2, nothing run) naming the first folder that cannot be written. */
export function assertWritableDirs(dirs: readonly WritableDir[]): void {
  for (const { dir, what, fix } of dirs) {
    let problem: string | undefined;
    try {
      const found = nearestExisting(dir);
      if (!found.isDirectory) problem = `${found.path} is a file, not a folder`;
      else {
        accessSync(found.path, constants.W_OK | constants.X_OK);
        // Permission bits do not tell everything (root passes them; /proc refuses new folders):
        // make the folder now, as it would be made after the last step.
        ensurePrivateDir(dir);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problem =
        code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EROFS'
            ? 'the file system is read-only'
            : (code ?? String(error));
    }
    if (problem) throw new UsageError(`Cannot write ${what} to ${dir} (${problem}); ${fix}.`);
  }
}
