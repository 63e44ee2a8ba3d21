// One typed fence (```sh run, ```sh check, ```yaml input, ```yaml github) → one step draft: its
// attributes, its body read for its kind, the variables it defines, and the problems found in it.
// The walk around it (walker.ts) supplies the section, the prose before it and the step's number.
import { readAttributes } from './attributes';
import { readGithubBlock, readInputBlock } from './blocks';
import type { ParseContext } from './context';
import type { IdDraft } from './ids';
import type { InfoWord } from './info-string';
import type { MdNode } from './markdown-tree';
import { misspelledKind } from './suggest';
import { templateReferences } from './template';
import type { SourcePos, Step } from '../core/model';

export const KINDS = ['run', 'check', 'input', 'github'] as const;
export type TypedKind = (typeof KINDS)[number];

export function isTypedKind(word: string): word is TypedKind {
  return (KINDS as readonly string[]).includes(word);
}

/** The kind word of a fence's info string: `sh run id=x` → run. */
export function kindWord(node: MdNode): string {
  return node.token.info.trim().split(/\s+/)[1] ?? '';
}

/** A fence's contents without the line ending before its closing fence. */
function codeValue(node: MdNode): string {
  return node.token.content.replace(/\n$/, '');
}

/** What every step takes from where it stands in the document. */
export interface StepCommon {
  section: string;
  prose: string;
  pos: SourcePos;
  title: string;
}

/** What a typed fence needs from the walk around it. */
export interface FenceSite {
  ctx: ParseContext;
  /** The fence's own position, and its column as a 0-based index. */
  pos: SourcePos;
  fenceIndex: number;
  /** The step's number, counted in document order. */
  step: number;
  common: StepCommon;
  /** Records a variable this step sets, refusing reserved, secret and built-in names. */
  define(name: string, pos: SourcePos, step: number): void;
}

/** ```sh chek: one slip from a step kind would silently be prose, so it is an error. */
export function misspeltKind(ctx: ParseContext, word: string, line: string, pos: SourcePos, fenceIndex: number): void {
  const near = misspelledKind(word, KINDS);
  if (!near) return;
  const at = line.indexOf(word, fenceIndex + 3);
  ctx.add(
    { line: pos.line, column: at >= 0 ? at + 1 : pos.column },
    `"${word}" is not a step kind: did you mean "${near}"? (kinds: ${KINDS.join(', ')}; a block without one is shown as prose)`,
  );
}

/** The step a typed fence makes, or undefined when its problems were recorded instead. */
export function fenceStep(kind: TypedKind, node: MdNode, words: readonly InfoWord[], site: FenceSite): IdDraft | undefined {
  const { ctx, pos, fenceIndex, step } = site;
  const [language, , ...attributeWords] = words;
  const attrs = readAttributes(kind, attributeWords, pos.line, step, ctx);
  const common = { ...site.common, title: attrs.title ?? site.common.title };
  const conditional = { ifSource: attrs.ifSource, condition: attrs.condition };
  const body = { line: pos.line + 1, indent: fenceIndex };
  let built: Step | undefined;
  if (kind === 'run' || kind === 'check') {
    built = shellStep(kind, node, language, attrs, common, conditional, body.line, site);
  } else if (kind === 'input') {
    const input = readInputBlock(codeValue(node), body, ctx);
    if (input) {
      if (input.choices_from)
        ctx.uses.push({ name: input.choices_from, pos: { line: body.line, column: fenceIndex + 1 }, step, how: 'choices' });
      if (input.current) ctx.uses.push({ name: input.current, pos: { line: body.line, column: fenceIndex + 1 }, step, how: 'current' });
      site.define(input.name, { line: body.line, column: fenceIndex + 1 }, step);
      // An input's label is its prompt: six inputs under one heading must not read alike (SPEC §3.1).
      built = { kind, id: '', ...common, title: attrs.title ?? (input.prompt || common.title), ...conditional, input };
    }
  } else {
    const request = readGithubBlock(codeValue(node), body, step, ctx);
    if (request) {
      for (const [name, at] of Object.entries(request.capturePositions)) site.define(name, at, step);
      if (attrs.driftIgnore && (request.method.toUpperCase() !== 'GET' || Object.keys(request.capture).length === 0)) {
        ctx.add(
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
  return built ? { step: built, explicitId: attrs.id, idPos: attrs.idPos, fenceLine: pos.line } : undefined;
}

function shellStep(
  kind: 'run' | 'check',
  node: MdNode,
  language: InfoWord,
  attrs: ReturnType<typeof readAttributes>,
  common: StepCommon,
  conditional: Pick<Step, 'ifSource' | 'condition'>,
  bodyLine: number,
  site: FenceSite,
): Step | undefined {
  const { ctx, pos, fenceIndex: indent, step } = site;
  const script = codeValue(node);
  if (language.raw !== 'sh' && language.raw !== 'bash') {
    ctx.add(
      { line: pos.line, column: language.column },
      `a ${kind} block runs in sh or bash, not "${language.raw}": write \`\`\`sh ${kind} or \`\`\`bash ${kind}`,
    );
    return undefined;
  }
  if (!script.trim()) {
    ctx.add(pos, `${kind} block is empty: write the commands to run`);
    return undefined;
  }
  script.split('\n').forEach((text, index) => {
    for (const ref of templateReferences(text)) {
      ctx.add(
        { line: bodyLine + index, column: indent + ref.offset + 1 },
        `{{${ref.name}}} is not filled in inside a ${kind} block: write "$${ref.name}" (variables reach commands as environment variables)`,
      );
    }
  });
  if (attrs.capture !== undefined) site.define(attrs.capture, attrs.capturePos ?? pos, step);
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
