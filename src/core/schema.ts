// Front matter (SPEC §1.1) and `input` block bodies as zod schemas; the TypeScript types derive from them.
// zod/mini, not the classic API: the same validator core without every locale and method chain, so
// `handrail lint` loads a few kilobytes of it instead of most of a megabyte.
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// Messages zod writes itself (e.g. "expected number to be <=599") read the same as with classic zod.
z.config(en());

export const VARIABLE_NAME = /^[A-Z][A-Z0-9_]*$/;
export const RUNBOOK_ID = /^[a-z0-9][a-z0-9-]*$/;
/**
 * A GitHub repository as OWNER/REPO (GitHub's own character set for both halves). A repository is
 * never `.` or `..`: a URL parser reads those as "this" and "the parent" segment, so a request would
 * name another resource than the one shown.
 */
export const REPO_NAME = /^[A-Za-z0-9-]+\/(?!\.\.?$)[A-Za-z0-9._-]+$/;
/** A span of time as written for `rehearsal.within`: 14d, 36h, 90m, 1d12h. */
export const DURATION_TEXT = /^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/;

/** A GitHub login; `@alice` is read as `alice`. */
export const GITHUB_LOGIN_TEXT = /^@?[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** `@org/team-slug`: the members of a GitHub team (never `.` or `..`: `@org/..` would ask the org's membership). */
export const GITHUB_TEAM = /^@[A-Za-z0-9-]+\/(?!\.\.?$)[A-Za-z0-9._-]+$/;

/** Longest `records.path`: with `<runbook id>/<record file>` after it, a path stays well inside what file systems and GitHub take. */
export const MAX_RECORDS_PATH = 100;

/**
 * Why a records folder is not one handrail writes to, or undefined: too long, a `.` or `..` segment,
 * or under `.github/`, where a committed file becomes a workflow or a repository setting.
 */
export function recordsPathProblem(path: string): string | undefined {
  if (path.length === 0 || path.length > MAX_RECORDS_PATH) return `must be 1 to ${MAX_RECORDS_PATH} characters long, not ${path.length}`;
  const segments = path.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\')))
    return 'must be a folder path without empty, . or .. segments';
  if (segments[0]!.toLowerCase() === '.github') return 'must not be under .github/ (files there can become workflows)';
  return undefined;
}

const nonEmpty = () => z.string().check(z.minLength(1));
const variableName = z.string().check(z.regex(VARIABLE_NAME, 'must match ^[A-Z][A-Z0-9_]*$'));

export const requiredToolSchema = z.union([
  nonEmpty(),
  z.strictObject({
    name: nonEmpty(),
    version: z.optional(nonEmpty()),
    /** A command whose exit 0 means the tool is there; its output gives the version. */
    check: z.optional(nonEmpty()),
    /** What to do when the tool is missing or too old. */
    hint: z.optional(nonEmpty()),
  }),
]);

export const inputSpecSchema = z.strictObject({
  prompt: nonEmpty(),
  default: z.optional(z.pipe(z.union([z.string(), z.number(), z.boolean()]), z.transform(String))),
  pattern: z.optional(z.string()),
  choices: z.optional(z.array(z.pipe(z.union([z.string(), z.number()]), z.transform(String))).check(z.minLength(1))),
  type: z.optional(z.enum(['text', 'confirm', 'select'])),
  /** An earlier capture holding a JSON array of strings or {value, label}: the values offered. */
  choices_from: z.optional(variableName),
  /** A variable holding the value in use now (the digest a tag points at): marked, never pre-selected, refused. */
  current: z.optional(variableName),
});

export const inputBlockSchema = z.extend(inputSpecSchema, { name: variableName });

export const secretSpecSchema = z.strictObject({
  prompt: nonEmpty(),
  keychain: z.optional(nonEmpty()),
  env: z.optional(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'))),
  scopes: z.optional(z.array(nonEmpty())),
  max_age_days: z.optional(z.int().check(z.positive())),
});

export const frontMatterSchema = z.strictObject({
  id: z.string().check(z.regex(RUNBOOK_ID, 'must match ^[a-z0-9][a-z0-9-]*$')),
  title: nonEmpty(),
  version: nonEmpty(),
  summary: z.optional(z.string()),
  requires: z.optional(z.array(requiredToolSchema)),
  inputs: z.optional(z.record(variableName, inputSpecSchema)),
  secrets: z.optional(z.record(variableName, secretSpecSchema)),
  github: z.optional(
    z.strictObject({
      api: z.optional(z.url()),
      token: z.optional(variableName),
    }),
  ),
  records: z.optional(
    z.strictObject({
      repo: z.optional(z.string().check(z.regex(REPO_NAME, 'must be OWNER/REPO'))),
      path: z.optional(
        z.string().check(
          z.regex(/^[^/](.*[^/])?$/, 'must be a folder path without leading or trailing /'),
          // A path the outbox or GitHub cannot take would lose the record at the end of the run.
          z.superRefine((path, ctx) => {
            const problem = /^[^/](.*[^/])?$/.test(path) ? recordsPathProblem(path) : undefined;
            if (problem) ctx.issues.push({ code: 'custom', message: problem, input: path });
          }),
        ),
      ),
      token: z.optional(variableName),
    }),
  ),
  rehearsal: z.optional(
    z.strictObject({
      required: z.optional(z.boolean()),
      within: z.optional(z.string().check(z.regex(DURATION_TEXT, 'must be a duration like 14d, 36h or 90m'))),
    }),
  ),
  /** A second person approves the plan before a live run (SPEC §6.6); see src/approval. */
  approval: z.optional(
    z.strictObject({
      required: z.int().check(z.minimum(1), z.maximum(10)),
      from: z.union([
        z.array(z.string().check(z.regex(GITHUB_LOGIN_TEXT, 'must be a GitHub login'))).check(z.minLength(1)),
        z.string().check(z.regex(GITHUB_TEAM, 'must be a list of GitHub logins or "@org/team"')),
      ]),
      within: z.string().check(z.regex(DURATION_TEXT, 'must be a duration like 4h, 90m or 1d')),
    }),
  ),
});

export type FrontMatter = z.infer<typeof frontMatterSchema>;
export type InputSpec = z.infer<typeof inputSpecSchema>;
export type SecretSpec = z.infer<typeof secretSpecSchema>;
export type RequiredTool = z.infer<typeof requiredToolSchema>;

export const GITHUB_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Body of a `github` block (SPEC §1.2); `request` is checked further by the parser (method, route). */
export const githubBlockSchema = z.strictObject({
  request: nonEmpty(),
  fields: z.optional(z.record(z.string(), z.unknown())),
  status: z.optional(z.int().check(z.minimum(100), z.maximum(599))),
  expect: z.optional(z.union([nonEmpty(), z.array(nonEmpty())])),
  capture: z.optional(z.record(variableName, nonEmpty())),
  /** A GET of a list: follow GitHub's `Link: rel="next"` and answer with every page joined (bounded). */
  paginate: z.optional(z.boolean()),
});

export type GithubBlock = z.infer<typeof githubBlockSchema>;
