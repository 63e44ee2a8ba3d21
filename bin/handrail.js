#!/usr/bin/env node
// Tiny launcher: refuse old Node with one sentence, turn on V8's compile cache, load the bundle.
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  process.stderr.write(`handrail needs Node.js 22 or newer; this is ${process.version}. Install a current Node.js and try again.\n`);
  process.exit(2);
}
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
