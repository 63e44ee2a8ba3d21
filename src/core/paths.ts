// Where handrail keeps state and configuration (XDG), and how it writes private files.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

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

/**
 * Flags for every file handrail creates: a new file only (O_EXCL), never through a symlink
 * (O_NOFOLLOW), so a link planted in a shared folder cannot redirect a write to another file.
 */
export const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Whether anything is at `path`, a dangling symlink included (existsSync follows links). */
export function pathTaken(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** A temporary name beside `path` that nobody can guess in advance (and plant a link at). */
function temporaryName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
}

/** Writes `data` to a new 0600 temporary file beside `path`, synced; returns its name. */
function writeTemporary(path: string, data: string | Uint8Array): string {
  ensurePrivateDir(dirname(path));
  const tmp = temporaryName(path);
  const fd = openSync(tmp, CREATE_NEW, 0o600);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
  closeSync(fd);
  return tmp;
}

/** Writes a 0600 file atomically, replacing `path` (never what a link at `path` points to). */
export function writePrivateFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = writeTemporary(path, data);
  try {
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/**
 * Writes a new 0600 file whole, or throws EEXIST when anything (a file, a link) is already at `path`:
 * a record never replaces another file.
 */
export function writePrivateFileNew(path: string, data: string | Uint8Array): void {
  const tmp = writeTemporary(path, data);
  try {
    linkSync(tmp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') {
      rmSync(tmp, { force: true });
      throw error;
    }
    // A file system without hard links: create the name exclusively and copy the bytes in.
    rmSync(tmp, { force: true });
    const fd = openSync(path, CREATE_NEW, 0o600);
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return;
  }
  rmSync(tmp, { force: true });
}
