// What the engine and the front ends get from a valid runbook: steps in document order, with their kind,
// id, title, section, prose, attributes and source position.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverRunbooks } from '../../src/runbook/discover';
import { loadRunbook } from '../../src/runbook/load';
import type { ConfirmStep, GithubStep, InputStep, ShellStep } from '../../src/core/model';
import { parseRunbook } from '../../src/runbook/parse';
import { ROOT } from '../helpers/cli';
import { where, withFront } from './runbook-helpers';

const SAMPLE = withFront(`# Provision

Some intro with {{ORG}}.

## Check tools

Make sure docker works.

\`\`\`sh check expect="^Docker" timeout=30s
docker --version
\`\`\`

Then the daemon:

\`\`\`bash check
docker info >/dev/null
\`\`\`

## Push it

\`\`\`sh run id=push title="Push the image" confirm secrets=PAT stdin=PAT capture=DIGEST retries=2 dry-run=skip cwd=sub
docker push x
\`\`\`

\`\`\`yaml input if="DIGEST != ''"
name: VISIBILITY
prompt: Registry visibility
choices: [public, private]
\`\`\`

\`\`\`yaml github
request: PATCH /orgs/{ORG}/packages/{VISIBILITY}
fields:
  visibility: "{VISIBILITY}"
status: 200
expect: ["visibility == 'public'"]
capture:
  PKG_ID: id
\`\`\`

- [x] Image pushed for {{ORG}}
- [ ] Told the team, package {{PKG_ID}}

\`\`\`sh
echo "an untyped block is prose"
\`\`\`
`);

