// Step ids: `id=` when written (unique), else a slug of the section heading with an ordinal when needed.
import type { ParseContext } from './context';
import type { SourcePos, Step } from '../core/model';

export interface IdDraft {
  step: Step;
  explicitId?: string;
  idPos?: SourcePos;
  fenceLine: number;
}

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function assignIds(drafts: readonly IdDraft[], ctx: ParseContext): Step[] {
  const taken = new Map<string, number>();
  for (const draft of drafts) {
    if (draft.explicitId === undefined) continue;
    const earlier = taken.get(draft.explicitId);
    if (earlier !== undefined) {
      ctx.add(
        draft.idPos ?? { line: draft.fenceLine, column: 1 },
        `step id "${draft.explicitId}" is already used on line ${earlier}: step ids must be unique`,
      );
    } else taken.set(draft.explicitId, draft.fenceLine);
  }
  const nextOrdinal = new Map<string, number>();
  return drafts.map((draft) => {
    if (draft.explicitId !== undefined) return { ...draft.step, id: draft.explicitId };
    // Explicit ids are reserved first, so a generated id never takes one an author wrote further down.
    const base = slugify(draft.step.section) || draft.step.kind;
    let ordinal = nextOrdinal.get(base) ?? 1;
    let id = ordinal === 1 ? base : `${base}-${ordinal}`;
    while (taken.has(id)) {
      ordinal++;
      id = `${base}-${ordinal}`;
    }
    nextOrdinal.set(base, ordinal + 1);
    taken.set(id, draft.fenceLine);
    return { ...draft.step, id };
  });
}
