// `{NAME}` placeholders: URL-encoded in a route, where each fills exactly one path segment (SPEC
// §3.2: a value can neither add a segment nor remove one), inserted as-is in field values (they are
// JSON, not URLs).
import { HandrailError } from '../core/errors';

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function fill(text: string, variables: Readonly<Record<string, string>>, encode: (v: string) => string, where: string): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = variables[name];
    if (value === undefined)
      throw new HandrailError(`{${name}} in ${where} has no value yet; give it as an input or capture it in an earlier step.`);
    return encode(value);
  });
}

export function fillRoute(route: string, variables: Readonly<Record<string, string>>): string {
  const where = `the request ${route}`;
  return route
    .split('/')
    .map((segment) => {
      if (!segment.includes('{')) return segment;
      const names: string[] = [];
      const raw = fill(segment, variables, (value) => value, where);
      segment.replace(PLACEHOLDER, (_, name: string) => (names.push(name), ''));
      for (const name of names) assertOneSegment(name, variables[name], route);
      // `{A}{B}` with A='.' and B='.' is '..' together: the filled segment is checked too.
      if (!isSegment(raw)) throw segmentError(names.join('}{'), names.length === 1 ? variables[names[0]]! : raw, route);
      return fill(segment, variables, encodeURIComponent, where);
    })
    .join('/');
}

// URL parsers read `.`/`..` (also written %2E) as "this" and "the parent" segment, and `\` as `/`;
// servers may decode %2F to `/`. Any of them would change which resource the request names.
function isSegment(value: string): boolean {
  const decoded = decodeOnce(value);
  return ![value, decoded].some((v) => v === '' || v === '.' || v === '..' || /[/\\]/.test(v));
}

function decodeOnce(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** A value may be part of a segment (`{NAME}.json`), but may never split one. */
function assertOneSegment(name: string, value: string | undefined, route: string): void {
  if (value !== undefined && [value, decodeOnce(value)].some((v) => /[/\\]/.test(v))) throw segmentError(name, value, route);
}

function segmentError(name: string, value: string, route: string): HandrailError {
  return new HandrailError(
    `{${name}} in ${route} is ${JSON.stringify(value)}, which is not exactly one path segment (it is empty, "." or "..", or holds "/" or "\\", also %-encoded), so the request was not sent.`,
  );
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
