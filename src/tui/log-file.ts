// Reads the end of a step's log file for the output viewer: at most `maxBytes`, so a step that
// printed gigabytes cannot fill memory when the operator presses l.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { clean } from './output-buffer';

export interface LogTail {
  lines: string[];
  /** Bytes before the part shown. */
  skippedBytes: number;
}

export function readLogTail(path: string, maxBytes = 1 << 20): LogTail {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - maxBytes);
    const buffer = Buffer.alloc(size - start);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, start + read);
      if (n === 0) break;
      read += n;
    }
    const lines = buffer.subarray(0, read).toString('utf8').split('\n');
    if (start > 0) lines.shift(); // a partial first line
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return { lines: lines.map((line) => clean(line)), skippedBytes: start };
  } finally {
    closeSync(fd);
  }
}
