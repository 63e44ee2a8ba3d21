// The completion record's predicate (SPEC §6) as a zod schema: the TypeScript type, the reader's
// validation and docs/record-predicate.schema.json all come from this one definition.
import { z } from 'zod';

import { approvalRecordSchema } from '../core/approval-record';
import { planSchema } from '../core/plan';
import { PREDICATE_TYPE, STATEMENT_TYPE } from './statement-ids';

export { PREDICATE_TYPE, STATEMENT_TYPE };

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'hex sha256');
const time = z.string().describe('RFC 3339 date-time, UTC');

export const stepRecordSchema = z.object({
  id: z.string(),
  kind: z.enum(['run', 'check', 'input', 'github', 'confirm']),
  title: z.string(),
  status: z.enum(['passed', 'failed', 'skipped', 'confirmed', 'auto-confirmed', 'rehearsed', 'not-run']),
  start: time.optional().describe('when the last attempt started; absent for not-run'),
  end: time.optional(),
  attempts: z.number().int().nonnegative().describe('times the step was started, across resumes'),
  exitCode: z.number().int().optional(),
  skipReason: z.string().optional().describe("why it was skipped: 'condition' or the operator's words"),
  failureReason: z.string().optional(),
  items: z
    .array(z.object({ text: z.string().describe('the task item as shown, variables filled'), ticked: z.boolean() }))
    .optional()
    .describe('a task list: each item and whether it was ticked (written [x], ticked by the operator, or accepted by --yes)'),
  confirmation: z
    .enum(['confirmed', 'auto-confirmed'])
    .optional()
    .describe('a run or github step with `confirm`: asked and accepted by the operator, or accepted by --yes'),
  output: z
    .object({
      sha256: sha256.describe('sha256 of the full output, secrets masked'),
      bytes: z.number().int().nonnegative(),
      tail: z.string().describe('last lines of the output, secrets masked'),
    })
    .optional(),
});

export const predicateSchema = z
  .object({
    runbook: z.object({ id: z.string(), title: z.string(), version: z.string(), path: z.string(), sha256 }),
    runId: z.string(),
    mode: z.enum(['live', 'rehearsal']),
    outcome: z.enum(['completed', 'failed', 'aborted']),
    outcomeReason: z.string().optional(),
    operator: z.object({
      user: z.string(),
      host: z.string(),
      githubLogin: z
        .string()
        .optional()
        .describe("the operator's GitHub login: from GET /user with the run's token, or the keychain's github account"),
      sshSigningKey: z
        .object({
          publicKey: z.string().describe('the public key, `ssh-ed25519 AAAA…` without a comment'),
          fingerprint: z.string().describe("`SHA256:…` as ssh-keygen prints it; the keyid of the envelope's SSH signature"),
        })
        .optional()
        .describe("the operator's SSH signing key (git's user.signingkey) that made the envelope's second signature"),
      sshSignatureMissing: z
        .string()
        .optional()
        .describe('why the envelope carries no SSH signature although an SSH signing key was set up'),
    }),
    tool: z.object({ name: z.string(), version: z.string() }),
    start: time,
    end: time,
    resumes: z.array(z.object({ at: time, fromIndex: z.number().int() })).describe('each time the run was resumed after dying'),
    inputs: z.record(z.string(), z.string()).describe('non-secret input values, by name'),
    inputChanges: z
      .array(
        z.object({
          name: z.string(),
          from: z.string(),
          to: z.string(),
          by: z.string().describe('the OS user who changed it'),
          at: time,
          stepId: z.string().describe('the failed step whose retry the new value was given for'),
        }),
      )
      .optional()
      .describe('inputs changed after a step failed, before it was retried; `inputs` holds the last values'),
    secrets: z
      .array(z.object({ name: z.string(), source: z.enum(['env', 'keychain', 'prompt']) }))
      .describe('secret names and where each came from; never values'),
    steps: z.array(stepRecordSchema),
    warnings: z.array(z.string()),
    rehearsal: z
      .object({
        reliedOn: z
          .object({
            recordSha256: sha256.describe("sha256 of the rehearsal's record file"),
            operator: z.string().describe('who rehearsed: @login or user@host'),
            at: time.describe('when the rehearsal ended'),
            location: z.string().describe('where that record was found: a local path or OWNER/REPO:path'),
            planDigest: z
              .string()
              .regex(/^sha256:[0-9a-f]{64}$/)
              .optional()
              .describe("that rehearsal's planDigest: the plan this live run was held to (SPEC 6.5)"),
          })
          .optional()
          .describe('the completed rehearsal of these same runbook bytes this live run relied on'),
        withoutRehearsal: z.string().optional().describe('the reason given with --without-rehearsal'),
      })
      .optional()
      .describe('live runs of a runbook with rehearsal: in its front matter (SPEC 6.3)'),
    approval: approvalRecordSchema.optional(),
    plan: planSchema.optional().describe('rehearsals: the plan a live run relying on this record is held to (SPEC 6.5)'),
    planDigest: z
      .string()
      .regex(/^sha256:[0-9a-f]{64}$/)
      .optional()
      .describe('sha256 of the plan in canonical JSON (sorted keys, no whitespace), as sha256:<hex>'),
    drifts: z
      .array(
        z.object({
          stepId: z.string().optional().describe('the step that gave the value or was about to run; absent for front-matter inputs'),
          field: z
            .enum(['input', 'capture', 'text'])
            .describe('an input or choice, a captured value, or the text a changing step was about to run'),
          name: z.string().optional().describe('the input or capture name'),
          rehearsed: z.string().optional().describe('what the rehearsal had; absent when it never reached it'),
          now: z.string().describe('what the live run had'),
          decision: z
            .enum(['accepted', 'aborted', 'not-asked'])
            .describe('accepted: the run went on; aborted: it stopped there; not-asked: no changing step followed before the run ended'),
          by: z.string().optional().describe('who decided: @login or user@host'),
          auto: z.boolean().optional().describe('decided by --yes: accepted with --accept-drift, or the run ended without it'),
          beforeStepId: z.string().optional().describe('the changing step the run stopped before; absent before step 1'),
        }),
      )
      .optional()
      .describe('live runs held to a rehearsal: each difference from its plan and what was decided (SPEC 6.5)'),
    journal: z.object({
      entries: z.number().int().nonnegative().describe('journal entries covered by this record'),
      lastEntrySha256: sha256.describe('sha256 of the last covered journal line (without its newline)'),
    }),
  })
  .describe('handrail completion record: what was run, by whom, when, and how each step ended');

export type Predicate = z.infer<typeof predicateSchema>;
export type StepRecord = z.infer<typeof stepRecordSchema>;
export type DriftRecord = NonNullable<Predicate['drifts']>[number];

export interface Statement {
  _type: typeof STATEMENT_TYPE;
  subject: { name: string; digest: { sha256: string } }[];
  predicateType: typeof PREDICATE_TYPE;
  predicate: Predicate;
}

export const statementSchema = z.object({
  _type: z.literal(STATEMENT_TYPE),
  subject: z.array(z.object({ name: z.string(), digest: z.object({ sha256 }) })).min(1),
  predicateType: z.literal(PREDICATE_TYPE),
  predicate: predicateSchema,
});

/** The JSON Schema published as docs/record-predicate.schema.json. */
export function predicateJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(predicateSchema, { target: 'draft-2020-12', io: 'input' }),
    $id: 'https://handrail.dev/completion-record/v1/schema.json',
    title: 'handrail completion record predicate v1',
  };
}
