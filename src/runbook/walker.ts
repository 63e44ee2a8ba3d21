// The walk over a runbook's markdown, in document order: headings set the section, prose collects
// until the next step, typed fences become steps (fence-step.ts), task lists become confirm steps, and
// every {{NAME}} in prose is recorded as a use. parse.ts assembles what the walk found into a Runbook.
import type { ParseContext } from './context';
import { fenceStep, isTypedKind, kindWord, misspeltKind, type StepCommon } from './fence-step';
import type { IdDraft } from './ids';
import { tokenizeInfoString } from './info-string';
import { headingText, type BlockTree, type MdNode } from './markdown-tree';
import { isReservedName, reservedNameMessage } from './reserved-names';
import { templateReferences } from './template';
import { unnumbered } from './label';
import { BUILTIN_VARIABLES, type SourcePos, type TaskItem } from '../core/model';

function offsetOf(node: MdNode, edge: 'start' | 'end'): number {
  return Math.max(0, node[edge]);
}

/** Walks the document in order, turning typed fences and task lists into steps. */
export class Walker {
  readonly drafts: IdDraft[] = [];
  stepCount = 0;
  private section = '';
  private proseStart: number;
  private readonly lineStarts: number[];

  constructor(
    private readonly ctx: ParseContext,
    private readonly tree: BlockTree,
    bodyStart: number,
  ) {
    this.proseStart = bodyStart;
    this.lineStarts = [0];
    for (let i = ctx.source.indexOf('\n'); i >= 0; i = ctx.source.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  visit(nodes: readonly MdNode[]): void {
    for (const node of nodes) {
      if (node.type === 'heading') this.heading(node);
      else if (node.type === 'fence') this.code(node);
      else if (/_list$/.test(node.type) && node.children.some((item) => item.checked != null)) this.taskList(node);
      else this.visit(node.children);
    }
  }

  finish(): void {
    this.checkTemplates(this.proseStart, this.ctx.source.length);
  }

  private heading(node: MdNode): void {
    // Prose left over before a heading is never shown with a step, but its {{NAME}}s must still resolve.
    this.checkTemplates(this.proseStart, offsetOf(node, 'start'));
    this.section = headingText(node, this.tree);
    this.proseStart = offsetOf(node, 'end');
  }

  /** Prose since the previous step (or heading), with its `{{NAME}}`s recorded as uses by this step. */
  private takeProse(node: MdNode): string {
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

  private posOf(node: MdNode): SourcePos {
    return this.posAt(offsetOf(node, 'start'));
  }

  posAt(offset: number): SourcePos {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.lineStarts[low] + 1 };
  }

  private common(node: MdNode, prose: string): StepCommon {
    return {
      section: this.section,
      prose,
      pos: this.posOf(node),
      title: unnumbered(this.section) || this.ctx.meta.title,
    };
  }

  private code(node: MdNode): void {
    const word = kindWord(node);
    const pos = this.posOf(node);
    const fenceIndex = pos.column - 1;
    // The fence's own line as the parser read it: its fence characters and the info string after them.
    const fenceLine = ' '.repeat(fenceIndex) + node.token.markup + node.token.info;
    if (!isTypedKind(word)) {
      misspeltKind(this.ctx, word, fenceLine, pos, fenceIndex);
      return;
    }
    const info = tokenizeInfoString(fenceLine, fenceIndex);
    // Prose before the step is shown before it runs, so its {{NAME}}s count as uses by this step.
    const prose = this.takeProse(node);
    const step = this.stepCount++;
    if ('error' in info) {
      this.ctx.add({ line: pos.line, column: info.column }, info.error);
      return;
    }
    const draft = fenceStep(word, node, info.words, {
      ctx: this.ctx,
      pos,
      fenceIndex,
      step,
      common: this.common(node, prose),
      define: (name, at, n) => this.define(name, at, n),
    });
    if (draft) this.drafts.push(draft);
  }

  private define(name: string, pos: SourcePos, step: number): void {
    const builtins: readonly string[] = BUILTIN_VARIABLES;
    if (isReservedName(name)) this.ctx.add(pos, reservedNameMessage(name, 'set by a step'));
    else if (this.ctx.isSecret(name)) this.ctx.add(pos, `${name} is a secret: a step cannot set it; choose another name`);
    else if (builtins.includes(name)) this.ctx.add(pos, `${name} is built in: choose another name`);
    else this.ctx.definitions.push({ name, pos, step });
  }

  private taskList(node: MdNode): void {
    const prose = this.takeProse(node);
    const step = this.stepCount++;
    const items: TaskItem[] = [];
    for (const item of node.children) {
      if (item.checked == null) {
        this.ctx.add(this.posOf(item), 'this list mixes plain items with task items: make every item "- [ ]" or split the list');
        continue;
      }
      for (const child of item.children) {
        if (child.type === 'fence' && isTypedKind(kindWord(child))) {
          this.ctx.add(this.posOf(child), 'a typed block inside a task item is not run: move it out of the task list');
        }
      }
      const first = item.children[0];
      const last = item.children[item.children.length - 1];
      const itemText = first && last ? this.ctx.source.slice(offsetOf(first, 'start'), offsetOf(last, 'end')).trim() : '';
      if (!itemText) {
        this.ctx.add(this.posOf(item), 'empty task item: write what the operator should do after "- [ ]"');
        continue;
      }
      for (const ref of templateReferences(itemText)) {
        this.ctx.uses.push({ name: ref.name, pos: this.posAt(offsetOf(first, 'start') + ref.offset), step, how: 'template' });
      }
      items.push({ text: itemText, checked: item.checked, pos: this.posOf(item) });
    }
    const pos = this.posOf(node);
    this.drafts.push({ step: { kind: 'confirm', id: '', ...this.common(node, prose), items }, fenceLine: pos.line });
  }
}
