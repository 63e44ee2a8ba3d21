// Reading a runbook from disk: anything that is not a readable UTF-8 text file becomes one problem at 1:1.
import { isUtf8 } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { parseRunbook, type ParseResult } from './parse';

export async function loadRunbook(path: string): Promise<ParseResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return { problems: [{ line: 1, column: 1, message: readErrorMessage(error) }] };
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
  return parseRunbook(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, path);
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
