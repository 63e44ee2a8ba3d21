// What a step does, as one hash: its kind, body and attributes, without what only names or places it
// (id, title, section, prose, source positions). Resume matches finished steps by this as well as by
// id, so an edit that shifts default ids cannot make a finished step look new, or a new one finished.
import { createHash } from 'node:crypto';
import type { Step } from '../core/model';

const PLACE_ONLY = new Set(['id', 'title', 'section', 'prose', 'pos', 'condition']);

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key, v]) => !PLACE_ONLY.has(key) && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, v]) => [key, canonical(v)]),
  );
}

export function stepDigest(step: Step): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(step)))
    .digest('hex');
}
