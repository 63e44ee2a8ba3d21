// `if=` conditions and `{{NAME}}` templates: what an operator sees decide whether a step runs or what prose shows.
import { describe, expect, it } from 'vitest';
import { conditionNameOffsets, conditionNames, evaluateCondition, parseCondition, type Condition } from '../../src/runbook/condition';
import { renderTemplate } from '../../src/runbook/template';
import { formatProblem } from '../../src/runbook/format';

function parsed(source: string): Condition {
  const result = parseCondition(source);
  if ('error' in result) throw new Error(`${source}: ${result.error}`);
  return result.condition;
}

describe('parseCondition', () => {
  it('gives && precedence over ||, and parentheses override it', () => {
    expect(parsed("A || B && C == 'x'")).toEqual({
      type: 'or',
      left: { type: 'name', name: 'A' },
      right: { type: 'and', left: { type: 'name', name: 'B' }, right: { type: 'compare', op: '==', name: 'C', value: 'x' } },
    });
    expect(parsed('(A || B) && !C')).toEqual({
      type: 'and',
      left: { type: 'or', left: { type: 'name', name: 'A' }, right: { type: 'name', name: 'B' } },
      right: { type: 'not', operand: { type: 'name', name: 'C' } },
    });
  });

  it('accepts double-quoted values too', () => {
    expect(parsed('MODE != "dry"')).toEqual({ type: 'compare', op: '!=', name: 'MODE', value: 'dry' });
  });

  // Each message exactly as lint prints it after file:line:col: a mutant that names the wrong token
  // ("found the end of the condition" for a string) must turn this red.
  it.each([
    ['', 0, "empty condition: write e.g. NAME == 'value'"],
    ["A = 'x'", 2, "unexpected '=': compare with =="],
    ["A == 'x", 5, "unterminated string: add the closing '"],
    ['A ==', 4, "expected a quoted value after ==, e.g. A == 'yes'"],
    ['A & B', 2, "unexpected '&': use &&"],
    ['A | B', 2, "unexpected '|': use ||"],
    ['A # B', 2, "unexpected character '#'"],
    ['(A || B', 7, "expected ')' but found the end of the condition"],
    ['(A || B C', 8, "expected ')' but found 'C'"],
    ['A B', 2, "found 'B' after a complete condition: join conditions with && or ||"],
    ["A == 'x' 'y'", 9, "found the string 'y' after a complete condition: join conditions with && or ||"],
    ["'x' == A", 0, "expected a variable name but found the string 'x'"],
    ['A &&', 4, 'expected a variable name but found the end of the condition'],
    ['A && ==', 5, "expected a variable name but found '=='"],
  ])('reports %j as an error at offset %i: %s', (source, offset, message) => {
    expect(parseCondition(source)).toEqual({ error: message, offset });
  });
});

describe('evaluateCondition', () => {
  const vars = { ORG: 'acme', EMPTY: '', NO: 'no', ZERO: '0', FALSE: 'False', YES: 'yes' };

  it('treats a bare name as true when defined, non-empty and not a "no" word', () => {
    expect(evaluateCondition(parsed('ORG'), vars)).toBe(true);
    expect(evaluateCondition(parsed('YES'), vars)).toBe(true);
    for (const name of ['EMPTY', 'NO', 'ZERO', 'FALSE', 'UNSET']) expect(evaluateCondition(parsed(name), vars)).toBe(false);
  });

  it('reads a "no" word the way an operator types it: any case, with stray spaces around it', () => {
    for (const value of [' no', 'OFF ', '\tfalse\n', ' 0 ', 'No'])
      expect(evaluateCondition(parsed('X'), { X: value }), JSON.stringify(value)).toBe(false);
    expect(evaluateCondition(parsed('X'), { X: ' yes ' })).toBe(true);
    expect(evaluateCondition(parsed('X'), { X: 'not' })).toBe(true);
  });

  it('compares exactly, with an unset name comparing as empty', () => {
    expect(evaluateCondition(parsed("ORG == 'acme'"), vars)).toBe(true);
    expect(evaluateCondition(parsed("ORG == 'ACME'"), vars)).toBe(false);
    expect(evaluateCondition(parsed("UNSET != 'x'"), vars)).toBe(true);
    expect(evaluateCondition(parsed("UNSET == ''"), vars)).toBe(true);
  });

  it('combines with !, && and ||', () => {
    expect(evaluateCondition(parsed("!NO && (ORG == 'x' || YES)"), vars)).toBe(true);
    expect(evaluateCondition(parsed("!ORG || ORG == 'x'"), vars)).toBe(false);
  });

  // Found by `npm run mutate`: no test had an && with one side false, so && read as || survived —
  // a step guarded by `A && B` would have run when only one held.
  it('&& holds only when both sides do, || when either does (every row of the truth table)', () => {
    for (const [a, b] of [
      ['YES', 'YES'],
      ['YES', 'NO'],
      ['NO', 'YES'],
      ['NO', 'NO'],
    ] as const) {
      const both = vars[a] === 'yes' && vars[b] === 'yes';
      const either = vars[a] === 'yes' || vars[b] === 'yes';
      expect(evaluateCondition(parsed(`${a} && ${b}`), vars), `${a} && ${b}`).toBe(both);
      expect(evaluateCondition(parsed(`${a} || ${b}`), vars), `${a} || ${b}`).toBe(either);
    }
    expect(evaluateCondition(parsed("ORG == 'acme' && ORG != 'acme'"), vars)).toBe(false);
    expect(evaluateCondition(parsed("ORG != 'acme'"), vars)).toBe(false);
  });
});

describe('conditionNames', () => {
  it('lists each name once, in order', () => {
    expect(conditionNames(parsed("B && (A || !B) && C == 'x'"))).toEqual(['B', 'A', 'C']);
    expect(conditionNames(parsed('!(A || B) && !C'))).toEqual(['A', 'B', 'C']);
  });
});

describe('conditionNameOffsets', () => {
  it('gives each name with where it starts, for lint to point at an unknown one', () => {
    expect(conditionNameOffsets("A && !(BB == 'A') || C_1")).toEqual([
      { name: 'A', offset: 0 },
      { name: 'BB', offset: 7 },
      { name: 'C_1', offset: 21 },
    ]);
  });

  it('gives nothing for a condition that does not even tokenize (the syntax error is reported instead)', () => {
    expect(conditionNameOffsets("A == 'x")).toEqual([]);
  });
});

describe('renderTemplate', () => {
  it('fills variables, masks secrets and leaves unknown names as written', () => {
    const text = 'Org {{ORG}}, token {{ PAT }}, later {{LATER}}, not a name {{org}}';
    expect(renderTemplate(text, { ORG: 'acme', PAT: 'ghp_real' }, new Set(['PAT']))).toBe(
      'Org acme, token ••••, later {{LATER}}, not a name {{org}}',
    );
  });

  it('does not re-expand a value that itself looks like a template', () => {
    expect(renderTemplate('{{A}}', { A: '{{B}}', B: 'no' }, new Set())).toBe('{{B}}');
  });
});

describe('formatProblem', () => {
  it('reads file:line:col: message', () => {
    expect(formatProblem('runbooks/x.md', { line: 3, column: 7, message: 'bad' })).toBe('runbooks/x.md:3:7: bad');
  });
});
