// Front matter (SPEC §1.1): YAML between the opening `---` lines, validated by the zod schema, with every
// problem placed on the key that causes it.
import semver from 'semver';
import { BUILTIN_VARIABLES, type Problem } from '../core/model';
import { frontMatterSchema, type FrontMatter } from '../core/schema';
import { checkInputSpec } from './input-checks';
import { isReservedName, reservedNameMessage } from './reserved-names';
import { reservedAccountProblem } from '../core/reserved';
import { templateReferences } from './template';
import { YamlSource, type PathSegment } from './yaml-source';

export function pathLabel(path: readonly PathSegment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

const describe = (path: readonly PathSegment[]): string => (path.length ? `front matter: ${pathLabel(path)}: ` : 'front matter: ');

export function parseFrontMatter(text: string, firstLine: number): { meta?: FrontMatter; problems: Problem[] } {
  const yaml = new YamlSource(text, firstLine);
  if (!yaml.ok) return { problems: yaml.problems };
  const result = frontMatterSchema.safeParse(yaml.value());
  if (!result.success) {
    yaml.addIssues(result.error.issues, describe);
    return { problems: yaml.problems };
  }
  const meta = result.data;
  if (!semver.valid(meta.version)) {
    yaml.add(yaml.positionOf(['version']), `front matter: version "${meta.version}" is not semver: write it like 1.2.0`);
  }
  meta.requires?.forEach((tool, index) => {
    if (typeof tool === 'string') return;
    if (tool.check !== undefined) {
      const problem = checkCommandProblem(tool.check, meta);
      if (problem) yaml.add(yaml.positionOf(['requires', index, 'check']), `front matter: requires[${index}].check ${problem}`);
    }
    if (tool.version === undefined) return;
    if (!semver.validRange(tool.version)) {
      yaml.add(
        yaml.positionOf(['requires', index, 'version']),
        `front matter: requires[${index}].version "${tool.version}" is not a semver range: write it like ">=2.40"`,
      );
    }
  });
  for (const [name, spec] of Object.entries(meta.inputs ?? {})) {
    checkInputSpec(yaml, ['inputs', name], spec, `front matter: inputs.${name}.`);
    if (spec.choices_from !== undefined) {
      yaml.add(
        yaml.positionOf(['inputs', name, 'choices_from']),
        `front matter: inputs.${name}.choices_from: front-matter inputs are asked before step 1, before any capture; ask ${name} in an input block after the step that captures ${spec.choices_from}`,
      );
    }
    if (spec.current !== undefined) {
      yaml.add(
        yaml.positionOf(['inputs', name, 'current']),
        `front matter: inputs.${name}.current: front-matter inputs are asked before step 1, before any capture; ask ${name} in an input block after the step that captures ${spec.current}`,
      );
    }
  }
  const builtins: readonly string[] = BUILTIN_VARIABLES;
  for (const group of ['inputs', 'secrets'] as const) {
    for (const name of Object.keys(meta[group] ?? {})) {
      if (isReservedName(name)) {
        yaml.add(
          yaml.positionOf([group, name]),
          `front matter: ${reservedNameMessage(name, group === 'inputs' ? 'an input' : 'a secret')}`,
        );
      } else if (builtins.includes(name)) {
        yaml.add(yaml.positionOf([group, name]), `front matter: ${name} is built in: choose another name`);
      } else if (group === 'secrets' && meta.inputs && Object.hasOwn(meta.inputs, name)) {
        yaml.add(yaml.positionOf([group, name]), `front matter: ${name} is both an input and a secret: rename one`);
      }
    }
  }
  for (const [name, spec] of Object.entries(meta.secrets ?? {})) {
    const problem = spec.keychain === undefined ? undefined : reservedAccountProblem(spec.keychain);
    if (problem) yaml.add(yaml.positionOf(['secrets', name, 'keychain']), `front matter: secrets.${name}.keychain: ${problem}`);
  }
  const token = meta.github?.token;
  if (token !== undefined && !(meta.secrets && Object.hasOwn(meta.secrets, token))) {
    yaml.add(yaml.positionOf(['github', 'token']), `front matter: github.token names ${token}, which is not declared under secrets:`);
  }
  const recordsToken = meta.records?.token;
  if (recordsToken !== undefined && !(meta.secrets && Object.hasOwn(meta.secrets, recordsToken))) {
    yaml.add(
      yaml.positionOf(['records', 'token']),
      `front matter: records.token names ${recordsToken}, which is not declared under secrets:`,
    );
  }
  // An approval is of a rehearsal's plan, kept in the team's repository (SPEC §6.6).
  if (meta.approval !== undefined) {
    if (!meta.records?.repo)
      yaml.add(
        yaml.positionOf(['approval']),
        "front matter: approval needs records.repo: requests and approvals are kept in the team's records repository",
      );
    if (meta.rehearsal?.required !== true)
      yaml.add(
        yaml.positionOf(['approval']),
        'front matter: approval needs rehearsal.required: true: what is approved is the plan of the rehearsal the live run relies on',
      );
  }
  return yaml.ok ? { meta, problems: [] } : { problems: yaml.problems };
}

const SHELL_REFERENCE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * A `requires` check runs before inputs are asked and secrets read, with only the step environment's
 * allowlist (PATH, HOME, …): a runbook variable or secret there would be empty, or worse, a secret
 * would reach a command no step named.
 */
function checkCommandProblem(command: string, meta: FrontMatter): string | undefined {
  const template = templateReferences(command)[0];
  if (template) return `cannot use {{${template.name}}}: it runs before any input is given; write the command with fixed words`;
  for (const m of command.matchAll(SHELL_REFERENCE)) {
    const name = m[1] ?? m[2]!;
    if (meta.secrets && Object.hasOwn(meta.secrets, name))
      return `cannot read the secret ${name}: a check runs before secrets are read and no check is granted one`;
    if ((meta.inputs && Object.hasOwn(meta.inputs, name)) || (BUILTIN_VARIABLES as readonly string[]).includes(name)) {
      return `cannot read ${name}: a check runs before inputs are given; write the command with fixed words`;
    }
  }
  return undefined;
}
