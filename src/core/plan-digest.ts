// The plan's digest (SPEC §6.5, §6.6): `sha256:<hex>` over its canonical JSON. Kept free of zod so
// writing a rehearsal's record loads no schema library; plan.ts re-exports it.
import { createHash } from 'node:crypto';
import type { Plan } from './plan';

/** JSON with object keys sorted at every level and no whitespace: the form the plan digest is taken over. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, v]) => [key, sortKeys(v)]),
    );
  }
  return value;
}

/** `sha256:<hex>` over the plan's canonical JSON (UTF-8). */
export function planDigest(plan: Plan): string {
  return `sha256:${createHash('sha256').update(canonicalJson(plan), 'utf8').digest('hex')}`;
}
