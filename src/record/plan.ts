// A rehearsal's plan (SPEC §6.5): what the live run that relies on it is held to, and what a
// second person approves (§6.6). Its digest is the one name both sides use for "this plan", so it
// is computed over a canonical form that does not depend on key order or whitespace.
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const planStepSchema = z.object({
  id: z.string().describe("the step's id in the runbook"),
  kind: z.string(),
  title: z.string(),
  text: z
    .string()
    .describe('what the step would run: the command, or the GitHub request with its values filled in; secrets by name only'),
  captured: z.record(z.string(), z.string()).describe('non-secret values the step captured in the rehearsal, by capture name'),
  driftIgnore: z.boolean().optional().describe('drift=ignore: its captured values are expected to change'),
});

export const planSchema = z
  .object({
    inputs: z.record(z.string(), z.string()).describe('non-secret inputs and choices, by name'),
    steps: z.array(planStepSchema),
  })
  .describe("a rehearsal's plan (SPEC 6.5): what a live run relying on it is held to");

export type PlanStep = z.infer<typeof planStepSchema>;
export type Plan = z.infer<typeof planSchema>;

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
