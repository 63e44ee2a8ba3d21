// A step's prose as plain lines: enough markdown removed that it reads like text, nothing more.
import { proseTree, type MdNode } from '../runbook/markdown-tree';
import type { Style } from './style';

export function renderProse(markdown: string, style: Style): string[] {
  const out: string[] = [];
  blocks(proseTree(markdown), '', style, out);
  while (out.length && out[out.length - 1] === '') out.pop();
  return out;
}

/** Blocks are parted by a blank line, except in a tight list item ("- done" then a nested list). */
function blocks(nodes: readonly MdNode[], indent: string, style: Style, out: string[]): void {
  nodes.forEach((node, i) => {
    if (node.type === 'hr' || node.type === 'html_block') return;
    const tight = nodes[i - 1]?.token.hidden === true;
    if (out.length && out[out.length - 1] !== '' && !tight) out.push('');
    block(node, indent, style, out);
  });
}

function block(node: MdNode, indent: string, style: Style, out: string[]): void {
  switch (node.type) {
    case 'heading':
      out.push(indent + style.bold(inline(node.children).replace(/\n/g, ' ')));
      break;
    case 'paragraph':
      for (const line of inline(node.children).split('\n')) out.push(indent + line);
      break;
    case 'bullet_list':
    case 'ordered_list': {
      let n = Number(node.token.attrGet('start') ?? 1);
      for (const item of node.children) {
        const box = item.checked !== undefined ? (item.checked ? '☑' : '☐') : node.type === 'ordered_list' ? `${n++}.` : '•';
        const lines: string[] = [];
        blocks(item.children, '', style, lines);
        lines.forEach((line, i) => out.push(`${indent}  ${i === 0 ? `${box} ` : '  '}${line}`));
      }
      break;
    }
    case 'fence':
    case 'code_block':
      for (const line of node.token.content.replace(/\n$/, '').split('\n')) out.push(`${indent}    ${style.dim(line)}`);
      break;
    case 'blockquote': {
      const lines: string[] = [];
      blocks(node.children, '', style, lines);
      for (const line of lines) out.push(`${indent}  │ ${line}`);
      break;
    }
    case 'table':
      for (const row of node.children.flatMap((part) => part.children)) {
        out.push(indent + row.children.map((cell) => inline(cell.children).trim()).join(' | '));
      }
      break;
    default:
      blocks(node.children, indent, style, out);
  }
}

function inline(nodes: readonly MdNode[]): string {
  let text = '';
  for (const node of nodes) {
    if (node.type === 'text' || node.type === 'code_inline') text += node.token.content;
    else if (node.type === 'softbreak' || node.type === 'hardbreak') text += '\n';
    else if (node.type === 'link') {
      const label = inline(node.children);
      const url = node.token.attrGet('href') ?? '';
      text += label === url ? url : `${label} (${url})`;
    } else if (node.type !== 'html_inline') text += inline(node.children);
  }
  return text;
}
