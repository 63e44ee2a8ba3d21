// Lint keeps two habits the reviewers asked for: imports point one way between src/'s folders
// (the layers below, drawn in README's "Layout"), and typescript-eslint's recommended checks.
// Formatting is Prettier's job (`npm run format:check`), so no style rule lives here.
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from 'eslint-plugin-boundaries';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Each folder of src/ and the folders it may import from. cli/ composes everything; nothing imports cli/. */
export const LAYERS = {
  core: [],
  runbook: ['core'],
  engine: ['core', 'runbook'],
  github: ['core', 'runbook'],
  view: ['core', 'runbook'],
  secrets: ['core', 'runbook', 'github'],
  record: ['core', 'runbook', 'github', 'secrets'],
  team: ['core', 'runbook', 'github', 'secrets', 'record', 'view'],
  approval: ['core', 'runbook', 'github', 'secrets', 'record', 'team', 'view'],
  tui: ['core', 'runbook', 'engine', 'view'],
  plain: ['core', 'runbook', 'engine', 'view'],
  cli: ['core', 'runbook', 'engine', 'github', 'view', 'secrets', 'record', 'team', 'approval', 'tui', 'plain'],
};

// A new folder must be given its place before it can be linted: an unplaced folder would import freely.
const unplaced = readdirSync(new URL('./src', import.meta.url), { withFileTypes: true }).filter(
  (e) => !(e.isDirectory() && e.name in LAYERS),
);
if (unplaced.length) throw new Error(`eslint.config.js: give ${unplaced.map((e) => `src/${e.name}`).join(', ')} a place in LAYERS`);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'reports/**', '.stryker-tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  {
    rules: {
      // Matching control characters is this project's job (terminal-safe text, the masker, screens in tests).
      'no-control-regex': 'off',
      // Patterns in tests match screen text, where two spaces read as they show on the screen.
      'no-regex-spaces': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  { files: ['**/*.{js,mjs}'], languageOptions: { globals: globals.node } },
  {
    files: ['src/tui/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': Object.keys(LAYERS).map((layer) => ({ type: layer, pattern: `src/${layer}` })),
      'boundaries/dependency-nodes': ['import', 'dynamic-import', 'export'],
      'import/resolver': { typescript: { project: './tsconfig.json' } },
    },
    rules: {
      'boundaries/no-unknown-files': 'error',
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          message: '{{from.type}}/ may not import {{to.type}}/: imports point one way (see LAYERS in eslint.config.js)',
          policies: Object.entries(LAYERS).map(([layer, allowed]) => ({
            from: { element: { type: layer } },
            allow: { to: { element: { types: { anyOf: [layer, ...allowed] } } } },
          })),
        },
      ],
    },
  },
);
