// The tests `npm run mutate` runs against mutated code: the unit tests of the modules it mutates
// (see stryker.config.mjs). The e2e tests run the built bundle, which a mutant never reaches.
import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import base from './vitest.config';

/**
 * Mutant runs stop at the first failing test, so the files that cover a mutant run quickest first:
 * a mutant a fast unit test kills never waits for the slow ones that drive ssh-keygen or a shell.
 * (Vitest's own order puts the slowest file, and the one that failed last, first.) The time is the
 * one vitest's cache keeps from the initial run, which runs whole files; the runs of a mutant's own
 * tests only are partial, and vitest does not let them replace it.
 */
class QuickestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const time = (spec: TestSpecification) => this.ctx.cache.getTestSpecificationResult(spec)?.duration ?? 0;
    return [...files].sort((a, b) => time(a) - time(b) || a.moduleId.localeCompare(b.moduleId));
  }
}

export default defineConfig({
  test: {
    ...base.test,
    // record-docs runs the docs' verification recipes (Python, openssl, ssh-keygen: ~10 s) against
    // records; it tests the docs, and a mutant it covers would wait on those tools every time.
    exclude: [...configDefaults.exclude, 'test/unit/record-docs.test.ts'],
    sequence: { sequencer: QuickestFirst },
    // The unit tests of the mutated modules. Left out, though `npm test` runs them: tests of the
    // engine and the GitHub step that pass through these modules (engine-steps, engine-output-bytes,
    // github-runner, secrets-resolver) and journal-lookup (finding a resumable run among many). In a
    // full run they covered 5,057 mutant-test pairs and were first to kill 13 mutants, each of which
    // a unit test of its own module also reaches; every surviving mutant they reach ran them all.
    include: [
      'test/unit/dsse-envelope.test.ts',
      'test/unit/engine-output-collector.test.ts',
      'test/unit/github-route.test.ts',
      'test/unit/journal-chain.test.ts',
      'test/unit/journal-damage.test.ts',
      'test/unit/journal-sync.test.ts',
      'test/unit/masker-stream.test.ts',
      'test/unit/record-*.test.ts',
      'test/unit/runbook-condition.test.ts',
    ],
  },
});
