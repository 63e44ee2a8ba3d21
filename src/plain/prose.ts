// A step's prose as plain lines: enough markdown removed that it reads like text, nothing more.
import type { Style } from './style';

export function renderProse(markdown: string, style: Style): string[] {
  const out: string[] = [];
  let fence: string | undefined;
  for (const raw of markdown.replace(/\r\n/g, '\n').split('\n')) {
    const fenceMatch = /^\s*(`{3,}|~{3,})/.exec(raw);
    if (fenceMatch) {
      fence = fence === undefined ? fenceMatch[1][0] : fenceMatch[1][0] === fence ? undefined : fence;
      continue;
    }
    if (fence !== undefined) {
      out.push(`    ${style.dim(raw)}`);
      continue;
    }
    const heading = /^\s*#{1,6}\s+(.*?)\s*#*\s*$/.exec(raw);
    if (heading) {
      out.push(style.bold(inline(heading[1])));
      continue;
    }
    const item = /^(\s*)(?:[-*+]|\d+[.)])\s+(?:\[([ xX])\]\s+)?(.*)$/.exec(raw);
    if (item) {
      const box = item[2] === undefined ? '•' : item[2] === ' ' ? '☐' : '☑';
      out.push(`${item[1]}  ${box} ${inline(item[3])}`);
      continue;
    }
    if (/^\s*>\s?/.test(raw)) {
      out.push(`  │ ${inline(raw.replace(/^\s*>\s?/, ''))}`);
      continue;
    }
    if (/^\s*([-*_])\s*(\1\s*){2,}$/.test(raw)) continue;
    out.push(inline(raw));
  }
  while (out.length && out[0].trim() === '') out.shift();
  while (out.length && out[out.length - 1].trim() === '') out.pop();
  return out.filter((line, i) => !(line.trim() === '' && out[i - 1]?.trim() === ''));
}

function inline(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\(([^)]*)\)/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, (_, label: string, url: string) => (label === url ? url : `${label} (${url})`))
    .replace(/`([^`]+)`/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[\s(])[*_]([^*_\s][^*_]*?)[*_](?=$|[\s).,;:!?])/g, '$1$2')
    .replace(/<[^>]+>/g, '');
}
