// Front matter (SPEC §1.1) and `input` block bodies as zod schemas; the TypeScript types derive from them.
import { z } from 'zod';

export const VARIABLE_NAME = /^[A-Z][A-Z0-9_]*$/;
export const RUNBOOK_ID = /^[a-z0-9][a-z0-9-]*$/;

const variableName = z.string().regex(VARIABLE_NAME, 'must match ^[A-Z][A-Z0-9_]*$');

export const requiredToolSchema = z.union([
  z.string().min(1),
  z.strictObject({
    name: z.string().min(1),
    version: z.string().min(1).optional(),
  }),
]);

export const inputSpecSchema = z.strictObject({
  prompt: z.string().min(1),
  default: z.union([z.string(), z.number(), z.boolean()]).transform(String).optional(),
  pattern: z.string().optional(),
  choices: z.array(z.union([z.string(), z.number()]).transform(String)).min(1).optional(),
  type: z.enum(['text', 'confirm', 'select']).optional(),
});

export const inputBlockSchema = inputSpecSchema.extend({ name: variableName });

export const secretSpecSchema = z.strictObject({
  prompt: z.string().min(1),
  keychain: z.string().min(1).optional(),
  env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name').optional(),
  scopes: z.array(z.string().min(1)).optional(),
  max_age_days: z.number().int().positive().optional(),
});

export const frontMatterSchema = z.strictObject({
  id: z.string().regex(RUNBOOK_ID, 'must match ^[a-z0-9][a-z0-9-]*$'),
  title: z.string().min(1),
  version: z.string().min(1),
  summary: z.string().optional(),
  requires: z.array(requiredToolSchema).optional(),
  inputs: z.record(variableName, inputSpecSchema).optional(),
  secrets: z.record(variableName, secretSpecSchema).optional(),
  github: z
    .strictObject({
      api: z.string().url().optional(),
      token: variableName.optional(),
    })
    .optional(),
});

export type FrontMatter = z.infer<typeof frontMatterSchema>;
export type InputSpec = z.infer<typeof inputSpecSchema>;
export type SecretSpec = z.infer<typeof secretSpecSchema>;
export type RequiredTool = z.infer<typeof requiredToolSchema>;

export const GITHUB_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Body of a `github` block (SPEC §1.2); `request` is checked further by the parser (method, route). */
export const githubBlockSchema = z.strictObject({
  request: z.string().min(1),
  fields: z.record(z.string(), z.unknown()).optional(),
  status: z.number().int().min(100).max(599).optional(),
  expect: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
  capture: z.record(variableName, z.string().min(1)).optional(),
});

export type GithubBlock = z.infer<typeof githubBlockSchema>;
