// Markdown → Runbook (SPEC §1). Pure: the same text always gives the same runbook or the same problems.
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { ParseContext } from './context';
import { blockTree, MAX_NESTING } from './markdown-tree';
import { parseFrontMatter } from './frontmatter';
import { assignIds } from './ids';
import type { Problem, Runbook } from '../core/model';
import { checkVariables } from './variables';
import { Walker } from './walker';

export type ParseResult = { runbook?: Runbook; problems: Problem[] };

export function parseRunbook(source: string, path: string): ParseResult {
  // Positions are counted without a byte-order mark, as editors count them.
  const tree = blockTree(source.startsWith('\uFEFF') ? source.slice(1) : source);
  const first = tree.frontMatter;
  if (!first) {
    return {
      problems: [
        { line: 1, column: 1, message: 'no front matter: start the file with a --- line, then id:, title: and version:, then ---' },
      ],
    };
  }
  const front = parseFrontMatter(first.value, first.line + 1);
  if (!front.meta) return { problems: sortProblems(front.problems) };

  // The parser reads CR and CRLF as line endings; offsets and positions count in its text.
  const ctx = new ParseContext(tree.text, front.meta);
  const walker = new Walker(ctx, tree, first.end);
  walker.visit(tree.children);
  walker.finish();
  if (tree.tooDeep !== undefined) {
    ctx.add(
      walker.posAt(tree.tooDeep),
      `lists and quotes are nested too deep here (more than ${MAX_NESTING / 2} levels): handrail does not read past this point; flatten them`,
    );
  }

  const steps = assignIds(walker.drafts, ctx);
  checkVariables(ctx, walker.stepCount);
  if (ctx.problems.length > 0) return { problems: sortProblems(ctx.problems) };
  return {
    runbook: {
      path,
      dir: resolve(dirname(path)),
      source,
      sha256: createHash('sha256').update(source, 'utf8').digest('hex'),
      meta: front.meta,
      steps,
    },
    problems: [],
  };
}

function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}
