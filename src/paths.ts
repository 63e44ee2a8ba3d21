// Where handrail keeps state and configuration (XDG), and how it writes private files.
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'handrail');
}

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'handrail');
}

/**
 * Creates a directory (and parents) with mode 0700, one level at a time: Node's recursive mkdir
 * loops forever where a parent exists but refuses children with ENOENT (e.g. under /proc).
 */
export function ensurePrivateDir(path: string): string {
  const target = resolve(path);
  const missing: string[] = [];
  for (let dir = target; ; dir = dirname(dir)) {
    if (existsSync(dir)) break;
    missing.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  // Only folders made here are tightened (the umask may have loosened them): an existing folder the
  // operator named, such as `--record-dir .` or a shared records folder, keeps its mode.
  for (const dir of missing) {
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      continue;
    }
    try {
      chmodSync(dir, 0o700);
    } catch {
      // A directory we do not own keeps its mode; the files inside are still 0600.
    }
  }
  return path;
}

/** Writes a 0600 file atomically: temp file, fsync, rename. */
export function writePrivateFileAtomic(path: string, data: string | Uint8Array): void {
  ensurePrivateDir(dirname(path));
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
