// A rehearsal's plan (SPEC §6.5): what the live run that relies on it is held to, and what a
// second person approves (§6.6). Its digest is the one name both sides use for "this plan", so it
// is computed over a canonical form that does not depend on key order or whitespace.
import { z } from 'zod';

export const planStepSchema = z.object({
  id: z.string().describe("the step's id in the runbook"),
  kind: z.string(),
  title: z.string(),
  text: z.string().describe('what the step would run: the command, or the GitHub request with its values filled in; secrets by name only'),
  captured: z.record(z.string(), z.string()).describe('non-secret values the step captured in the rehearsal, by capture name'),
  driftIgnore: z.boolean().optional().describe('drift=ignore: its captured values are expected to change'),
  skipped: z
    .string()
    .optional()
    .describe(
      "why the rehearsal did not reach this step's text (its `if=` was false: 'condition'; 'dry-run=skip'; an operator's reason); text is then empty",
    ),
});

export const planSchema = z
  .object({
    inputs: z.record(z.string(), z.string()).describe('non-secret inputs and choices, by name'),
    steps: z.array(planStepSchema),
  })
  .describe("a rehearsal's plan (SPEC 6.5): what a live run relying on it is held to");

export type PlanStep = z.infer<typeof planStepSchema>;
export type Plan = z.infer<typeof planSchema>;

// The digest lives in a module without zod, so a run (which writes rehearsals' plans) does not load
// zod; it is the one planDigest, re-exported here for readers of the plan.
export { canonicalJson, planDigest } from './plan-digest';
