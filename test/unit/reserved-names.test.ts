// SPEC §3.2: names the shell or the loader act on cannot be inputs, secrets or captures. Each value
// reaches every step as an env var of its name: BASH_ENV's value would be sourced by every bash step.
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isReservedName } from '../../src/runbook/reserved-names';
import { runCli, tempHome } from '../helpers/cli';
import { FRONT, problemsOf, where, withFront } from './runbook-helpers';

const RESERVED = /cannot be .*: the shell or the program loader acts on a variable of that name/;

function expectReservedAt(source: string, needle: string, name: string): void {
  const problems = problemsOf(source);
  expect(problems, JSON.stringify(problems)).toHaveLength(1);
  expect(problems[0].message).toMatch(RESERVED);
  expect(problems[0].message.startsWith(name) || problems[0].message.includes(` ${name} `)).toBe(true);
  expect({ line: problems[0].line, column: problems[0].column }).toEqual(where(source, needle));
}

describe('reserved names', () => {
  it('covers the families SPEC §3.2 lists, and leaves ordinary names alone', () => {
    for (const name of [
      'PATH',
      'IFS',
      'ENV',
      'BASH_ENV',
      'SHELLOPTS',
      'BASHOPTS',
      'PS4',
      'LD_PRELOAD',
      'LD_LIBRARY_PATH',
      'DYLD_INSERT_LIBRARIES',
      'HOME',
      'SHELL',
      'BASH_FUNC_X',
      'LC_ALL',
      'NODE_OPTIONS',
    ]) {
      expect(isReservedName(name), name).toBe(true);
    }
    for (const name of ['ORG', 'PATHNAME', 'HOMEPAGE', 'ENVIRONMENT', 'SHELL_CMD', 'BUILD', 'LDAP_URL', 'IMAGE_PATH']) {
      expect(isReservedName(name), name).toBe(false);
    }
  });

  it('as a front-matter input, at its key', () => {
    const source = FRONT.replace('  ORG:\n    prompt: Organisation', '  BASH_ENV:\n    prompt: A file');
    expectReservedAt(source, 'BASH_ENV:', 'BASH_ENV');
  });

  it('as a secret, at its key', () => {
    const source = FRONT.replace('  PAT:\n    prompt: A token', '  LD_PRELOAD:\n    prompt: A token');
    expectReservedAt(source, 'LD_PRELOAD:', 'LD_PRELOAD');
  });

  it('as an input block name, at the name', () => {
    const source = withFront('# Ask\n\n```yaml input\nname: IFS\nprompt: Separator\n```\n');
    expectReservedAt(source, 'name: IFS', 'IFS');
  });

  it('as capture= of a run step, at the attribute', () => {
    const source = withFront('# Find\n\n```sh run capture=PATH\necho /tmp/evil\n```\n');
    expectReservedAt(source, 'capture=PATH', 'PATH');
  });

  it('as a github capture, at its key', () => {
    const source = withFront('# Ask GitHub\n\n```yaml github\nrequest: GET /orgs/{ORG}\ncapture:\n  SHELLOPTS: login\n```\n');
    expectReservedAt(source, 'SHELLOPTS', 'SHELLOPTS');
  });

  it('an attacker’s BASH_ENV input: lint says file:line:col, and run executes nothing (exit 2)', async () => {
    const home = tempHome('handrail-reserved-');
    const dir = mkdtempSync(join(tmpdir(), 'handrail-reserved-'));
    writeFileSync(join(dir, 'payload.sh'), `touch ${join(dir, 'PWNED')}\n`);
    const runbook = join(dir, 'innocent.md');
    writeFileSync(
      runbook,
      '---\nid: innocent\ntitle: Innocent\nversion: 1.0.0\ninputs:\n  BASH_ENV:\n    prompt: Config file\n---\n\n# Hello\n\n```bash run\necho hello\n```\n',
    );
    const lint = await runCli(['lint', runbook], { env: home.env });
    expect(lint.code).toBe(2);
    expect(lint.stdout).toContain(`${runbook}:6:3: front matter: BASH_ENV cannot be an input`);
    const run = await runCli(['run', runbook, '--yes', '--set', `BASH_ENV=${join(dir, 'payload.sh')}`], { env: home.env, cwd: dir });
    expect(run.code).toBe(2);
    expect(existsSync(join(dir, 'PWNED'))).toBe(false);
  });
});
