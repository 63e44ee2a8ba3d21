// SPEC §3.2: lint and list survive any file. An alias bomb, deep nesting and a huge file each get one
// `file:line:col` problem (exit 2), and the other files are still checked. Run under a 128 MB heap:
// a parser that expanded the bomb or built the whole nest would die there instead of answering.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, tempHome } from '../helpers/cli';

const GOOD = (id: string) => `---\nid: ${id}\ntitle: Good ${id}\nversion: 1.0.0\n---\n\n# Hello\n\n\`\`\`sh run\necho hi\n\`\`\`\n`;
const FRONT = '---\nid: hostile\ntitle: Hostile\nversion: 1.0.0\n';

/** Billion laughs: nine aliases of nine aliases of … "lol", 9^9 strings once expanded. */
function aliasBomb(): string {
  const lines = ['summary: x', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  let previous = 'a';
  for (const name of 'bcdefghi') {
    lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    previous = name;
  }
  return `${FRONT}${lines.join('\n')}\n---\n\n# x\n`;
}

const HOSTILE: Record<string, { body: string; at: string; message: RegExp }> = {
  'bomb.md': { body: aliasBomb(), at: '7:8', message: /invalid YAML: its aliases \(\*name\) expand to more than 100 copies/ },
  'flow.md': {
    body: `${FRONT}summary: ${'['.repeat(30_000)}${']'.repeat(30_000)}\n---\n`,
    at: '5:72',
    message: /YAML nested more than 64 levels deep here/,
  },
  'compact.md': {
    body: `${FRONT}requires:\n${'- '.repeat(30_000)}x\n---\n`,
    at: '6:127',
    message: /YAML nested more than 64 levels deep here/,
  },
  'body-bomb.md': {
    body: `---\nid: body-bomb\ntitle: B\nversion: 1.0.0\n---\n\n# x\n\n\`\`\`yaml github\nrequest: GET /x\nfields:\n  a: &a [1,1,1,1,1,1,1,1,1]\n  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n  d: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n\`\`\`\n`,
    at: '13:10',
    message: /invalid YAML: its aliases/,
  },
  'nested.md': {
    body: `${FRONT}---\n\n${Array.from({ length: 5000 }, (_, i) => `${'  '.repeat(i % 60)}- item\n`).join('')}`,
    at: '',
    message: /nested too deep/,
  },
  'big-yaml.md': {
    body: `${FRONT}${Array.from({ length: 10_000 }, (_, i) => `k${i}: value`).join('\n')}\n---\n`,
    at: '2:1',
    message: /this YAML is \d+ KB; handrail reads at most 64 KB of YAML in one place/,
  },
  'huge.md': {
    body: `${FRONT}---\n\n${'All work and no play. '.repeat(100_000)}\n`,
    at: '1:1',
    message: /larger than 1 MB, more than a runbook can be/,
  },
};

function handrail(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=128', BIN, ...args], { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('lint and list survive hostile files', () => {
  const home = tempHome('handrail-hostile-parse-');
  const dir = join(home.root, 'runbooks');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.md'), GOOD('a'));
  writeFileSync(join(dir, 'z.md'), GOOD('z'));
  for (const [name, { body }] of Object.entries(HOSTILE)) writeFileSync(join(dir, name), body);

  it.each(Object.keys(HOSTILE))(
    'lint a.md %s z.md: one file:line:col problem for the hostile file, exit 2, the others checked',
    async (name) => {
      const { at, message } = HOSTILE[name];
      const r = await handrail(['lint', 'a.md', name, 'z.md'], dir, home.env);
      expect(r.stderr).not.toMatch(/unexpected error|heap|\n\s+at /);
      expect(r.code).toBe(2);
      const lines = r.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^${name.replace('.', '\\.')}:${at || '\\d+:\\d+'}: `));
      expect(lines[0]).toMatch(message);
      expect(r.stderr).toContain('1 problem in 1 of 3 runbooks');
    },
  );

  it('list still lists every other runbook, and names each hostile one with its problem', async () => {
    const r = await handrail(['list', dir], home.root, home.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^a +1\.0\.0 +Good a /m);
    expect(r.stdout).toMatch(/^z +1\.0\.0 +Good z /m);
    for (const name of Object.keys(HOSTILE)) expect(r.stdout).toMatch(new RegExp(`^- +- +invalid: .*${name.replace('.', '\\.')}$`, 'm'));
  });

  it('run refuses a hostile file with the same problem and runs nothing', async () => {
    const r = await handrail(['run', 'bomb.md', '--yes'], dir, home.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bomb\.md:7:8: invalid YAML: its aliases/m);
  });
});
