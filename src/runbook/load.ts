// Reading a runbook from disk: anything that is not a readable UTF-8 text file becomes one problem at 1:1.
import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import { countLineEndings, type LineEndings } from './line-endings';
import { parseRunbook, type ParseResult } from './parse';

/** A 500-step runbook is about 70 KB; past this a file is not a runbook, and reading it costs seconds. */
export const MAX_RUNBOOK_BYTES = 1024 * 1024;

export interface LoadResult extends ParseResult {
  /** The line endings the file uses, when it could be read as text. */
  lineEndings?: LineEndings;
}

export async function loadRunbook(path: string): Promise<LoadResult> {
  let bytes: Buffer;
  try {
    bytes = await readAtMost(path, MAX_RUNBOOK_BYTES + 1);
  } catch (error) {
    return { problems: [{ line: 1, column: 1, message: readErrorMessage(error) }] };
  }
  if (bytes.length > MAX_RUNBOOK_BYTES) {
    return {
      problems: [
        {
          line: 1,
          column: 1,
          message: `this file is larger than ${MAX_RUNBOOK_BYTES / 1024 / 1024} MB, more than a runbook can be: split it into several runbooks`,
        },
      ],
    };
  }
  if (bytes.includes(0)) {
    return { problems: [{ line: 1, column: 1, message: 'this is a binary file, not a markdown runbook' }] };
  }
  // isUtf8 checks without building a string; a fatal TextDecoder took as long as parsing the blocks.
  if (!isUtf8(bytes)) {
    return { problems: [{ line: 1, column: 1, message: 'this file is not valid UTF-8 text: save it as UTF-8' }] };
  }
  // As TextDecoder did, a byte-order mark is not part of the text.
  const text = bytes.toString('utf8');
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return { ...parseRunbook(source, path), lineEndings: countLineEndings(source) };
}

/** The file's first `limit` bytes: a huge file (or /dev/zero) is never read whole into memory. */
async function readAtMost(path: string, limit: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let length = 0;
    while (length < limit) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, limit - length));
      const { bytesRead } = await file.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
    }
    return Buffer.concat(chunks, length);
  } finally {
    await file.close();
  }
}

function readErrorMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file: check the path';
    case 'EISDIR':
      return 'this is a folder, not a runbook file: name a .md file (handrail list shows the runbooks in a folder)';
    case 'EACCES':
    case 'EPERM':
      return 'cannot read this file: permission denied';
    default:
      return `cannot read this file: ${(error as Error)?.message ?? String(error)}`;
  }
}