describe('parseRunbook on a valid runbook', () => {
  const { runbook, problems } = parseRunbook(SAMPLE, 'books/sample.md');

  it('has no problems and keeps the front matter', () => {
    expect(problems).toEqual([]);
    expect(runbook?.meta).toMatchObject({ id: 't', title: 'Test runbook', version: '1.0.0' });
    expect(runbook?.meta.inputs?.ORG.prompt).toBe('Organisation');
  });

  it('records the path as given, its absolute folder and the sha256 of its bytes', () => {
    expect(runbook?.path).toBe('books/sample.md');
    expect(runbook?.dir).toBe(resolve('books'));
    expect(runbook?.sha256).toBe(createHash('sha256').update(SAMPLE).digest('hex'));
  });

  it('makes one step per typed block and task list, in document order', () => {
    expect(runbook?.steps.map((s) => s.kind)).toEqual(['check', 'check', 'run', 'input', 'github', 'confirm']);
  });

  it('defaults ids to the section slug with an ordinal, and titles to the section heading', () => {
    const steps = runbook!.steps;
    expect(steps.map((s) => s.id)).toEqual(['check-tools', 'check-tools-2', 'push', 'push-it', 'push-it-2', 'push-it-3']);
    expect(steps[0].title).toBe('Check tools');
    expect(steps[2].title).toBe('Push the image');
    expect(steps[2].section).toBe('Push it');
  });

  it('gives each step the prose since the previous step', () => {
    const steps = runbook!.steps;
    expect(steps[0].prose).toBe('Make sure docker works.');
    expect(steps[1].prose).toBe('Then the daemon:');
    expect(steps[2].prose).toBe('');
  });

  it('reads shell attributes', () => {
    const check = runbook!.steps[0] as ShellStep;
    expect(check).toMatchObject({ shell: 'sh', script: 'docker --version', expect: '^Docker', timeoutMs: 30_000 });
    expect((runbook!.steps[1] as ShellStep).shell).toBe('bash');
    const run = runbook!.steps[2] as ShellStep;
    expect(run).toMatchObject({
      confirm: true,
      secrets: ['PAT'],
      stdin: 'PAT',
      capture: 'DIGEST',
      retries: 2,
      dryRun: 'skip',
      cwd: 'sub',
      interactive: false,
    });
    expect(run.pos).toEqual(where(SAMPLE, '```sh run id=push'));
  });

  it('reads an input block and its condition', () => {
    const input = runbook!.steps[3] as InputStep;
    expect(input.input).toEqual({ name: 'VISIBILITY', prompt: 'Registry visibility', choices: ['public', 'private'] });
    expect(input.ifSource).toBe("DIGEST != ''");
    expect(input.condition).toEqual({ type: 'compare', op: '!=', name: 'DIGEST', value: '' });
  });

  it('reads a github block', () => {
    const github = runbook!.steps[4] as GithubStep;
    expect(github).toMatchObject({
      method: 'PATCH',
      route: '/orgs/{ORG}/packages/{VISIBILITY}',
      fields: { visibility: '{VISIBILITY}' },
      status: 200,
      expect: ["visibility == 'public'"],
      capture: { PKG_ID: 'id' },
      confirm: false,
      retries: 0,
    });
  });

  it('reads a body with an anchor and an alias, which only the positioned YAML reader takes', () => {
    const source = withFront('# A\n\n```yaml input\nname: REGION\nprompt: &p Region\ndefault: *p\n```\n');
    const input = parseRunbook(source, 'x.md').runbook?.steps[0] as InputStep;
    expect(input.input).toEqual({ name: 'REGION', prompt: 'Region', default: 'Region' });
  });

  it('reads a task list as one confirm step whose items keep their text and ticks', () => {
    const confirm = runbook!.steps[5] as ConfirmStep;
    expect(confirm.items).toEqual([
      { text: 'Image pushed for {{ORG}}', checked: true, pos: where(SAMPLE, '- [x]') },
      { text: 'Told the team, package {{PKG_ID}}', checked: false, pos: where(SAMPLE, '- [ ]') },
    ]);
    expect(confirm.pos).toEqual(where(SAMPLE, '- [x]'));
  });

  it('shows a task item that starts with markup without its checkbox', () => {
    const source = withFront('# Docs\n\n- [ ] `deploy/README.md` — drop the *placeholder* note\n- [x] **Told** the team\n');
    const confirm = parseRunbook(source, 'x.md').runbook?.steps[0] as ConfirmStep;
    expect(confirm.items.map((i) => i.text)).toEqual(['`deploy/README.md` — drop the *placeholder* note', '**Told** the team']);
  });

  it('reads headings with inline markup as their text, for titles and default ids', () => {
    const headings = [
      ['Push *the* `image`', 'Push the image', 'push-the-image'],
      // A heading's own numbering is left off the label: lists number steps again (SPEC §3.1).
      ['1. Tag _the_ release', 'Tag the release', '1-tag-the-release'],
      ['Tom &amp; Jerry \\#2', 'Tom & Jerry #2', 'tom-jerry-2'],
      ['See [the docs](https://example.com) and ![a logo](l.png)', 'See the docs and a logo', 'see-the-docs-and-a-logo'],
      ['Via [the wiki][wiki]', 'Via the wiki', 'via-the-wiki'],
      ['~~Old~~ new way', 'Old new way', 'old-new-way'],
      ['snake_case_name **bold** ##', 'snake_case_name bold', 'snake-case-name-bold'],
    ];
    for (const [written, title, id] of headings) {
      const source = withFront(`## ${written}\n\n\`\`\`sh run\ntrue\n\`\`\`\n\n[wiki]: https://example.com/wiki\n`);
      const step = parseRunbook(source, 'x.md').runbook?.steps[0];
      expect([step?.title, step?.id]).toEqual([title, id]);
    }
  });

  it('reads a setext heading, and a heading inside a block quote, as their text', () => {
    const source = withFront(
      'Deploy *all*\nthe things\n===\n\n```sh run\ntrue\n```\n\n> ## Quoted `step`\n>\n> ```sh run\n> true\n> ```\n',
    );
    const titles = parseRunbook(source, 'x.md').runbook?.steps.map((s) => s.title);
    expect(titles).toEqual(['Deploy all\nthe things', 'Quoted step']);
  });

  it('never lets a generated id take an id written further down', () => {
    const source = withFront('# Deploy\n\n```sh run\ntrue\n```\n\n```sh run id=deploy\ntrue\n```\n');
    const ids = parseRunbook(source, 'x.md').runbook?.steps.map((s) => s.id);
    expect(ids).toEqual(['deploy-2', 'deploy']);
  });

  it('names steps before any heading by their kind', () => {
    const ids = parseRunbook(withFront('```sh run\ntrue\n```\n'), 'x.md').runbook?.steps.map((s) => [s.id, s.title]);
    expect(ids).toEqual([['run', 'Test runbook']]);
  });

  it('accepts a byte-order mark and CRLF line endings', () => {
    const source = `\uFEFF${withFront('# A\n\n```sh run\ntrue\n```\n').replaceAll('\n', '\r\n')}`;
    const result = parseRunbook(source, 'x.md');
    expect(result.problems).toEqual([]);
    expect(result.runbook?.steps[0].pos.line).toBe(14);
  });
});

