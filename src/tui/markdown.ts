// A runbook section's prose as styled terminal lines: headings, lists, emphasis, inline code,
// code blocks, links, quotes and tables, word-wrapped to the width so the screen can count rows.
import { plainText, proseTree, type MdNode } from '../runbook/markdown-tree';

export interface Segment {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
  dim?: boolean;
  code?: boolean;
}

export type Line = Segment[];

type Style = Omit<Segment, 'text'>;
type Fill = (text: string) => string;

export function renderMarkdown(source: string, width: number, fill: Fill = (t) => t): Line[] {
  const lines: Line[] = [];
  blocks(proseTree(source), { width: Math.max(10, width), indent: '', fill, lines });
  while (lines.length > 0 && isBlank(lines[lines.length - 1])) lines.pop();
  return lines;
}

interface Ctx {
  width: number;
  indent: string;
  fill: Fill;
  lines: Line[];
}

const isBlank = (line: Line): boolean => line.every((s) => s.text.trim() === '');

function gap(ctx: Ctx): void {
  if (ctx.lines.length > 0 && !isBlank(ctx.lines[ctx.lines.length - 1])) ctx.lines.push([]);
}

function blocks(nodes: readonly MdNode[], ctx: Ctx): void {
  for (const node of nodes) block(node, ctx);
}

function block(node: MdNode, ctx: Ctx): void {
  switch (node.type) {
    case 'heading':
      gap(ctx);
      wrap(inline(node.children, { bold: true, underline: Number(node.token.tag.slice(1)) <= 2 }, ctx.fill), ctx, ctx.indent);
      break;
    case 'paragraph':
      wrap(inline(node.children, {}, ctx.fill), ctx, ctx.indent);
      gap(ctx);
      break;
    case 'bullet_list':
    case 'ordered_list': {
      let n = Number(node.token.attrGet('start') ?? 1);
      for (const item of node.children) {
        const mark = item.checked === true ? '[x] ' : item.checked === false ? '[ ] ' : node.type === 'ordered_list' ? `${n++}. ` : '• ';
        const inner: Ctx = { ...ctx, indent: ctx.indent + ' '.repeat(mark.length), lines: [] };
        for (const child of item.children) {
          if (child.type === 'paragraph') wrap(inline(child.children, {}, ctx.fill), inner, inner.indent);
          else block(child, inner);
        }
        while (inner.lines.length > 0 && isBlank(inner.lines[inner.lines.length - 1])) inner.lines.pop();
        inner.lines.forEach((line, i) => {
          if (i === 0) line[0] = { ...line[0], text: ctx.indent + mark + (line[0]?.text ?? '').slice(inner.indent.length) };
          ctx.lines.push(line);
        });
      }
      gap(ctx);
      break;
    }
    case 'fence':
    case 'code_block':
      for (const text of ctx.fill(node.token.content.replace(/\n$/, '')).split('\n')) {
        ctx.lines.push([{ text: `${ctx.indent}  ${cut(text, ctx.width - ctx.indent.length - 2)}`, code: true }]);
      }
      gap(ctx);
      break;
    case 'blockquote': {
      const inner: Ctx = { ...ctx, indent: `${ctx.indent}│ `, lines: ctx.lines };
      for (const child of node.children) block(child, inner);
      break;
    }
    case 'table':
      table(node, ctx);
      gap(ctx);
      break;
    case 'hr':
      ctx.lines.push([{ text: ctx.indent + '─'.repeat(Math.min(40, ctx.width - ctx.indent.length)), dim: true }]);
      break;
    case 'html_block':
      break;
    default:
      blocks(node.children, ctx);
  }
}

function inline(nodes: readonly MdNode[], style: Style, fill: Fill): Segment[] {
  const out: Segment[] = [];
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
      case 'html_inline':
        out.push({ ...style, text: fill(node.token.content) });
        break;
      case 'code_inline':
        out.push({ ...style, code: true, text: fill(node.token.content) });
        break;
      case 'softbreak':
        out.push({ ...style, text: ' ' });
        break;
      case 'hardbreak':
        out.push({ text: '\n' });
        break;
      case 'strong':
        out.push(...inline(node.children, { ...style, bold: true }, fill));
        break;
      case 'em':
        out.push(...inline(node.children, { ...style, italic: true }, fill));
        break;
      case 's':
        out.push(...inline(node.children, { ...style, strike: true }, fill));
        break;
      case 'link': {
        const label = inline(node.children, { ...style, underline: true }, fill);
        out.push(...label);
        const url = node.token.attrGet('href') ?? '';
        const text = label.map((s) => s.text).join('');
        if (text !== url) out.push({ ...style, dim: true, text: ` <${url}>` });
        break;
      }
      case 'image':
        out.push({ ...style, dim: true, text: `[image: ${imageAlt(node) || node.token.attrGet('src')}]` });
        break;
      default:
        out.push(...inline(node.children, style, fill));
    }
  }
  return out;
}

const imageAlt = (node: MdNode): string => plainText(node.children);

/** Greedy word wrap that keeps each word's style; `\n` segments force a break. */
function wrap(segments: Segment[], ctx: Ctx, indent: string): void {
  const width = Math.max(8, ctx.width - indent.length);
  let line: Line = [];
  let used = 0;
  const flush = () => {
    if (line.length > 0 && line[line.length - 1].text === ' ') line.pop();
    ctx.lines.push([{ text: indent }, ...line]);
    line = [];
    used = 0;
  };
  for (const seg of segments) {
    if (seg.text === '\n') {
      flush();
      continue;
    }
    const words = seg.text.replace(/\s+/g, ' ').split(/( )/);
    for (const word of words) {
      if (word === '') continue;
      if (word === ' ') {
        if (used > 0 && used < width) {
          line.push({ ...seg, text: ' ' });
          used++;
        }
        continue;
      }
      let rest = word;
      while (used + rest.length > width) {
        if (used > 0) {
          flush();
          continue;
        }
        line.push({ ...seg, text: rest.slice(0, width) });
        rest = rest.slice(width);
        flush();
      }
      if (rest) {
        line.push({ ...seg, text: rest });
        used += rest.length;
      }
    }
  }
  if (line.length > 0) flush();
}

function table(node: MdNode, ctx: Ctx): void {
  // thead and tbody hold the rows; each row holds its cells.
  const rows = node.children
    .flatMap((part) => part.children)
    .map((row) =>
      row.children.map((cell) =>
        inline(cell.children, {}, ctx.fill)
          .map((s) => s.text)
          .join('')
          .trim(),
      ),
    );
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(3, ...rows.map((r) => (r[c] ?? '').length)));
  const available = ctx.width - ctx.indent.length - 3 * (columns - 1);
  // Shrink the widest columns first until the table fits the screen.
  while (widths.reduce((a, b) => a + b, 0) > available && Math.max(...widths) > 3) {
    widths[widths.indexOf(Math.max(...widths))]--;
  }
  rows.forEach((row, r) => {
    const text = widths.map((w, c) => cut(row[c] ?? '', w).padEnd(w)).join(' │ ');
    ctx.lines.push([{ text: ctx.indent + text.trimEnd(), bold: r === 0 }]);
    if (r === 0) ctx.lines.push([{ text: ctx.indent + widths.map((w) => '─'.repeat(w)).join('─┼─'), dim: true }]);
  });
}

function cut(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
}
