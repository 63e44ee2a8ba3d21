// --yes: nobody is asked. Inputs were checked before the run started, confirmations and task lists
// are accepted (the engine records them with auto: true), a failure ends the run.
import { UsageError } from '../core/errors';
import type { Prompter } from '../core/prompter';

export function createAutoPrompter(): Prompter {
  return {
    begin: async () => 'start',
    input: async ({ name }) => {
      throw new UsageError(`input ${name} has no value; with --yes give it as --set ${name}=VALUE.`);
    },
    secret: async ({ name, spec }) => {
      const where = [
        spec.env ? `set ${spec.env}` : undefined,
        spec.keychain ? `store it with \`handrail auth login --name ${spec.keychain}\`` : undefined,
      ].filter(Boolean);
      throw new UsageError(
        `secret ${name} was not found and --yes cannot ask for it; ${where.length ? where.join(' or ') : 'run without --yes to be asked'}.`,
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
