// Bodies of `input` and `github` blocks: YAML validated against their schemas, problems at the body's lines.
import { compile } from '@jmespath-community/jmespath';
import type { ParseContext } from './context';
import { checkInputSpec } from './input-checks';
import type { InputSpec } from '../core/model';
import { GITHUB_METHODS, githubBlockSchema, inputBlockSchema, VARIABLE_NAME } from '../core/schema';
import { YamlSource, type PathSegment } from './yaml-source';
import { pathLabel } from './frontmatter';

export interface BodyLocation {
  /** File line of the body's first line. */
  line: number;
  /** Columns the body is indented by (a block inside a list item). */
  indent: number;
}

function label(kind: string) {
  return (path: readonly PathSegment[]) => (path.length ? `${kind} block: ${pathLabel(path)}: ` : `${kind} block: `);
}

function emptyBody(ctx: ParseContext, text: string, at: BodyLocation, kind: string): boolean {
  if (text.trim()) return false;
  ctx.add({ line: at.line - 1, column: at.indent + 1 }, `${kind} block is empty: write its YAML body`);
  return true;
}

export function readInputBlock(text: string, at: BodyLocation, ctx: ParseContext): (InputSpec & { name: string }) | undefined {
  if (emptyBody(ctx, text, at, 'input')) return undefined;
  const yaml = new YamlSource(text, at.line, at.indent);
  const done = () => {
    ctx.problems.push(...yaml.problems);
    return undefined;
  };
  if (!yaml.ok) return done();
  const result = inputBlockSchema.safeParse(yaml.value());
  if (!result.success) {
    yaml.addIssues(result.error.issues, label('input'));
    return done();
  }
  checkInputSpec(yaml, [], result.data, 'input block: ');
  return yaml.ok ? result.data : done();
}

export interface GithubRequest {
  method: string;
  route: string;
  fields?: Record<string, unknown>;
  status?: number;
  expect: string[];
  capture: Record<string, string>;
  paginate?: boolean;
  /** Where each `capture:` name is written. */
  capturePositions: Record<string, { line: number; column: number }>;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;
const FIELD_PLACEHOLDER = /\{([A-Z][A-Z0-9_]*)\}/g;

export function readGithubBlock(text: string, at: BodyLocation, step: number, ctx: ParseContext): GithubRequest | undefined {
  if (emptyBody(ctx, text, at, 'github')) return undefined;
  const yaml = new YamlSource(text, at.line, at.indent);
  const done = () => {
    ctx.problems.push(...yaml.problems);
    return undefined;
  };
  if (!yaml.ok) return done();
  const result = githubBlockSchema.safeParse(yaml.value());
  if (!result.success) {
    yaml.addIssues(result.error.issues, label('github'));
    return done();
  }
  const body = result.data;
  const match = /^(\S+)\s+(\S+)$/.exec(body.request.trim());
  const methods: readonly string[] = GITHUB_METHODS;
  let method = '';
  let route = '';
  if (!match || !methods.includes(match[1]) || !match[2].startsWith('/')) {
    yaml.add(
      yaml.positionOf(['request']),
      `github block: request must be "METHOD /route" with METHOD one of ${GITHUB_METHODS.join(', ')}, e.g. GET /user`,
    );
  } else {
    [, method, route] = match;
    const routeOffset = body.request.indexOf(route);
    for (const m of route.matchAll(PLACEHOLDER)) {
      const pos = yaml.positionInValue(['request'], routeOffset + m.index);
      if (!VARIABLE_NAME.test(m[1])) {
        yaml.add(pos, `github block: route placeholder {${m[1]}} must name a variable (UPPER_CASE, e.g. {ORG})`);
      } else ctx.uses.push({ name: m[1], pos, step, how: 'route' });
    }
  }
  const visitFields = (value: unknown, path: PathSegment[]): void => {
    if (typeof value === 'string') {
      for (const m of value.matchAll(FIELD_PLACEHOLDER)) {
        ctx.uses.push({ name: m[1], pos: yaml.positionOf(path), step, how: 'field' });
      }
    } else if (Array.isArray(value)) value.forEach((item, i) => visitFields(item, [...path, i]));
    else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) visitFields(item, [...path, key]);
    }
  };
  if (body.fields) visitFields(body.fields, ['fields']);

  const expect = body.expect === undefined ? [] : typeof body.expect === 'string' ? [body.expect] : body.expect;
  expect.forEach((expression, index) => {
    const error = jmespathError(expression);
    const path = typeof body.expect === 'string' ? ['expect'] : ['expect', index];
    if (error) yaml.add(yaml.positionOf(path), `github block: expect "${expression}" is not valid JMESPath: ${error}`);
  });
  const capturePositions: GithubRequest['capturePositions'] = {};
  for (const [name, expression] of Object.entries(body.capture ?? {})) {
    capturePositions[name] = yaml.positionOf(['capture', name]);
    const error = jmespathError(expression);
    if (error) yaml.add(capturePositions[name], `github block: capture ${name} is not valid JMESPath: ${error}`);
  }
  if (body.paginate && method && method !== 'GET') {
    yaml.add(
      yaml.positionOf(['paginate']),
      `github block: paginate follows the pages of a list, which only a GET reads: remove it from this ${method}`,
    );
  }
  if (!yaml.ok) return done();
  return {
    method,
    route,
    fields: body.fields,
    status: body.status,
    expect,
    capture: body.capture ?? {},
    ...(body.paginate ? { paginate: true } : {}),
    capturePositions,
  };
}

/** Runbooks repeat the same few expressions (`length(@) > \`0\``) across many steps: each is compiled once. */
const jmespathErrors = new Map<string, string | undefined>();

function jmespathError(expression: string): string | undefined {
  if (jmespathErrors.has(expression)) return jmespathErrors.get(expression);
  let error: string | undefined;
  try {
    compile(expression);
  } catch (thrown) {
    error = (thrown as Error).message;
  }
  jmespathErrors.set(expression, error);
  return error;
}
