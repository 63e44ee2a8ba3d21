// The published package as an operator gets it: `npm run pack`, then `npm install -g` of the tarball into a
// private prefix, then the installed `handrail` run from outside this folder. The bundle must carry every
// runtime package itself: the install is offline with an empty npm cache, so any dependency left in the
// manifest fails it, and any package left out of the bundle fails the installed command.
// keytar (the one optional dependency) is left out with --omit=optional: it is fetched from the registry
// and built from source, which a test cannot rely on; without it handrail falls back to env vars and prompts.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempHome } from '../helpers/cli';

const run = promisify(execFile);
const home = tempHome('handrail-package-');
const prefix = join(home.root, 'prefix');
const installed = join(prefix, 'lib', 'node_modules', 'handrail');
const handrail = join(prefix, 'bin', 'handrail');
// No NODE_PATH: the installed copy must not find this clone's node_modules by any route.
const env = { ...process.env, ...home.env, NODE_PATH: '', npm_config_cache: join(home.root, 'npm-cache'), npm_config_update_notifier: 'false' };

beforeAll(async () => {
  // npm test has just built dist/; rebuilding here could rewrite chunks other tests are reading.
  const packed = await run(process.execPath, [join(ROOT, 'scripts', 'pack.mjs'), '--no-build', '--pack-destination', home.root], { env });
  const tarball = packed.stdout.trim().split('\n').pop()!;
  mkdirSync(join(prefix, 'lib'), { recursive: true });
  await run('npm', ['install', '-g', '--prefix', prefix, '--offline', '--omit=optional', '--no-audit', '--no-fund', tarball], { env, cwd: home.root });
}, 180_000);

describe('the packed tarball, installed with npm install -g', () => {
  it('declares no runtime dependency but the optional keytar, and installs nothing else', () => {
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.optionalDependencies).toEqual({ keytar: expect.any(String) });
    expect(manifest.scripts).toBeUndefined();
    expect(readdirSync(join(prefix, 'lib', 'node_modules'))).toEqual(['handrail']);
    expect(readdirSync(installed).sort()).toEqual(['README.md', 'bin', 'dist', 'docs', 'package.json', 'runbooks']);
  });

  it('answers --version', async () => {
    const r = await run(handrail, ['--version'], { env, cwd: home.root });
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('lints a bundled runbook', async () => {
    const r = await run(handrail, ['lint', join(installed, 'runbooks', 'emergency-rollback.md')], { env, cwd: home.root });
    expect(r.stderr).toContain('1 runbook ok');
  });

  it('runs a small runbook with --yes and writes its record', async () => {
    const runbook = join(home.root, 'hello.md');
    writeFileSync(
      runbook,
      '---\nid: hello\ntitle: Hello\nversion: 1.0.0\n---\n\n# Hello\n\n## Greet\n\n```sh run\necho "hello from the package"\n```\n',
    );
    const records = join(home.root, 'records');
    const r = await run(handrail, ['run', runbook, '--yes', '--record-dir', records], { env, cwd: home.root, timeout: 60_000 });
    expect(r.stdout).toContain('hello from the package');
    expect(r.stdout).toMatch(/Run completed/);
    expect(readdirSync(records)).toEqual([expect.stringMatching(/^hello-.*-completed\.json$/)]);
  });
});
