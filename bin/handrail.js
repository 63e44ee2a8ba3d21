#!/usr/bin/env node
// Tiny launcher: refuse old Node with one sentence, answer a bare --version, turn on V8's compile cache,
// load the bundle.
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  process.stderr.write(`handrail needs Node.js 22 or newer; this is ${process.version}. Install a current Node.js and try again.\n`);
  process.exit(2);
}
const args = process.argv.slice(2);
const versionOnly = args.length === 1 && (args[0] === '--version' || args[0] === '-V');
if (versionOnly) {
  // Loading the bundle costs more than Node's own start-up; the bundle takes its version from this
  // same package.json at build time, so both answers agree.
  const { readFileSync } = await import('node:fs');
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${version}\n`);
} else {
  const { default: module } = await import('node:module');
  try {
    module.enableCompileCache?.();
  } catch {
    // A read-only cache directory only costs start-up time.
  }
  try {
    await import('../dist/cli.js');
  } catch (error) {
    if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
      process.stderr.write('handrail is not built yet: run `npm install` (or `npm run build`) in its folder.\n');
      process.exit(2);
    }
    throw error;
  }
}
