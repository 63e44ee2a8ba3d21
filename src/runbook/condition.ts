// `if=` expressions: NAME == 'v', !=, &&, ||, !, parentheses, bare NAME for truthiness.
// TODO(foundation): parser with column positions for lint, and evaluation.
export type Condition =
  | { type: 'name'; name: string }
  | { type: 'compare'; op: '==' | '!='; name: string; value: string }
  | { type: 'not'; operand: Condition }
  | { type: 'and' | 'or'; left: Condition; right: Condition };
