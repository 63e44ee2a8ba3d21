// `{NAME}` placeholders: URL-encoded in a route (a value can never add a path segment or query),
// inserted as-is in field values (they are JSON, not URLs).
import { HandrailError } from '../errors';

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function fill(text: string, variables: Readonly<Record<string, string>>, encode: (v: string) => string, where: string): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = variables[name];
    if (value === undefined) throw new HandrailError(`{${name}} in ${where} has no value yet; give it as an input or capture it in an earlier step.`);
    return encode(value);
  });
}

export function fillRoute(route: string, variables: Readonly<Record<string, string>>): string {
  return fill(route, variables, encodeURIComponent, `the request ${route}`);
}

/** Fills placeholders in every string inside `fields`, keeping the JSON shape. */
export function fillFields(value: unknown, variables: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') return fill(value, variables, (v) => v, 'the request fields');
  if (Array.isArray(value)) return value.map((v) => fillFields(v, variables));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillFields(v, variables)]));
  }
  return value;
}

/** A short one-line view of fields for the operator: `{visibility: "public", ref: "main"}`. */
export function describeFields(fields: unknown, max = 200): string {
  if (fields === undefined || (typeof fields === 'object' && fields !== null && Object.keys(fields).length === 0)) return '';
  return truncate(JSON.stringify(fields), max);
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
