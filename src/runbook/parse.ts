// Markdown → Runbook (SPEC §1). Pure: the same text always gives the same runbook or the same problems.
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { readAttributes } from './attributes';
import { readGithubBlock, readInputBlock } from './blocks';
import { ParseContext } from './context';
import { blockTree, headingText, MAX_NESTING, type BlockTree, type MdNode } from './markdown-tree';
import { parseFrontMatter } from './frontmatter';
import { isReservedName, reservedNameMessage } from './reserved-names';
import { tokenizeInfoString, type InfoWord } from './info-string';
import { assignIds, type IdDraft } from './ids';
import { BUILTIN_VARIABLES, type Problem, type Runbook, type SourcePos, type Step, type TaskItem } from '../core/model';
import { templateReferences } from './template';
import { unnumbered } from './label';
import { misspelledKind } from './suggest';
import { checkVariables } from './variables';

export type ParseResult = { runbook?: Runbook; problems: Problem[] };

const KINDS = ['run', 'check', 'input', 'github'] as const;
type TypedKind = (typeof KINDS)[number];

export function parseRunbook(source: string, path: string): ParseResult {
  // Positions are counted without a byte-order mark, as editors count them.
  const tree = blockTree(source.startsWith('\uFEFF') ? source.slice(1) : source);
  const first = tree.frontMatter;
  if (!first) {
    return {
      problems: [{ line: 1, column: 1, message: 'no front matter: start the file with a --- line, then id:, title: and version:, then ---' }],
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

function offsetOf(node: MdNode, edge: 'start' | 'end'): number {
  return Math.max(0, node[edge]);
}

/** The kind word of a fence's info string: `sh run id=x` → run. */
function kindWord(node: MdNode): string {
  return node.token.info.trim().split(/\s+/)[1] ?? '';
}

/** Walks the document in order, turning typed fences and task lists into steps. */
class Walker {
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

  private common(node: MdNode, prose: string) {
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
    if (!(KINDS as readonly string[]).includes(word)) {
      this.misspeltKind(word, fenceLine, pos, fenceIndex);
      return;
    }
    const kind = word as TypedKind;
    const info = tokenizeInfoString(fenceLine, fenceIndex);
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
      const input = readInputBlock(codeValue(node), body, this.ctx);
      if (input) {
        if (input.choices_from) this.ctx.uses.push({ name: input.choices_from, pos: { line: body.line, column: fenceIndex + 1 }, step, how: 'choices' });
        if (input.current) this.ctx.uses.push({ name: input.current, pos: { line: body.line, column: fenceIndex + 1 }, step, how: 'current' });
        this.define(input.name, { line: body.line, column: fenceIndex + 1 }, step);
        // An input's label is its prompt: six inputs under one heading must not read alike (SPEC §3.1).
        built = { kind, id: '', ...common, title: attrs.title ?? (input.prompt || common.title), ...conditional, input };
      }
    } else {
      const request = readGithubBlock(codeValue(node), body, step, this.ctx);
      if (request) {
        for (const [name, at] of Object.entries(request.capturePositions)) this.define(name, at, step);
        if (attrs.driftIgnore && (request.method.toUpperCase() !== 'GET' || Object.keys(request.capture).length === 0)) {
          this.ctx.add(
            attrs.driftPos ?? pos,
            request.method.toUpperCase() !== 'GET'
              ? `drift=ignore applies to a GET request's captures; a ${request.method.toUpperCase()} request changes things and is always held to the rehearsal`
              : 'drift=ignore has nothing to ignore: this request captures nothing; add capture: or remove it',
          );
        }
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
          ...(attrs.driftIgnore ? { driftIgnore: true as const } : {}),
          ...(attrs.retryDelayMs !== undefined ? { retryDelayMs: attrs.retryDelayMs } : {}),
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
    node: MdNode,
    language: InfoWord,
    attrs: ReturnType<typeof readAttributes>,
    common: ReturnType<Walker['common']>,
    conditional: Pick<Step, 'ifSource' | 'condition'>,
    bodyLine: number,
    indent: number,
    step: number,
  ): Step | undefined {
    const pos = this.posOf(node);
    const script = codeValue(node);
    if (language.raw !== 'sh' && language.raw !== 'bash') {
      this.ctx.add(
        { line: pos.line, column: language.column },
        `a ${kind} block runs in sh or bash, not "${language.raw}": write \`\`\`sh ${kind} or \`\`\`bash ${kind}`,
      );
      return undefined;
    }
    if (!script.trim()) {
      this.ctx.add(pos, `${kind} block is empty: write the commands to run`);
      return undefined;
    }
    script.split('\n').forEach((text, index) => {
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
      script,
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
      ...(attrs.driftIgnore ? { driftIgnore: true as const } : {}),
      ...(attrs.retryDelayMs !== undefined ? { retryDelayMs: attrs.retryDelayMs } : {}),
    };
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
        if (child.type === 'fence' && (KINDS as readonly string[]).includes(kindWord(child))) {
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

/** A fence's contents without the line ending before its closing fence. */
function codeValue(node: MdNode): string {
  return node.token.content.replace(/\n$/, '');
}
