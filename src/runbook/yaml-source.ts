// YAML embedded in a runbook (front matter, input and github bodies). Every problem points at the file's own
// line and column, not at a line inside the embedded snippet. Positions cost: a body is first read by js-yaml
// without them (about a third of the time), and read again with positions by yaml only when a problem or a
// position is asked for, or when js-yaml refuses it (invalid YAML, aliases): yaml then says what is wrong.
import { load } from 'js-yaml';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { $ZodIssue } from 'zod/v4/core';
import type { Problem, SourcePos } from '../core/model';
import { MAX_YAML_DEPTH, tooDeepAt } from './yaml-depth';

/** Front matter is a few KB; more in one YAML text is not a runbook, and costs the parser seconds. */
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

/** A position worked out only when it is read: most positions are kept for a problem that never comes. */
function lazyPosition(find: () => SourcePos): SourcePos {
  let found: SourcePos | undefined;
  const get = () => (found ??= find());
  return Object.defineProperties({} as SourcePos, {
    line: { get: () => get().line, enumerable: true },
    column: { get: () => get().column, enumerable: true },
  });
}

/** The value without positions, or undefined when js-yaml cannot read it alone (then yaml says why). */
function quickValue(text: string): { value: unknown } | undefined {
  try {
    // Aliases are left to yaml, which bounds how far they expand.
    return { value: load(text, { maxAliases: 0 }) ?? null };
  } catch {
    return undefined;
  }
}

export class YamlSource {
  readonly problems: Problem[] = [];
  private readonly lines = new LineCounter();
  private parsed?: Document.Parsed;
  private quick?: { value: unknown };

  /**
   * @param firstLine file line of the snippet's first line (1-based)
   * @param indent columns the snippet is indented by in the file (a block inside a list item)
   */
  constructor(
    readonly text: string,
    private readonly firstLine: number,
    private readonly indent = 0,
  ) {
    const tooBig = text.length > MAX_YAML_BYTES;
    this.quick = tooBig ? undefined : quickValue(text);
    if (this.quick) return;
    // What js-yaml refused is read by yaml, whose composer recurses: too big or too deep is refused
    // first, in bounded time, instead of seconds of parsing and a stack overflow.
    const deep = tooBig ? undefined : tooDeepAt(text);
    if (tooBig || deep !== undefined) {
      this.parsed = parseDocument('');
      const { line, col } = linePos(text, deep ?? 0);
      this.problems.push({
        ...this.fileFromSnippet(line, col),
        message: tooBig
          ? `this YAML is ${Math.ceil(text.length / 1024)} KB; handrail reads at most ${MAX_YAML_BYTES / 1024} KB of YAML in one place: shorten it`
          : `YAML nested more than ${MAX_YAML_DEPTH} levels deep here: handrail does not read it; flatten it`,
      });
      return;
    }
    this.quick = this.expand();
  }

  /** yaml's plain value, aliases expanded at most MAX_YAML_ALIASES times; a bomb is a problem at its first alias. */
  private expand(): { value: unknown } | undefined {
    const doc = this.doc;
    if (doc.errors.length > 0) return undefined;
    try {
      return { value: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) };
    } catch (error) {
      let first: number | undefined;
      visit(doc, { Alias: (_, node) => ((first = node.range?.[0]), visit.BREAK) });
      const { line, col } = this.lines.linePos(first ?? 0);
      const reason =
        error instanceof Error && /alias/i.test(error.message)
          ? `its aliases (*name) expand to more than ${MAX_YAML_ALIASES} copies; write the values out instead`
          : `it cannot be read: ${error instanceof Error ? error.message : String(error)}`;
      this.problems.push({ ...this.fileFromSnippet(line, col), message: `invalid YAML: ${reason}` });
      return undefined;
    }
  }

  /** The document with positions, parsed on first use; its errors become problems. */
  get doc(): Document.Parsed {
    if (this.parsed) return this.parsed;
    // logLevel 'error': yaml would otherwise print its warnings (a key that is a list…) to the terminal.
    this.parsed = parseDocument(this.text, { lineCounter: this.lines, prettyErrors: true, logLevel: 'error' });
    for (const error of this.parsed.errors) {
      const at = error.linePos?.[0] ?? { line: 1, col: 1 };
      const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      const hint = YAML_HINTS[error.code] ?? '';
      this.problems.push({ ...this.fileFromSnippet(at.line, at.col), message: `invalid YAML: ${message}${hint}` });
    }
    return this.parsed;
  }

  get ok(): boolean {
    return this.problems.length === 0;
  }

  value(): unknown {
    return this.quick?.value;
  }

  /** Where the value at `path` is written: its key when it has one (`pattern:`), else the node itself. */
  positionOf(path: readonly PathSegment[]): SourcePos {
    return lazyPosition(() => this.findPosition(path));
  }

  private findPosition(path: readonly PathSegment[]): SourcePos {
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

  /** Where the `index`-th character of the one-line string at `path` is written (after its quote, if any). */
  positionInValue(path: readonly PathSegment[], index: number): SourcePos {
    return lazyPosition(() => {
      const node = this.doc.getIn(path, true) as Node | undefined;
      if (!node?.range) return this.findPosition(path);
      const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
      const { line, col } = this.lines.linePos(node.range[0] + (quoted ? 1 : 0) + index);
      return this.fileFromSnippet(line, col);
    });
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
    if (!range) return undefined;
    const { line, col } = this.lines.linePos(range[0]);
    return this.fileFromSnippet(line, col);
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
