// Markdown → Runbook (SPEC §1). Pure: the same text always gives the same runbook or the same problems.
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import type { Code, Heading, List, Nodes, Root, RootContent } from 'mdast';
import { readAttributes } from './attributes';
import { readGithubBlock, readInputBlock } from './blocks';
import { ParseContext } from './context';
import { blockTree, definitionSources, headingText } from './markdown-tree';
import { parseFrontMatter } from './frontmatter';
import { tokenizeInfoString, type InfoWord } from './info-string';
import { assignIds, type IdDraft } from './ids';
import { BUILTIN_VARIABLES, type Problem, type Runbook, type SourcePos, type Step, type TaskItem } from './model';
import { templateReferences } from './template';
import { unnumbered } from './label';
import { misspelledKind } from './suggest';
import { checkVariables } from './variables';

export type ParseResult = { runbook?: Runbook; problems: Problem[] };

const KINDS = ['run', 'check', 'input', 'github'] as const;
type TypedKind = (typeof KINDS)[number];

export function parseRunbook(source: string, path: string): ParseResult {
  // micromark drops a byte-order mark, so positions are counted without one.
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const tree = blockTree(text);
  const first = tree.children[0];
  if (first?.type !== 'yaml') {
    return {
      problems: [{ line: 1, column: 1, message: 'no front matter: start the file with a --- line, then id:, title: and version:, then ---' }],
    };
  }
  const front = parseFrontMatter(first.value, (first.position?.start.line ?? 1) + 1);
  if (!front.meta) return { problems: sortProblems(front.problems) };

  const ctx = new ParseContext(text, front.meta);
  const walker = new Walker(ctx, tree, offsetOf(first, 'end'));
  walker.visit(tree.children.slice(1));
  walker.finish();

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

function offsetOf(node: Nodes, edge: 'start' | 'end'): number {
  return node.position?.[edge].offset ?? 0;
}

function posOf(node: Nodes): SourcePos {
  return { line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 };
}

/** Walks the document in order, turning typed fences and task lists into steps. */
class Walker {
  readonly drafts: IdDraft[] = [];
  stepCount = 0;
  private section = '';
  private proseStart: number;
  private readonly lineStarts: number[];
  private definitions?: string[];

  constructor(
    private readonly ctx: ParseContext,
    private readonly tree: Root,
    bodyStart: number,
  ) {
    this.proseStart = bodyStart;
    this.lineStarts = [0];
    for (let i = ctx.source.indexOf('\n'); i >= 0; i = ctx.source.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  visit(nodes: readonly RootContent[]): void {
    for (const node of nodes) {
      if (node.type === 'heading') this.heading(node);
      else if (node.type === 'code') this.code(node);
      else if (node.type === 'list' && node.children.some((item) => item.checked != null)) this.taskList(node);
      else if ('children' in node) this.visit(node.children as RootContent[]);
    }
  }

  finish(): void {
    this.checkTemplates(this.proseStart, this.ctx.source.length);
  }

  private heading(node: Heading): void {
    // Prose left over before a heading is never shown with a step, but its {{NAME}}s must still resolve.
    this.checkTemplates(this.proseStart, offsetOf(node, 'start'));
    this.section = headingText(node, () => (this.definitions ??= definitionSources(this.tree, this.ctx.source)));
    this.proseStart = offsetOf(node, 'end');
  }

  /** Prose since the previous step (or heading), with its `{{NAME}}`s recorded as uses by this step. */
  private takeProse(node: Nodes): string {
    const start = this.proseStart;
    const end = offsetOf(node, 'start');
    this.checkTemplates(start, end);
    this.proseStart = offsetOf(node, 'end');
    return this.ctx.source.slice(start, end).trim();
  }

  private checkTemplates(start: number, end: number): void {
    for (const ref of templateReferences(this.ctx.source.slice(start, end))) {
      this.ctx.uses.push({ name: ref.name, pos: this.posAt(start + ref.offset), step: this.stepCount, how: 'template' });
    }
  }

  private posAt(offset: number): SourcePos {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.lineStarts[low] + 1 };
  }

  private common(node: Nodes, prose: string) {
    return {
      section: this.section,
      prose,
      pos: posOf(node),
      title: unnumbered(this.section) || this.ctx.meta.title,
    };
  }

  private code(node: Code): void {
    if (node.lang == null) return;
    const pos = posOf(node);
    const lineEnd = pos.line < this.lineStarts.length ? this.lineStarts[pos.line] - 1 : this.ctx.source.length;
    const line = this.ctx.source.slice(this.lineStarts[pos.line - 1], lineEnd);
    const fenceIndex = line.slice(pos.column - 1).search(/[`~]/) + pos.column - 1;
    const kindWord = (node.meta ?? '').split(/\s+/)[0];
    if (!(KINDS as readonly string[]).includes(kindWord)) {
      this.misspeltKind(kindWord, line, pos, fenceIndex);
      return;
    }
    const kind = kindWord as TypedKind;
    const info = tokenizeInfoString(line, fenceIndex);
    // Prose before the step is shown before it runs, so its {{NAME}}s count as uses by this step.
    const prose = this.takeProse(node);
    const step = this.stepCount++;
    if ('error' in info) {
      this.ctx.add({ line: pos.line, column: info.column }, info.error);
      return;
    }
    const [language, , ...attributeWords] = info.words;
    const attrs = readAttributes(kind, attributeWords, pos.line, step, this.ctx);
    const common = { ...this.common(node, prose), title: attrs.title ?? this.common(node, prose).title };
    const conditional = { ifSource: attrs.ifSource, condition: attrs.condition };
    const body = { line: pos.line + 1, indent: fenceIndex };
    let built: Step | undefined;
    if (kind === 'run' || kind === 'check') {
      built = this.shellStep(kind, node, language, attrs, common, conditional, body.line, fenceIndex, step);
    } else if (kind === 'input') {
      const input = readInputBlock(node.value, body, this.ctx);
      if (input) {
        this.define(input.name, { line: body.line, column: fenceIndex + 1 }, step);
        // An input's label is its prompt: six inputs under one heading must not read alike (SPEC §3.1).
        built = { kind, id: '', ...common, title: attrs.title ?? (input.prompt || common.title), ...conditional, input };
      }
    } else {
      const request = readGithubBlock(node.value, body, step, this.ctx);
      if (request) {
        for (const [name, at] of Object.entries(request.capturePositions)) this.define(name, at, step);
        const { capturePositions: _positions, ...rest } = request;
        built = {
          kind,
          id: '',
          ...common,
          ...conditional,
          ...rest,
          confirm: attrs.confirm,
          timeoutMs: attrs.timeoutMs,
          dryRun: attrs.dryRun,
          retries: attrs.retries,
        };
      }
    }
    if (built) this.drafts.push({ step: built, explicitId: attrs.id, idPos: attrs.idPos, fenceLine: pos.line });
  }

  /** ```sh chek: one slip from a step kind would silently be prose, so it is an error. */
  private misspeltKind(word: string, line: string, pos: SourcePos, fenceIndex: number): void {
    const near = misspelledKind(word, KINDS);
    if (!near) return;
    const at = line.indexOf(word, fenceIndex + 3);
    this.ctx.add(
      { line: pos.line, column: at >= 0 ? at + 1 : pos.column },
      `"${word}" is not a step kind: did you mean "${near}"? (kinds: ${KINDS.join(', ')}; a block without one is shown as prose)`,
    );
  }

  private shellStep(
    kind: 'run' | 'check',
    node: Code,
    language: InfoWord,
    attrs: ReturnType<typeof readAttributes>,
    common: ReturnType<Walker['common']>,
    conditional: Pick<Step, 'ifSource' | 'condition'>,
    bodyLine: number,
    indent: number,
    step: number,
  ): Step | undefined {
    const pos = posOf(node);
    if (language.raw !== 'sh' && language.raw !== 'bash') {
      this.ctx.add(
        { line: pos.line, column: language.column },
        `a ${kind} block runs in sh or bash, not "${language.raw}": write \`\`\`sh ${kind} or \`\`\`bash ${kind}`,
      );
      return undefined;
    }
    if (!node.value.trim()) {
      this.ctx.add(pos, `${kind} block is empty: write the commands to run`);
      return undefined;
    }
    node.value.split('\n').forEach((text, index) => {
      for (const ref of templateReferences(text)) {
        this.ctx.add(
          { line: bodyLine + index, column: indent + ref.offset + 1 },
          `{{${ref.name}}} is not filled in inside a ${kind} block: write "$${ref.name}" (variables reach commands as environment variables)`,
        );
      }
    });
    if (attrs.capture !== undefined) this.define(attrs.capture, attrs.capturePos ?? pos, step);
    return {
      kind,
      id: '',
      ...common,
      ...conditional,
      shell: language.raw,
      script: node.value,
      confirm: attrs.confirm,
      secrets: attrs.secrets,
      stdin: attrs.stdin,
      capture: attrs.capture,
      expect: attrs.expect,
      interactive: attrs.interactive,
      cwd: attrs.cwd,
      timeoutMs: attrs.timeoutMs,
      dryRun: attrs.dryRun,
      retries: attrs.retries,
    };
  }

  private define(name: string, pos: SourcePos, step: number): void {
    const builtins: readonly string[] = BUILTIN_VARIABLES;
    if (this.ctx.isSecret(name)) this.ctx.add(pos, `${name} is a secret: a step cannot set it; choose another name`);
    else if (builtins.includes(name)) this.ctx.add(pos, `${name} is built in: choose another name`);
    else this.ctx.definitions.push({ name, pos, step });
  }

  private taskList(node: List): void {
    const prose = this.takeProse(node);
    const step = this.stepCount++;
    const items: TaskItem[] = [];
    for (const item of node.children) {
      if (item.checked == null) {
        this.ctx.add(posOf(item), 'this list mixes plain items with task items: make every item "- [ ]" or split the list');
        continue;
      }
      for (const child of item.children) {
        if (child.type === 'code' && (KINDS as readonly string[]).includes((child.meta ?? '').split(/\s+/)[0])) {
          this.ctx.add(posOf(child), 'a typed block inside a task item is not run: move it out of the task list');
        }
      }
      const first = item.children[0];
      const last = item.children[item.children.length - 1];
      const itemText = first && last ? this.ctx.source.slice(offsetOf(first, 'start'), offsetOf(last, 'end')).trim() : '';
      if (!itemText) {
        this.ctx.add(posOf(item), 'empty task item: write what the operator should do after "- [ ]"');
        continue;
      }
      for (const ref of templateReferences(itemText)) {
        this.ctx.uses.push({ name: ref.name, pos: this.posAt(offsetOf(first, 'start') + ref.offset), step, how: 'template' });
      }
      items.push({ text: itemText, checked: item.checked, pos: posOf(item) });
    }
    const pos = posOf(node);
    this.drafts.push({ step: { kind: 'confirm', id: '', ...this.common(node, prose), items }, fenceLine: pos.line });
  }
}
