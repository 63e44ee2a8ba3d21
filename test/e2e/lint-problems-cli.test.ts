// Lint problems that had no test, as `handrail lint` prints them: `file:line:col: message`, one line
// each, exit 2. Positions are found in each runbook's text (where the author must look), not counted
// by hand; the messages are the sentences an author reads.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/cli';
import { where } from '../unit/runbook-helpers';

const FRONT = [
  '---',
  'id: t',
  'title: Test runbook',
  'version: 1.0.0',
  'inputs:',
  '  ORG:',
  '    prompt: Organisation',
  'secrets:',
  '  PAT:',
  '    prompt: A token',
  '---',
  '',
].join('\n');
const fence = (info: string, body = 'echo hi') => `${FRONT}\n# A\n\n\`\`\`${info}\n${body}\n\`\`\`\n`;
const front = (lines: string) => `---\nid: t\ntitle: T\nversion: 1.0.0\n${lines}\n---\n# A\n`;

interface Case {
  name: string;
  source: string;
  /** The text the problem points at (its first occurrence), or a position. */
  at: string | { line: number; column: number };
  message: string;
}

const cases: Case[] = [
  {
    name: 'empty-title',
    source: '---\nid: t\ntitle: ""\nversion: 1.0.0\n---\n# A\n',
    at: 'title:',
    message: 'front matter: title: must not be empty',
  },
  {
    name: 'empty-secrets-name',
    source: fence('sh run secrets=PAT,'),
    at: 'secrets=PAT,',
    message: 'secrets= has an empty name: write secrets=A,B',
  },
  {
    name: 'bad-stdin-name',
    source: fence('sh run stdin=pat', 'cat'),
    at: 'stdin=',
    message: 'stdin= must name a secret or variable (UPPER_CASE), not "pat"',
  },
  {
    name: 'empty-cwd',
    source: fence('sh run cwd=', 'pwd'),
    at: 'cwd=',
    message: "cwd= is empty: leave it out to use the runbook's folder",
  },
  {
    name: 'stdin-interactive',
    source: fence('sh run stdin=PAT interactive', 'cat'),
    at: 'stdin=',
    message: 'stdin= cannot be used with interactive: the command reads the terminal',
  },
  {
    name: 'no-space-after-quote',
    source: fence('sh run title="Say hi"confirm'),
    at: 'confirm\n',
    message: 'put a space after the closing " of title=',
  },
  {
    name: 'capture-secret',
    source: fence('sh run capture=PAT'),
    at: 'capture=',
    message: 'PAT is a secret: a step cannot set it; choose another name',
  },
  {
    name: 'capture-builtin',
    source: fence('sh run capture=GITHUB_LOGIN'),
    at: 'capture=',
    message: 'GITHUB_LOGIN is built in: choose another name',
  },
  {
    name: 'typed-in-task',
    source: `${FRONT}\n# A\n\n- [ ] do this\n\n  \`\`\`sh run\n  echo hi\n  \`\`\`\n`,
    at: '```sh run',
    message: 'a typed block inside a task item is not run: move it out of the task list',
  },
  // A no-break space is all the item holds: a task item for the parser, nothing to do for the operator.
  {
    name: 'empty-task',
    source: `${FRONT}\n# A\n\n- [ ] one\n- [ ] \u00a0\n`,
    at: '- [ ] \u00a0',
    message: 'empty task item: write what the operator should do after "- [ ]"',
  },
  {
    name: 'builtin-in-front',
    source: front('inputs:\n  GITHUB_LOGIN:\n    prompt: x'),
    at: 'GITHUB_LOGIN:',
    message: 'front matter: GITHUB_LOGIN is built in: choose another name',
  },
  {
    name: 'input-and-secret',
    source: front('inputs:\n  PAT:\n    prompt: x\nsecrets:\n  PAT:\n    prompt: y'),
    at: { line: 9, column: 3 },
    message: 'front matter: PAT is both an input and a secret: rename one',
  },
  {
    name: 'default-outside-choices',
    source: front('inputs:\n  STAGE:\n    prompt: x\n    type: select\n    choices: [staging, production]\n    default: dev'),
    at: 'default:',
    message: 'front matter: inputs.STAGE.default "dev" is not one of its choices (staging, production)',
  },
  {
    name: 'select-without-choices',
    source: front('inputs:\n  STAGE:\n    prompt: x\n    type: select'),
    at: 'type:',
    message: 'front matter: inputs.STAGE.type select needs choices: add a choices: list or choices_from:',
  },
  {
    name: 'confirm-with-choices',
    source: front('inputs:\n  GO:\n    prompt: x\n    type: confirm\n    choices: [yes, no]'),
    at: 'choices:',
    message: 'front matter: inputs.GO.a confirm input is yes/no: remove choices or use type: select',
  },
];

describe('handrail lint names each problem where the author must look', () => {
  const { env } = tempHome();

  it('prints file:line:col: message for each, one problem per runbook, and exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handrail-lint-problems-'));
    const files = cases.map((c) => {
      const file = join(dir, `${c.name}.md`);
      writeFileSync(file, c.source);
      return file;
    });
    const r = await runCli(['lint', ...files], { env });
    expect(r.code).toBe(2);
    const expected = cases.map((c, i) => {
      const at = typeof c.at === 'string' ? where(c.source, c.at) : c.at;
      return `${files[i]}:${at.line}:${at.column}: ${c.message}`;
    });
    expect(r.stdout.trim().split('\n').sort()).toEqual(expected.sort());
    expect(r.stderr).toContain(`${cases.length} problems in ${cases.length} of ${cases.length} runbooks`);
  });
});
