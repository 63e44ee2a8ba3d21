// YAML embedded in a runbook (front matter, input and github bodies), parsed with positions so every
// problem points at the file's own line and column, not at a line inside the embedded snippet.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { $ZodIssue } from 'zod/v4/core';
import type { Problem, SourcePos } from './model';
import { MAX_YAML_DEPTH, tooDeepAt } from './yaml-depth';

/** Front matter is a few KB; more in one YAML block is not a runbook, and costs the parser seconds. */
export const MAX_YAML_BYTES = 64 * 1024;
/** Aliases (`*name`) may be expanded this many times in all: an alias bomb stops here. */
export const MAX_YAML_ALIASES = 100;

/** What to do about the YAML mistakes authors make most. */
const YAML_HINTS: Partial<Record<string, string>> = {
  BLOCK_AS_IMPLICIT_KEY: ' — put the value in quotes if it contains ": "',
  DUPLICATE_KEY: ' — remove one of the two',
  TAB_AS_INDENT: ' — indent with spaces',
};

export type PathSegment = string | number;

export class YamlSource {
  readonly doc: Document.Parsed;
  readonly problems: Problem[] = [];
  private readonly lines = new LineCounter();

  /**
   * @param firstLine file line of the snippet's first line (1-based)
   * @param indent columns the snippet is indented by in the file (a block inside a list item)
   */
  constructor(
    readonly text: string,
    private readonly firstLine: number,
    private readonly indent = 0,
  ) {
    const refused = refusal(text);
    // logLevel 'error': the library would otherwise print its warnings (e.g. about a key that is a
    // list) straight to the operator's terminal.
    this.doc = parseDocument(refused ? '' : text, { lineCounter: this.lines, prettyErrors: true, logLevel: 'error' });
    if (refused) {
      const { line, col } = linePos(text, refused.offset);
      this.problems.push({ ...this.fileFromSnippet(line, col), message: refused.message });
    }
    for (const error of this.doc.errors) {
      const at = error.linePos?.[0] ?? { line: 1, col: 1 };
      const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      const hint = YAML_HINTS[error.code] ?? '';
      this.problems.push({ ...this.fileFromSnippet(at.line, at.col), message: `invalid YAML: ${message}${hint}` });
    }
  }

  get ok(): boolean {
    if (this.problems.length === 0 && this.js === undefined) this.build();
    return this.problems.length === 0;
  }

  value(): unknown {
    if (this.js === undefined) this.build();
    return this.js?.value;
  }

  private js: { value: unknown } | undefined;

  /** The document as plain values, once; an alias bomb becomes a problem at its first alias. */
  private build(): void {
    try {
      this.js = { value: this.doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) };
    } catch (error) {
      this.js = { value: undefined };
      let first: number | undefined;
      visit(this.doc, { Alias: (_, node) => ((first = node.range?.[0]), visit.BREAK) });
      const reason = error instanceof Error && /alias/i.test(error.message)
        ? `its aliases (*name) expand to more than ${MAX_YAML_ALIASES} copies; write the values out instead`
        : `it cannot be read: ${error instanceof Error ? error.message : String(error)}`;
      this.problems.push({ ...this.at(first ?? 0), message: `invalid YAML: ${reason}` });
    }
  }

  /** Position of a 0-based offset into the snippet. */
  at(offset: number): SourcePos {
    const { line, col } = this.lines.linePos(offset);
    return this.fileFromSnippet(line, col);
  }

  /** Where the value at `path` is written: its key when it has one (`pattern:`), else the node itself. */
  positionOf(path: readonly PathSegment[]): SourcePos {
    let node: unknown = this.doc.contents;
    let best: SourcePos = this.startOfSnippet(node);
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) return best;
        best = this.nodeStart(pair.key) ?? best;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (!item) return best;
        best = this.nodeStart(item) ?? best;
        node = item;
      } else return best;
    }
    return best;
  }

  /** Where the value (not the key) at `path` starts, and whether it is a quoted scalar. */
  valueStart(path: readonly PathSegment[]): { offset: number; quoted: boolean } | undefined {
    const node = this.doc.getIn(path, true) as Node | undefined;
    if (!node?.range) return undefined;
    const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
    return { offset: node.range[0], quoted };
  }

  /** One problem per zod issue, each at the key or item it is about. */
  addIssues(issues: readonly $ZodIssue[], describe: (path: readonly PathSegment[]) => string): void {
    for (const issue of issues) {
      const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          this.problems.push({ ...this.positionOf([...path, key]), message: `${describe(path)}unknown key "${key}"` });
        }
        continue;
      }
      const missing = path.length > 0 && this.doc.getIn(path, true) === undefined;
      if (missing) {
        const key = path[path.length - 1];
        const parent = path.slice(0, -1);
        const where = this.positionOf(parent);
        this.problems.push({ ...where, message: `${describe(parent)}missing required key "${String(key)}"` });
        continue;
      }
      this.problems.push({ ...this.positionOf(path), message: `${describe(path)}${issueMessage(issue)}` });
    }
  }

  add(pos: SourcePos, message: string): void {
    this.problems.push({ ...pos, message });
  }

  private nodeStart(node: unknown): SourcePos | undefined {
    const range = (node as Node | null)?.range;
    return range ? this.at(range[0]) : undefined;
  }

  private startOfSnippet(node: unknown): SourcePos {
    return this.nodeStart(node) ?? this.fileFromSnippet(1, 1);
  }

  private fileFromSnippet(line: number, col: number): SourcePos {
    return { line: this.firstLine + line - 1, column: this.indent + col };
  }
}

function issueMessage(issue: $ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${article(issue.expected)}`;
    case 'invalid_key':
      return `is not a valid name: ${issue.issues.map((i) => i.message).join('; ')}`;
    case 'invalid_union':
      return 'has the wrong shape';
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string' ? 'must not be empty' : issue.message.replace(/^Too small: /, '');
    default:
      return issue.message.replace(/^Invalid (string|input): /, '');
  }
}

function article(type: string): string {
  if (type === 'object') return 'a mapping (key: value lines)';
  if (type === 'array') return 'a list';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Why a YAML text is not parsed at all: too big or too deeply nested to read in bounded time. */
function refusal(text: string): { offset: number; message: string } | undefined {
  if (text.length > MAX_YAML_BYTES) {
    return { offset: 0, message: `this YAML is ${Math.ceil(text.length / 1024)} KB; handrail reads at most ${MAX_YAML_BYTES / 1024} KB of YAML in one place: shorten it` };
  }
  const deep = tooDeepAt(text);
  if (deep === undefined) return undefined;
  return { offset: deep, message: `YAML nested more than ${MAX_YAML_DEPTH} levels deep here: handrail does not read it; flatten it` };
}

/** 1-based line and column of an offset, for text the LineCounter never saw. */
function linePos(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}
