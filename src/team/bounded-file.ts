// Reading a file someone else may have put there (a record in the records folder, a blob in the
// cache) without trusting what it is: never through a symlink (a link to /dev/zero reads forever),
// never blocking (opening a FIFO waits for a writer that never comes), only a regular file, and
// never more than `max` bytes, however the file grows between the size check and the read.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Why a file was not read, as a clause: "it is not a regular file". ENOENT and the like pass through. */
export class UnreadableFile extends Error {}

/** `followLinks`: for a path the operator gave (a runbook), a link to a regular file is read; a device still is not. */
export function readBoundedFile(path: string, max: number, options: { followLinks?: boolean } = {}): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (options.followLinks ? 0 : constants.O_NOFOLLOW));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new UnreadableFile('it is a symbolic link, not a regular file');
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UnreadableFile('it is not a regular file');
    if (stat.size > max) throw new UnreadableFile(`it is ${sizeText(stat.size)}; a file over ${sizeText(max)} is not read here`);
    // One byte more than fstat said, to see a file that grew after it: never read past the bound.
    const buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0;) length += n;
    if (length !== stat.size) throw new UnreadableFile('it changed while it was read');
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

function sizeText(size: number): string {
  return size >= 1024 * 1024
    ? `${Number.isInteger(size / (1024 * 1024)) ? size / (1024 * 1024) : (size / (1024 * 1024)).toFixed(1)} MB`
    : `${Math.ceil(size / 1024)} KB`;
}
