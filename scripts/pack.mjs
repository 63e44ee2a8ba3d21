// `npm run pack [-- --pack-destination DIR] [-- --no-build]`: the tarball to publish or to install with
// `npm install -g`. It is packed from a staging folder, not from this one, because this package.json is
// the developer's: its `prepare` (which builds after `npm install` in a clone) would be listed as an
// install script of a tarball install, and `--strict-allow-scripts` would refuse it; its devDependencies
// and allowScripts mean nothing to an operator. The staged manifest keeps what running handrail needs.
// Prints the tarball's path. Plain `npm pack` and `npm publish` here are refused (scripts/pack-guard.mjs).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const at = args.indexOf('--pack-destination');
const destination = resolve(at >= 0 ? args[at + 1] : process.cwd());

if (!args.includes('--no-build')) execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
// Not `private`: it keeps this folder from being published, never the tarball packed here.
const PUBLISHED = ['name', 'version', 'description', 'type', 'license', 'engines', 'bin', 'files', 'optionalDependencies'];
const manifest = Object.fromEntries(PUBLISHED.filter((key) => key in pkg).map((key) => [key, pkg[key]]));

const stage = mkdtempSync(join(tmpdir(), 'handrail-pack-'));
try {
  for (const entry of ['bin', 'runbooks', 'docs', 'README.md']) {
    if (existsSync(join(ROOT, entry))) cpSync(join(ROOT, entry), join(stage, entry), { recursive: true });
  }
  // dist/ may hold chunks of earlier builds (it is never emptied while tests may read it): only this
  // build's scripts, as its metafile names them, go into the package. Source maps stay behind.
  mkdirSync(join(stage, 'dist'));
  const meta = JSON.parse(readFileSync(join(ROOT, 'dist', 'meta.json'), 'utf8'));
  for (const output of Object.keys(meta.outputs)) {
    if (output.endsWith('.js')) cpSync(join(ROOT, output), join(stage, output));
  }
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  mkdirSync(destination, { recursive: true });
  const out = execFileSync('npm', ['pack', stage, '--pack-destination', destination, '--json', '--ignore-scripts'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(`${join(destination, JSON.parse(out)[0].filename)}\n`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
