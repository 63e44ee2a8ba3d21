// Bundles the CLI into dist/ so start-up reads a few files instead of hundreds.
// Code splitting keeps Ink/React in their own chunks: `lint` and `--version` never load them.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
/**
 * The runbook parser validates with zod/mini; other code uses classic zod, whose namespace object keeps every
 * locale and the JSON-schema tooling alive. Code splitting shares files, not live code, so lint would load
 * all of that (~650 KB) through the shared zod core. Giving the parser's zod its own copy of the files keeps
 * what lint loads to the few kilobytes it uses; a run loads both copies, which costs it ~30 KB.
 */
const RUNBOOK_ZOD = '?runbook-zod';
const ownZodForRunbooks = {
  name: 'own-zod-for-runbooks',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.resolving) return undefined;
      const fromParser = /^zod\//.test(args.path) && /src[\\/]runbook[\\/]/.test(args.importer);
      if (!fromParser && !args.pluginData?.runbookZod) return undefined;
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { resolving: true },
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.path, suffix: RUNBOOK_ZOD, sideEffects: false, pluginData: { runbookZod: true } };
    });
    b.onLoad({ filter: /.*/ }, (args) => {
      if (args.suffix !== RUNBOOK_ZOD) return undefined;
      return {
        contents: readFileSync(args.path, 'utf8'),
        loader: 'js',
        resolveDir: dirname(args.path),
        pluginData: { runbookZod: true },
      };
    });
  },
};

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
  plugins: [ownZodForRunbooks],
  // yaml's "node" export is CommonJS, which esbuild can neither tree-shake nor hoist: its ESM build is the
  // same code, loads in a third of the time, and needs nothing from Node.
  alias: { yaml: './node_modules/yaml/browser/dist/index.js' },
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
