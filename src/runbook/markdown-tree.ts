// The markdown tree handrail reads runbooks and shows prose from, built by markdown-it (CommonMark).
// On a 500-step runbook markdown-it's block pass takes about a tenth of micromark's time, so the runbook
// parser asks for blocks only (headings, fences, lists with task items, front matter) with source offsets;
// the TUI and line mode parse a step's prose fully (inline markup, GFM tables and strikethrough).
import markdownIt, { type Env, type MarkdownIt, type StateBlock, type StateCore, type Token } from 'markdown-it';

/** One block or inline element; `type` is markdown-it's token type without `_open` (`heading`, `fence`, `em`). */
export interface MdNode {
  type: string;
  token: Token;
  children: MdNode[];
  /** Offset in the parsed text where the block begins: after container markers and indentation. -1 inline. */
  start: number;
  /** Offset of the end of the block's last line. -1 inline. */
  end: number;
  /** A GFM task list item: `- [ ]` (false) or `- [x]` (true). */
  checked?: boolean;
  /** Headings and paragraphs: their inline source text. */
  content?: string;
}

export interface BlockTree {
  /** The text the offsets count in: line endings (CR, CRLF) read as LF, as CommonMark reads them. */
  text: string;
  children: MdNode[];
  frontMatter?: { value: string; line: number; end: number };
  /** Offset of the first block nested too deep to read, if any. */
  tooDeep?: number;
  /** Link reference definitions, for reading a heading's text. */
  env: Env & { tooDeep?: number };
}

/**
 * Containers nested deeper than this (a list in a list counts two: the list and its item) are not read.
 * It keeps parsing bounded; the runbook parser reports the line instead of skipping it silently.
 */
export const MAX_NESTING = 40;

interface Meta {
  start: number;
  end: number;
  checked?: boolean;
}

