// Usage mistakes as an operator makes them: one sentence saying what to do, exit 2, nothing run.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/cli';

const RUNBOOK = '---\nid: t\ntitle: T\nversion: 1.0.0\ninputs:\n  A:\n    prompt: a\n---\n# A\n\n```sh run\ntouch ran\n```\n';

describe('handrail run refuses a malformed command line before anything runs', () => {
  const home = tempHome('handrail-usage-');
  const dir = mkdtempSync(join(tmpdir(), 'handrail-usage-work-'));
  writeFileSync(join(dir, 'r.md'), RUNBOOK);

  const cases: [string[], string][] = [
    [['--set', 'A'], 'handrail: --set A is not NAME=VALUE; write it as --set NAME=VALUE.'],
    [['--set', '=x'], 'handrail: --set =x is not NAME=VALUE; write it as --set NAME=VALUE.'],
    [['--set', 'a=b'], 'handrail: --set a: the runbook has no input named a; its inputs are A.'],
    [['--resume', '--restart'], "error: option '--resume' cannot be used with option '--restart'"],
  ];
  for (const [args, sentence] of cases) {
    it(`${args.join(' ')}`, async () => {
      const r = await runCli(['run', 'r.md', '--yes', ...args], { cwd: dir, env: home.env });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim()).toBe(sentence);
      expect(existsSync(join(dir, 'ran'))).toBe(false);
    });
  }
});

describe('handrail records', () => {
  it('names a records folder it cannot read, in one sentence', async () => {
    const home = tempHome('handrail-usage-records-');
    const missing = join(home.root, 'nope');
    const r = await runCli(['records', missing], { env: home.env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(`handrail: Cannot read the records folder ${missing}: ENOENT.`);
  });
});
