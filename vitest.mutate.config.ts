// The tests `npm run mutate` runs against mutated code: the unit tests of the modules it mutates
// (see stryker.config.mjs). The e2e tests run the built bundle, which a mutant never reaches.
import { defineConfig } from 'vitest/config';
import base from './vitest.config';

export default defineConfig({
  test: {
    ...base.test,
    include: [
      'test/unit/dsse-envelope.test.ts',
      'test/unit/engine-output-bytes.test.ts',
      'test/unit/engine-steps.test.ts',
      'test/unit/github-runner.test.ts',
      'test/unit/journal-*.test.ts',
      'test/unit/masker-stream.test.ts',
      'test/unit/record-*.test.ts',
      'test/unit/runbook-condition.test.ts',
      'test/unit/secrets-resolver.test.ts',
    ],
  },
});
