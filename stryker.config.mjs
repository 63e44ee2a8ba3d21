// `npm run mutate`: mutation testing of the modules where a silent defect costs most (the record,
// the masker, step output, conditions, GitHub routes). A habit, not a gate: it is not part of
// `npm test` or CI. The report is reports/mutation/index.html; a second run re-tests only what changed.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  mutate: ['src/record/**/*.ts', 'src/core/masker.ts', 'src/engine/output.ts', 'src/runbook/condition.ts', 'src/github/route.ts'],
  // Each mutant runs only the tests that cover it.
  coverageAnalysis: 'perTest',
  // Left out to keep a run short: string mutants (the sentences are pinned by the tests that assert
  // them: lint, verify, journal errors) and object/array literal mutants (mostly equivalent here).
  mutator: { excludedMutations: ['StringLiteral', 'ObjectLiteral', 'ArrayDeclaration'] },
  // Mutants in code that runs when a module loads would need every test for each; left out.
  ignoreStatic: true,
  // Three runners on two cores: masker.ts alone took 2 min 0 s with two, 1 min 33 s with three and
  // 1 min 45 s with four. A full run is bound by CPU and took the same with two or three (24 min).
  concurrency: 3,
  // A mutant that loops is given its tests' own time and 3 s more: a hang costs seconds, not tens of them.
  timeoutMS: 3000,
  dryRunTimeoutMinutes: 10,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  incremental: true,
  incrementalFile: 'reports/mutation/incremental.json',
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
