// `if=` expressions: NAME == 'v', !=, &&, ||, !, parentheses, bare NAME for truthiness.
// The parser reports the 0-based offset of a syntax error so lint can point at the exact column.
import type { Condition } from '../core/model';

export type { Condition };
export type ConditionParse = { condition: Condition } | { error: string; offset: number };

type Token =
  | { t: 'name'; value: string; offset: number }
  | { t: 'string'; value: string; offset: number }
  | { t: '==' | '!=' | '&&' | '||' | '!' | '(' | ')' | 'end'; offset: number };

class ConditionSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '&&' || two === '||') {
      tokens.push({ t: two, offset: i });
      i += 2;
      continue;
    }
    if (c === '!' || c === '(' || c === ')') {
      tokens.push({ t: c, offset: i });
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = source.indexOf(c, i + 1);
      if (end < 0) throw new ConditionSyntaxError(`unterminated string: add the closing ${c}`, i);
      tokens.push({ t: 'string', value: source.slice(i + 1, end), offset: i });
      i = end + 1;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (word) {
      tokens.push({ t: 'name', value: word[0], offset: i });
      i += word[0].length;
      continue;
    }
    if (c === '=') throw new ConditionSyntaxError("unexpected '=': compare with ==", i);
    if (c === '&' || c === '|') throw new ConditionSyntaxError(`unexpected '${c}': use ${c}${c}`, i);
    throw new ConditionSyntaxError(`unexpected character '${c}'`, i);
  }
  tokens.push({ t: 'end', offset: source.length });
  return tokens;
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    return this.tokens[this.index++];
  }

  parse(): Condition {
    if (this.peek().t === 'end') throw new ConditionSyntaxError("empty condition: write e.g. NAME == 'value'", 0);
    const condition = this.or();
    const rest = this.peek();
    if (rest.t !== 'end')
      throw new ConditionSyntaxError(`found ${describe(rest)} after a complete condition: join conditions with && or ||`, rest.offset);
    return condition;
  }

  private or(): Condition {
    let left = this.and();
    while (this.peek().t === '||') {
      this.next();
      left = { type: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Condition {
    let left = this.unary();
    while (this.peek().t === '&&') {
      this.next();
      left = { type: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Condition {
    if (this.peek().t === '!') {
      this.next();
      return { type: 'not', operand: this.unary() };
    }
    return this.primary();
  }

  private primary(): Condition {
    const token = this.next();
    if (token.t === '(') {
      const inner = this.or();
      const close = this.next();
      if (close.t !== ')') throw new ConditionSyntaxError(`expected ')' but found ${describe(close)}`, close.offset);
      return inner;
    }
    if (token.t === 'name') {
      const op = this.peek();
      if (op.t !== '==' && op.t !== '!=') return { type: 'name', name: token.value };
      this.next();
      const value = this.next();
      if (value.t !== 'string') {
        throw new ConditionSyntaxError(`expected a quoted value after ${op.t}, e.g. ${token.value} ${op.t} 'yes'`, value.offset);
      }
      return { type: 'compare', op: op.t, name: token.value, value: value.value };
    }
    throw new ConditionSyntaxError(`expected a variable name but found ${describe(token)}`, token.offset);
  }
}

function describe(token: Token): string {
  if (token.t === 'end') return 'the end of the condition';
  if (token.t === 'name') return `'${token.value}'`;
  if (token.t === 'string') return `the string '${token.value}'`;
  return `'${token.t}'`;
}

export function parseCondition(source: string): ConditionParse {
  try {
    return { condition: new Parser(tokenize(source)).parse() };
  } catch (error) {
    if (error instanceof ConditionSyntaxError) return { error: error.message, offset: error.offset };
    throw error;
  }
}

/** Words an operator types to mean "no"; an undefined or empty value is false as well. */
const FALSY = new Set(['', 'false', 'no', '0', 'off']);

export function isTruthy(value: string | undefined): boolean {
  return value !== undefined && !FALSY.has(value.trim().toLowerCase());
}

export function evaluateCondition(condition: Condition, variables: Readonly<Record<string, string>>): boolean {
  switch (condition.type) {
    case 'name':
      return isTruthy(variables[condition.name]);
    case 'compare': {
      // An undefined variable compares as '' so `X != 'v'` holds when X was never set.
      const value = variables[condition.name] ?? '';
      return condition.op === '==' ? value === condition.value : value !== condition.value;
    }
    case 'not':
      return !evaluateCondition(condition.operand, variables);
    case 'and':
      return evaluateCondition(condition.left, variables) && evaluateCondition(condition.right, variables);
    case 'or':
      return evaluateCondition(condition.left, variables) || evaluateCondition(condition.right, variables);
  }
}

/** Every variable name the condition reads, first occurrence first. */
export function conditionNames(condition: Condition): string[] {
  const names: string[] = [];
  const visit = (c: Condition): void => {
    if (c.type === 'name' || c.type === 'compare') {
      if (!names.includes(c.name)) names.push(c.name);
    } else if (c.type === 'not') visit(c.operand);
    else {
      visit(c.left);
      visit(c.right);
    }
  };
  visit(condition);
  return names;
}

/** Each variable name in a condition's source with its 0-based offset, for lint to point at an unknown one. */
export function conditionNameOffsets(source: string): { name: string; offset: number }[] {
  try {
    return tokenize(source).flatMap((t) => (t.t === 'name' ? [{ name: t.value, offset: t.offset }] : []));
  } catch {
    return [];
  }
}
