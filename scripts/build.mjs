// Bundles the CLI into dist/ so start-up reads a few files instead of hundreds.
// Code splitting keeps Ink/React in their own chunks: `lint` and `--version` never load them.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
/**
 * The runbook parser (src/runbook/ and the front-matter schema in src/core/schema.ts) validates with zod/mini; other code uses classic zod, whose namespace object keeps every
 * locale and the JSON-schema tooling alive. Code splitting shares files, not live code, so lint would load
 * all of that (~650 KB) through the shared zod core. Giving the parser's zod its own copy of the files keeps
 * what lint loads to the few kilobytes it uses. The GitHub host check (src/github/hosts.ts), which every run
 * loads before its first frame, validates with zod/mini too and gets the same copy: through the shared core it
 * would pull a 650 KB chunk of classic zod's files into every run's start-up.
 */
const RUNBOOK_ZOD = '?runbook-zod';
const ownZodForRunbooks = {
  name: 'own-zod-for-runbooks',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.resolving) return undefined;
      const fromParser =
        /^zod\//.test(args.path) && /src[\\/](runbook[\\/]|core[\\/]schema\.ts$|github[\\/]hosts\.ts$)/.test(args.importer);
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

/**
 * Ink imports its React DevTools bridge when DEV=true and react-devtools-core resolves. An operator's DEV
 * variable must not make handrail open a socket to a debugger, and the published package carries no
 * react-devtools-core, so the bridge is an empty module in the bundle.
 */
const noInkDevtools = {
  name: 'no-ink-devtools',
  setup(b) {
    b.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
      /[\\/]ink[\\/]/.test(args.importer) ? { path: 'ink-devtools', namespace: 'handrail-empty' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'handrail-empty' }, () => ({ contents: '', loader: 'js' }));
  },
};

/**
 * Classic zod re-exports every locale as `z.locales` (about 400 KB of message tables that each load
 * evaluates); handrail never reads them and speaks English, configured from the English locale directly.
 * Only `en` is kept in that namespace, so a run that reads records (the rehearsal search) does not load the rest.
 */
const englishZodLocales = {
  name: 'english-zod-locales',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core|mini)[\\/]/.test(args.importer)
        ? { path: `${dirname(args.importer)}/../locales/en.js`, namespace: 'zod-locales', pluginData: { importer: args.importer } }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      loader: 'js',
      resolveDir: dirname(args.pluginData.importer),
    }));
  },
};

// The published package installs no runtime dependency but the optional @github/keytar: everything else is bundled.
const RUNTIME_EXTERNALS = ['@github/keytar'];

// dist/ is not emptied first: tests running in parallel may be reading it; stale chunks are harmless
// (scripts/pack.mjs packs only the files dist/meta.json names).

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
  plugins: [ownZodForRunbooks, englishZodLocales, noInkDevtools],
  // yaml's "node" export is CommonJS, which esbuild can neither tree-shake nor hoist: its ESM build is the
  // same code, loads in a third of the time, and needs nothing from Node.
  alias: { yaml: './node_modules/yaml/browser/dist/index.js' },
  // keytar is a native, optional addon, loaded only when a token is read from or saved to the keychain.
  external: RUNTIME_EXTERNALS,
  define: {
    'process.env.NODE_ENV': '"production"',
    HANDRAIL_VERSION: JSON.stringify(pkg.version),
  },
  banner: {
    js: "import { createRequire as __handrailCreateRequire } from 'node:module'; const require = __handrailCreateRequire(import.meta.url);",
  },
});

writeFileSync(new URL('../dist/meta.json', import.meta.url), JSON.stringify(result.metafile));

const builtins = new Set(builtinModules);
const leftOut = new Set();
for (const output of Object.values(result.metafile.outputs)) {
  for (const { path, external } of output.imports) {
    if (external && !path.startsWith('node:') && !builtins.has(path) && !RUNTIME_EXTERNALS.includes(path)) leftOut.add(path);
  }
}
if (leftOut.size > 0) {
  process.stderr.write(`the bundle imports packages it does not contain: ${[...leftOut].join(', ')}\n`);
  process.exit(1);
}
