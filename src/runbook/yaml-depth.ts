// A cheap look at how deeply a YAML text nests, before the yaml library builds it: the library's
// composer recurses, so thousands of nested `[` or `- - -` take it seconds and end in a stack
// overflow. The lexer is linear and stops at the first place that is too deep.
import { CST, Lexer } from 'yaml';

/** Deeper than any runbook needs (front matter is 3–4 levels), far below what is slow. */
export const MAX_YAML_DEPTH = 64;

// Tokens the lexer emits that are not text of the source (document and flow markers).
const MARKERS = new Set([CST.DOCUMENT, CST.FLOW_END, CST.SCALAR]);

/**
 * The 0-based offset where nesting first exceeds `max` levels, or undefined. The count is an upper
 * bound: each open indentation level, each `-`, `?` and `:` on a line, and each open `[`/`{`.
 */
export function tooDeepAt(text: string, max = MAX_YAML_DEPTH): number | undefined {
  const indents: number[] = [];
  let offset = 0;
  let flow = 0;
  let onLine = 0;
  let lineStart = true;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    if (lineStart && type !== 'newline') {
      const indent = type === 'space' ? token.length - token.trimStart().length : 0;
      while (indents.length > 0 && indents[indents.length - 1] > indent) indents.pop();
      if (indents[indents.length - 1] !== indent) indents.push(indent);
      lineStart = false;
      onLine = 0;
    }
    if (type === 'newline') lineStart = true;
    else if (type === 'seq-item-ind' || type === 'explicit-key-ind' || type === 'map-value-ind') onLine++;
    else if (type === 'flow-seq-start' || type === 'flow-map-start') flow++;
    else if ((type === 'flow-seq-end' || type === 'flow-map-end') && flow > 0) flow--;
    if (indents.length + onLine + flow > max) return offset;
    if (!MARKERS.has(token)) offset += token.length;
  }
  return undefined;
}