describe('loadRunbook', () => {
  const dir = mkdtempSync(join(tmpdir(), 'handrail-load-'));

  it('loads a file from disk', async () => {
    const path = join(dir, 'ok.md');
    writeFileSync(path, withFront('# A\n\n- [ ] go\n'));
    const result = await loadRunbook(path);
    expect(result.problems).toEqual([]);
    expect(result.runbook?.dir).toBe(dir);
  });

  it.each([
    ['a missing file', () => join(dir, 'missing.md'), /no such file/],
    ['a directory', () => dir, /is a folder/],
    [
      'binary junk',
      () => {
        writeFileSync(join(dir, 'junk.md'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]));
        return join(dir, 'junk.md');
      },
      /binary file/,
    ],
    [
      'invalid UTF-8',
      () => {
        writeFileSync(join(dir, 'latin1.md'), Buffer.from('---\nid: caf\xe9\n---\n', 'latin1'));
        return join(dir, 'latin1.md');
      },
      /not valid UTF-8/,
    ],
  ])('turns %s into one problem at 1:1', async (_name, makePath, message) => {
    const result = await loadRunbook(makePath());
    expect(result.runbook).toBeUndefined();
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ line: 1, column: 1 });
    expect(result.problems[0].message).toMatch(message);
  });

  it.skipIf(process.getuid?.() === 0)('turns an unreadable file into one problem', async () => {
    const path = join(dir, 'secret.md');
    writeFileSync(path, withFront(''));
    chmodSync(path, 0o000);
    const result = await loadRunbook(path);
    expect(result.problems).toEqual([{ line: 1, column: 1, message: expect.stringMatching(/permission denied/) }]);
  });
});

describe('discoverRunbooks', () => {
  it('finds the *.md files of a folder, sorted, skipping a README without front matter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handrail-discover-'));
    writeFileSync(join(dir, 'b.md'), withFront('- [ ] b\n'));
    writeFileSync(join(dir, 'a.md'), '# no front matter\n');
    writeFileSync(join(dir, 'README.md'), '# About these runbooks\n');
    writeFileSync(join(dir, 'notes.txt'), 'not markdown');
    mkdirSync(join(dir, 'sub.md'));
    const found = await discoverRunbooks(dir);
    expect(found.map((f) => f.path)).toEqual([join(dir, 'a.md'), join(dir, 'b.md')]);
    expect(found[0].problems[0].message).toMatch(/no front matter/);
    expect(found[1].runbook?.meta.id).toBe('t');
  });

  it('keeps a README that has front matter: it is a runbook', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handrail-discover-'));
    writeFileSync(join(dir, 'README.md'), withFront('- [ ] b\n'));
    expect((await discoverRunbooks(dir)).map((f) => f.runbook?.meta.id)).toEqual(['t']);
  });
});

describe('bundled runbooks', () => {
  const dir = join(ROOT, 'runbooks');
  const files = readdirSync(dir).filter((f) => f.endsWith('.md'));

  it('include the demo', () => {
    expect(files).toContain('demo.md');
  });

  it.each(files)('%s lints clean', async (file) => {
    const result = await loadRunbook(join(dir, file));
    expect(result.problems).toEqual([]);
  });

  it('demo uses every step kind, a pre-ticked task item, a capture and a guarded github step', async () => {
    const { runbook } = await loadRunbook(join(dir, 'demo.md'));
    const kinds = new Set(runbook!.steps.map((s) => s.kind));
    expect([...kinds].sort()).toEqual(['check', 'confirm', 'github', 'input', 'run']);
    const confirm = runbook!.steps.find((s): s is ConfirmStep => s.kind === 'confirm')!;
    expect(confirm.items.some((i) => i.checked)).toBe(true);
    expect(runbook!.steps.some((s) => s.kind === 'run' && s.capture)).toBe(true);
    const github = runbook!.steps.find((s) => s.kind === 'github')!;
    expect(github.condition).toBeDefined();
    expect(runbook!.meta.secrets).toBeUndefined();
    expect(readFileSync(join(dir, 'demo.md'), 'utf8')).toMatch(/\{\{[A-Z_]+\}\}/);
  });
});
