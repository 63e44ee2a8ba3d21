// --yes: nobody is asked. Inputs were checked before the run started, confirmations and task lists
// are accepted (the engine records them with auto: true), a failure ends the run.
import { UsageError } from '../core/errors';
import type { Prompter } from '../core/prompter';
import { secretWays } from '../core/token-advice';

export function createAutoPrompter(): Prompter {
  return {
    begin: async () => 'start',
    input: async ({ name }) => {
      throw new UsageError(`input ${name} has no value; with --yes give it as --set ${name}=VALUE.`);
    },
    secret: async ({ name, spec }) => {
      throw new UsageError(
        `secret ${name} was not found and --yes cannot ask for it; ${secretWays(spec) || 'run without --yes to be asked'}.`,
      );
    },
    confirmStep: async () => ({ action: 'proceed' }),
    tasks: async () => ({ action: 'proceed' }),
    failure: async () => ({ action: 'abort' }),
    resume: async () => 'resume',
    interrupted: async () => ({ action: 'proceed' }),
    withTerminal: (fn) => fn(),
  };
}
