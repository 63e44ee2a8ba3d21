// What parsing one runbook accumulates: problems, and every variable defined or used with where, so
// "used before anything defines it" can be decided once the whole document has been read.
import type { FrontMatter, Problem, SourcePos } from '../core/model';

/** How a variable is read; secrets may be read by some uses and not by others. */
export type VariableUse = 'condition' | 'route' | 'field' | 'template' | 'stdin' | 'choices' | 'current';

export interface Use {
  name: string;
  pos: SourcePos;
  /** Index of the step this use belongs to (steps.length for prose after the last step). */
  step: number;
  how: VariableUse;
}

export interface Definition {
  name: string;
  /** The step that defines it; later steps may use it. */
  step: number;
  pos: SourcePos;
}

export class ParseContext {
  readonly problems: Problem[] = [];
  readonly uses: Use[] = [];
  readonly definitions: Definition[] = [];

  constructor(
    readonly source: string,
    readonly meta: FrontMatter,
  ) {}

  add(pos: SourcePos, message: string): void {
    this.problems.push({ line: pos.line, column: pos.column, message });
  }

  isSecret(name: string): boolean {
    return !!this.meta.secrets && Object.hasOwn(this.meta.secrets, name);
  }

  isInput(name: string): boolean {
    return !!this.meta.inputs && Object.hasOwn(this.meta.inputs, name);
  }
}
