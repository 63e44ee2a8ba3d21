// The markdown tree the runbook parser walks. handrail reads only block structure from it (front matter,
// headings, fences, lists with task items) and source positions; prose and task items are sliced from the
// source by position. So micromark is asked for just that: inline constructs stay off, and of GFM only task
// list items are on: on a 500-step runbook micromark then takes about a third less time.
import type { Definition, Heading, Nodes, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';

/**
 * Constructs that only shape text inside a paragraph or heading. None of them can open or close a block, so
 * switching them off leaves every heading, fence and list where it was. The GFM task check is an inline
 * construct too, but it is not in this list: it stays on.
 */
const INLINE_ONLY = [
  'attention',
  'autolink',
  'characterEscape',
  'characterReference',
  'codeText',
  'hardBreakEscape',
  'htmlText',
  'labelStartImage',
  'labelStartLink',
  'labelEnd',
];

export function blockTree(text: string): Root {
  return fromMarkdown(text, {
    extensions: [gfmTaskListItem(), frontmatter(['yaml']), { disable: { null: INLINE_ONLY } }],
    mdastExtensions: [gfmTaskListItemFromMarkdown(), frontmatterFromMarkdown(['yaml'])],
  });
}

/** Characters that may start inline markup (or, with a line ending, a hard break) in a heading. */
const MARKUP = /[\\`*_~[\]!<&\n]/;

/**
 * A heading's text as a reader sees it: `## Push *the* \`image\`` reads "Push the image". In the block tree the
 * heading holds its source text; only when that has markup is it parsed again, alone and with every inline
 * construct on, plus the document's link definitions so `[text][ref]` reads as text.
 */
export function headingText(heading: Heading, definitions: () => readonly string[]): string {
  const raw = plainText(heading);
  if (!MARKUP.test(raw)) return raw.trim();
  // "a " keeps the text a paragraph ("1. Foo" is not a list) and, like a line start, counts as whitespace
  // for emphasis, so `_x_` still reads as emphasis.
  const tree = fromMarkdown(`a ${raw}\n\n${definitions().join('\n\n')}`, {
    extensions: [gfm()],
    mdastExtensions: [gfmFromMarkdown()],
  });
  const first = tree.children[0];
  return first ? plainText(first).slice(2).trim() : raw.trim();
}

/** Source text of every link reference definition in the tree, for `headingText`. */
export function definitionSources(tree: Root, source: string): string[] {
  const found: string[] = [];
  const visit = (node: Nodes): void => {
    if (node.type === 'definition') found.push(sourceOf(node, source));
    else if ('children' in node) for (const child of node.children as Nodes[]) visit(child);
  };
  visit(tree);
  return found;
}

function sourceOf(node: Definition, source: string): string {
  return source.slice(node.position?.start.offset ?? 0, node.position?.end.offset ?? 0);
}

export function plainText(node: Nodes): string {
  if (node.type === 'text' || node.type === 'inlineCode') return node.value;
  if (node.type === 'image') return node.alt ?? '';
  if ('children' in node) return (node.children as Nodes[]).map(plainText).join('');
  return '';
}