/** Line endings as CommonMark reads them: CR, LF and CRLF each end a line. */
export function normalizeLineEndings(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** Wraps each block rule so the first token it makes carries where its block starts and ends. */
function recordOffsets(md: MarkdownIt): void {
  for (const rule of md.block.ruler.__rules__) {
    const { fn: original, alt } = rule;
    const wrapped = (state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean => {
      if (silent) return original(state, startLine, endLine, silent);
      const first = state.tokens.length;
      const start = state.bMarks[startLine] + state.tShift[startLine];
      if (!original(state, startLine, endLine, silent)) return false;
      const token = state.tokens[first];
      if (token && !token.meta) token.meta = { start, end: lineEnd(state, state.line) } satisfies Meta;
      if (rule.name === 'list') markListItems(state, first);
      return true;
    };
    // `alt` keeps the rule among those that may end a paragraph, a list or a quote.
    md.block.ruler.at(rule.name, wrapped, { alt: [...alt] });
  }
}

function lineEnd(state: StateBlock, nextLine: number): number {
  let line = nextLine - 1;
  while (line > 0 && state.isEmpty(line)) line--;
  return state.eMarks[line] ?? state.src.length;
}

/** A list item starts at its marker: the list rule has put each item's first line back as it found it. */
function markListItems(state: StateBlock, first: number): void {
  const level = state.tokens[first].level + 1;
  for (let i = first + 1; i < state.tokens.length; i++) {
    const token = state.tokens[i];
    if (token.type !== 'list_item_open' || token.level !== level || !token.map) continue;
    const [line, next] = token.map;
    token.meta = { start: state.bMarks[line] + state.tShift[line], end: lineEnd(state, next) } satisfies Meta;
  }
}

/** YAML front matter: `---` on the first line, up to the next `---` line. */
function frontMatterRule(state: StateBlock, startLine: number, _endLine: number, silent: boolean): boolean {
  if (startLine !== 0 || state.level !== 0 || state.blkIndent !== 0 || !isFence(state, 0)) return false;
  let close = 1;
  while (close < state.lineMax && !isFence(state, close)) close++;
  if (close >= state.lineMax) return false;
  if (silent) return true;
  const token = state.push('front_matter', '', 0);
  token.content = close > 1 ? state.src.slice(state.bMarks[1], state.eMarks[close - 1]) : '';
  token.map = [0, close + 1];
  token.meta = { start: 0, end: state.eMarks[close] } satisfies Meta;
  state.line = close + 1;
  return true;
}

function isFence(state: StateBlock, line: number): boolean {
  return /^---[ \t]*$/.test(state.src.slice(state.bMarks[line], state.eMarks[line]));
}

const TASK_CHECK = /^\[([ \txX])\](?=[ \t\n])[ \t]*(?!$)/;

/** GFM task list items: a list item whose first paragraph starts with `[ ]`, `[x]` or `[X]` and more text. */
function taskListRule(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (tokens[i].type !== 'list_item_open' || tokens[i + 1].type !== 'paragraph_open') continue;
    const inline = tokens[i + 2];
    const check = TASK_CHECK.exec(inline.content);
    if (!check) continue;
    (tokens[i].meta as unknown as Meta).checked = check[1] === 'x' || check[1] === 'X';
    inline.content = inline.content.slice(check[0].length);
    const paragraph = tokens[i + 1].meta as unknown as Meta | null;
    if (paragraph) paragraph.start += check[0].length;
  }
}

/**
 * The nesting bound drops what lies deeper without a word; this notes the first line it dropped, so the
 * runbook parser can say where instead of leaving a step unread.
 */
function noteTooDeep(md: MarkdownIt): void {
  const tokenize = md.block.tokenize.bind(md.block);
  md.block.tokenize = (state: StateBlock, startLine: number, endLine: number) => {
    if (state.level >= MAX_NESTING && state.env.tooDeep === undefined) {
      const line = state.skipEmptyLines(startLine);
      if (line < endLine) state.env.tooDeep = state.bMarks[line] + state.tShift[line];
    }
    tokenize(state, startLine, endLine);
  };
}

function blockParser(): MarkdownIt {
  const md = new markdownIt('commonmark', { maxNesting: MAX_NESTING });
  md.core.ruler.disable(['inline', 'text_join']);
  md.block.ruler.before('table', 'front_matter', frontMatterRule);
  recordOffsets(md);
  md.core.ruler.after('block', 'task_list', taskListRule);
  noteTooDeep(md);
  return md;
}

function proseParser(): MarkdownIt {
  const md = new markdownIt('default', { html: true, linkify: false, typographer: false, maxNesting: MAX_NESTING });
  md.core.ruler.after('block', 'task_list', taskListRule);
  recordOffsets(md);
  return md;
}

let blocks: MarkdownIt | undefined;
let prose: MarkdownIt | undefined;

/** Block structure only, with offsets: what the runbook parser walks. */
export function blockTree(source: string): BlockTree {
  const text = normalizeLineEndings(source);
  const env: BlockTree['env'] = {};
  const tokens = (blocks ??= blockParser()).parse(text, env);
  const children = buildTree(tokens);
  const tree: BlockTree = { text, children, env };
  const front = children[0]?.type === 'front_matter' ? children.shift() : undefined;
  if (front) tree.frontMatter = { value: front.token.content, line: 1, end: front.end };
  if (env.tooDeep !== undefined) tree.tooDeep = env.tooDeep;
  return tree;
}

/** A whole markdown text, inline markup included: what the TUI and line mode show prose from. */
export function proseTree(markdown: string): MdNode[] {
  return buildTree((prose ??= proseParser()).parse(normalizeLineEndings(markdown), {}));
}

function buildTree(tokens: readonly Token[]): MdNode[] {
  const root: MdNode[] = [];
  const open: MdNode[] = [];
  for (const token of tokens) {
    const siblings = open.length ? open[open.length - 1].children : root;
    if (token.nesting === -1) {
      open.pop();
      continue;
    }
    if (token.type === 'inline') {
      const parent = open[open.length - 1];
      if (parent) {
        parent.content = token.content;
        parent.children.push(...buildTree(token.children ?? []));
      }
      continue;
    }
    const meta = token.meta as unknown as Meta | null;
    const node: MdNode = {
      type: token.nesting === 1 ? token.type.replace(/_open$/, '') : token.type,
      token,
      // An image keeps its description as inline children.
      children: token.children ? buildTree(token.children) : [],
      start: meta?.start ?? -1,
      end: meta?.end ?? -1,
    };
    if (meta?.checked !== undefined) node.checked = meta.checked;
    siblings.push(node);
    if (token.nesting === 1) open.push(node);
  }
  return root;
}

/** Characters that may start inline markup (or, with a line ending, a hard break) in a heading. */
const MARKUP = /[\\`*_~[\]!<&\n]/;

/**
 * A heading's text as a reader sees it: `## Push *the* \`image\`` reads "Push the image". Only a heading
 * with markup is parsed again, inline, with the document's link definitions so `[text][ref]` reads as text.
 */
export function headingText(heading: MdNode, tree: BlockTree): string {
  const raw = heading.content ?? '';
  if (!MARKUP.test(raw)) return raw.trim();
  const tokens = (prose ??= proseParser()).parseInline(raw, { references: tree.env.references });
  return plainText(buildTree(tokens[0]?.children ?? [])).trim();
}

/** The text of inline nodes without markup: an image reads as its description. */
export function plainText(nodes: readonly MdNode[]): string {
  let text = '';
  for (const node of nodes) {
    if (node.type === 'text' || node.type === 'code_inline') text += node.token.content;
    else if (node.type === 'softbreak') text += '\n';
    else text += plainText(node.children);
  }
  return text;
}
