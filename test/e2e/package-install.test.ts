// The README's "Install as a package" block, run verbatim as an operator would: in a fresh copy of
// this folder (as a clone has it: no dist/), with HOME a fresh folder, so `--prefix ~/.local` and the
// PATH line it gives are the README's own. Then the `handrail` that the block left on PATH is run
// from outside the copy: --version, lint, the demo runbook with --yes, and verify of its record.
// The bundle must carry every runtime package itself: the install is offline with an empty npm cache,
// so any dependency left in the manifest fails it, and any package left out of the bundle fails the
// installed command. The keychain module (the one optional dependency) is left out through npm's
// environment (npm_config_omit=optional, which the README offers as --omit=optional): it comes from
// the registry, which a test cannot rely on; without it handrail falls back to env vars and prompts.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempHome } from '../helpers/cli';

const run = promisify(execFile);
const home = tempHome('handrail-package-');
const clone = join(home.root, 'handrail');
const prefix = join(home.root, '.local');
const installed = join(prefix, 'lib', 'node_modules', 'handrail');
// No NODE_PATH: the installed copy must not find this folder's node_modules by any route.
const env = {
  ...process.env,
  ...home.env,
  HOME: home.root,
  NODE_PATH: '',
  npm_config_cache: join(home.root, 'npm-cache'),
  npm_config_offline: 'true',
  npm_config_omit: 'optional',
  npm_config_update_notifier: 'false',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
};
// The operator's shell after the block: ~/.local/bin on PATH, as its PATH line puts it.
const shell = { ...env, PATH: `${join(prefix, 'bin')}:${process.env.PATH}` };
let handrail = '';

/** The commands of the README's "Install as a package" section, as written there. */
function readmeInstallBlock(readme: string): string {
  const section = readme.split(/^## /m).find((part) => part.startsWith('Install as a package\n'));
  const block = section && /^```sh\n([\s\S]*?)^```$/m.exec(section)?.[1];
  if (!block) throw new Error('README.md has no sh block under "Install as a package"');
  return block;
}

beforeAll(async () => {
  // A fresh copy, not this folder: `npm run pack` builds, and rewriting dist/ here could change
  // chunks other tests are reading. node_modules is shared, as `npm install` would have made it.
  const skip = new Set(['node_modules', 'dist', '.git', 'reports', 'coverage', '.stryker-tmp', '.handrail-test']);
  cpSync(ROOT, clone, { recursive: true, filter: (source) => !skip.has(relative(ROOT, source).split('/')[0]) });
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
  mkdirSync(prefix, { recursive: true });
  const block = readmeInstallBlock(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  // The block as a shell script; afterwards, where `handrail` is found on the PATH it left.
  const script = `set -e\n${block}\necho "handrail is $(command -v handrail)"\n`;
  const r = await run('sh', ['-c', script], { env, cwd: clone, timeout: 170_000 });
  handrail = /^handrail is (.+)$/m.exec(r.stdout)?.[1] ?? '';
}, 180_000);

describe("the README's install commands, run verbatim", () => {
  it('leave handrail on PATH, installed under ~/.local', () => {
    expect(handrail).toBe(join(prefix, 'bin', 'handrail'));
  });

  it('install a package that declares no runtime dependency but the optional keychain module, and nothing else', () => {
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.optionalDependencies).toEqual({ '@github/keytar': expect.any(String) });
    expect(manifest.scripts).toBeUndefined();
    expect(manifest.private).toBeUndefined();
    expect(readdirSync(join(prefix, 'lib', 'node_modules'))).toEqual(['handrail']);
    expect(readdirSync(installed).sort()).toEqual(['README.md', 'bin', 'dist', 'docs', 'package.json', 'runbooks']);
  });

  it('answers --version', async () => {
    const r = await run(handrail, ['--version'], { env: shell, cwd: home.root });
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('lints a bundled runbook', async () => {
    const r = await run(handrail, ['lint', join(installed, 'runbooks', 'emergency-rollback.md')], { env: shell, cwd: home.root });
    expect(r.stderr).toContain('1 runbook ok');
  });

  it('runs the bundled demo with --yes, and its record verifies with the command it prints', async () => {
    const records = join(home.root, 'records');
    const r = await run(handrail, ['run', join(installed, 'runbooks', 'demo.md'), '--yes', '--record-dir', records], {
      env: shell,
      cwd: home.root,
      timeout: 60_000,
    });
    expect(r.stdout).toMatch(/Run completed/);
    const [record] = readdirSync(records);
    expect(record).toMatch(/^demo-.*-completed\.json$/);
    // handrail is on PATH, so the end of the run says `handrail verify …`, and that runs as printed.
    const verify = /^Verify it with:\n {2}(.+)$/m.exec(r.stdout)?.[1];
    expect(verify).toBe(`handrail verify ${join(records, record)}`);
    const checked = await run('sh', ['-c', verify!], { env: shell, cwd: home.root });
    expect(checked.stdout).toMatch(/^Outcome: +completed$/m);
  });
});
