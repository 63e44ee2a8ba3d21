// `expect:` and `capture:` of a github step, as JMESPath over the response's JSON.
import { search, type JSONValue } from '@jmespath-community/jmespath';
import { HandrailError } from '../core/errors';
import { truncate } from './route';

function evaluate(data: unknown, expression: string, what: string): JSONValue {
  try {
    return search((data ?? null) as JSONValue, expression);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new HandrailError(
      `The ${what} expression ${JSON.stringify(expression)} could not be evaluated (${reason}); fix it in the runbook.`,
      1,
    );
  }
}

/** JMESPath truthiness: false, null, "", [] and {} are false. */
function truthy(value: JSONValue): boolean {
  if (value === null || value === false || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

const show = (value: unknown) => truncate(JSON.stringify(value) ?? 'null', 120);

/** Throws, naming the expression and what it gave, on the first expectation that does not hold. */
export function checkExpectations(data: unknown, expectations: readonly string[]): void {
  for (const expression of expectations) {
    const value = evaluate(data, expression, 'expect');
    if (!truthy(value)) {
      throw new HandrailError(`Expectation not met: ${expression} gave ${show(value)} for the response ${show(data)}.`);
    }
  }
}

/** NAME → value; strings as they are, anything else as JSON. A null result is an error: later steps need a value. */
export function captureValues(data: unknown, capture: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, expression] of Object.entries(capture)) {
    const value = evaluate(data, expression, 'capture');
    if (value === null) {
      throw new HandrailError(`Capture ${name}: ${expression} found nothing in the response ${show(data)}.`);
    }
    out[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}
