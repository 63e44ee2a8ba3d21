// Bundles the CLI into dist/ so start-up reads a few files instead of hundreds.
// Code splitting keeps Ink/React in their own chunks: `lint` and `--version` never load them.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// dist/ is not emptied first: tests running in parallel may be reading it; stale chunks are harmless.

const result = await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  // dist/meta.json maps each chunk to its sources: the lazy-loading test proves lint never loads Ink.
  metafile: true,
  // keytar is a native, optional addon; react-devtools-core is an optional Ink peer never used.
  external: ['keytar', 'react-devtools-core'],
  define: {
    'process.env.NODE_ENV': '"production"',
    HANDRAIL_VERSION: JSON.stringify(pkg.version),
  },
  banner: {
    js: "import { createRequire as __handrailCreateRequire } from 'node:module'; const require = __handrailCreateRequire(import.meta.url);",
  },
});

writeFileSync(new URL('../dist/meta.json', import.meta.url), JSON.stringify(result.metafile));
