// The tests `npm run mutate` runs against mutated code: the unit tests of the modules it mutates
// (see stryker.config.mjs). The e2e tests run the built bundle, which a mutant never reaches.
import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config';

export default defineConfig({
  test: {
    ...base.test,
    // record-docs runs the docs' verification recipes (Python, openssl, ssh-keygen: ~10 s) against
    // records; it tests the docs, and a mutant it covers would wait on those tools every time.
    exclude: [...configDefaults.exclude, 'test/unit/record-docs.test.ts'],
    include: [
      'test/unit/dsse-envelope.test.ts',
      'test/unit/engine-output-bytes.test.ts',
      'test/unit/engine-output-collector.test.ts',
      'test/unit/engine-steps.test.ts',
      'test/unit/github-route.test.ts',
      'test/unit/github-runner.test.ts',
      'test/unit/journal-*.test.ts',
      'test/unit/masker-stream.test.ts',
      'test/unit/record-*.test.ts',
      'test/unit/runbook-condition.test.ts',
      'test/unit/secrets-resolver.test.ts',
    ],
  },
});
