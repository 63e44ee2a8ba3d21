// "Used before anything defines it": decided after the walk, when every definition's step is known.
import type { Definition, ParseContext, Use } from './context';
import { BUILTIN_VARIABLES } from '../core/model';
import { closest } from './suggest';

/** Every name a runbook can use: its inputs, secrets, what its steps set, and the built-in ones. */
function knownNames(ctx: ParseContext, builtins: readonly string[]): Set<string> {
  return new Set([
    ...Object.keys(ctx.meta.inputs ?? {}),
    ...Object.keys(ctx.meta.secrets ?? {}),
    ...ctx.definitions.map((d) => d.name),
    ...builtins,
  ]);
}

const WHERE: Record<Use['how'], string> = {
  condition: 'if=',
  route: 'github request',
  field: 'github fields',
  template: `{{…}}`,
  stdin: 'stdin=',
  choices: 'choices_from',
  current: 'current',
};

export function checkVariables(ctx: ParseContext, stepCount: number): void {
  const builtins: readonly string[] = BUILTIN_VARIABLES;
  // By name, so a runbook with many steps is not scanned once per use.
  const definitionsOf = new Map<string, Definition[]>();
  for (const d of ctx.definitions) {
    const list = definitionsOf.get(d.name);
    if (list) list.push(d);
    else definitionsOf.set(d.name, [d]);
  }
  for (const use of ctx.uses) {
    const { name } = use;
    const where = WHERE[use.how];
    if (ctx.isSecret(name)) {
      if (use.how === 'condition' || use.how === 'choices' || use.how === 'current')
        ctx.add(use.pos, `${where} cannot read ${name}: it is a secret`);
      else if (use.how === 'route' || use.how === 'field') {
        ctx.add(use.pos, `${where} cannot use ${name}: it is a secret, and github steps authenticate with github.token`);
      }
      continue;
    }
    if (ctx.isInput(name) || builtins.includes(name)) continue;
    const definitions = definitionsOf.get(name) ?? [];
    if (definitions.some((d) => d.step < use.step)) continue;
    const later = definitions.find((d) => d.step >= use.step && d.step < stepCount);
    if (later) {
      ctx.add(use.pos, `${where} uses ${name} before it is set (line ${later.pos.line} sets it): move the use after that step`);
    } else {
      const near = closest(name, knownNames(ctx, builtins));
      ctx.add(
        use.pos,
        near
          ? `${where} uses ${name}, which is never defined: did you mean ${near}?`
          : `${where} uses ${name}, which is never defined: declare it under inputs: in the front matter, or set it with an input block or capture= in an earlier step`,
      );
    }
  }
}
