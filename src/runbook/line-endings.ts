// Which line endings a runbook file uses. handrail reads LF, CRLF and a lone CR each as a line end,
// as CommonMark and GitHub do; lint says so when a file uses anything but LF, so a lone CR (which
// some editors show as part of one line) cannot quietly move text onto a line of its own.
import type { SourcePos } from '../core/model';

export interface LineEndings {
  lf: number;
  crlf: number;
  cr: number;
  /** Where the first lone CR is, 1-based, counting every kind of line end. */
  firstLoneCr?: SourcePos;
}

export function countLineEndings(text: string): LineEndings {
  const counts: LineEndings = { lf: 0, crlf: 0, cr: 0 };
  if (!text.includes('\r')) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) counts.lf++;
    return counts;
  }
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) counts.lf++;
    else if (c === 13 && text.charCodeAt(i + 1) === 10) {
      counts.crlf++;
      i++;
    } else if (c === 13) {
      counts.cr++;
      counts.firstLoneCr ??= { line, column: i - lineStart + 1 };
    } else continue;
    line++;
    lineStart = i + 1;
  }
  return counts;
}

/** One note for lint, or undefined when the file ends its lines with LF only. */
export function lineEndingNote(path: string, endings: LineEndings): string | undefined {
  const kinds = (['lf', 'crlf', 'cr'] as const).filter((kind) => endings[kind] > 0);
  if (endings.crlf === 0 && endings.cr === 0) return undefined;
  const names = { lf: 'LF', crlf: 'CRLF', cr: 'lone CR' };
  const read = kinds.map((kind) => `${endings[kind]} ${names[kind]}`).join(', ');
  if (endings.firstLoneCr) {
    const { line, column } = endings.firstLoneCr;
    return `${path}:${line}:${column}: note: line endings read: ${read}; a lone CR (the first is here) ends a line, as on GitHub, though some editors show it inside one line`;
  }
  return `${path}: note: line endings read: ${read}; each ends a line, as on GitHub`;
}
