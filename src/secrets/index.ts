// Where a secret's value comes from: its `env:` variable when set, else the OS keychain, else the
// operator (asked masked, and offered to store it). Only the source is ever reported, never the value.
import { HandrailError } from '../core/errors';
import type { Prompter } from '../core/prompter';
import type { SecretLookup, SecretResolver } from '../core/ports';
import type { SecretSource } from '../core/events';
import type { SecretSpec } from '../core/model';
import { keychainUnavailableMessage, openKeychain, type KeychainStatus } from './keychain';
import { reservedAccountProblem } from '../core/reserved';
import { TokenDates } from './dates';
import type { Masker } from '../core/masker';
import { rotateAdvice, secretWays } from '../core/token-advice';

export { Masker, StreamMasker, MASK } from '../core/masker';
export { openKeychain, keychainUnavailableMessage, KEYCHAIN_SERVICE } from './keychain';
export { TokenDates } from './dates';

export interface SecretResolverOptions {
  prompter: Prompter;
  env?: NodeJS.ProcessEnv;
  /** The keychain to use; defaults to the OS keychain through keytar. */
  keychain?: () => Promise<KeychainStatus>;
  /** Where stored tokens' dates are kept; defaults to the config directory of `env`. */
  dates?: TokenDates;
  /** Every resolved value is registered here, so it is masked from then on. */
  masker?: Masker;
  /** One sentence for the operator: no keychain, a token older than max_age_days, a failed store. */
  onWarning?: (message: string) => void;
  now?: () => Date;
}

/** The warning for a stored token older than its `max_age_days`, or undefined. */
export function ageWarning(name: string, spec: SecretSpec, ageDays: number | undefined): string | undefined {
  if (spec.max_age_days === undefined || ageDays === undefined || ageDays <= spec.max_age_days) return undefined;
  return `${name}: the token stored in the keychain as "${spec.keychain}" is ${ageDays} days old (max_age_days is ${spec.max_age_days}); ${rotateAdvice(spec.keychain)}.`;
}

export function createSecretResolver(options: SecretResolverOptions): SecretResolver {
  const env = options.env ?? process.env;
  const dates = options.dates ?? new TokenDates(env);
  const now = options.now ?? (() => new Date());
  const warn = options.onWarning ?? (() => {});
  const open = options.keychain ?? openKeychain;
  const resolved = new Map<string, { value: string; source: SecretSource }>();
  const warned = new Set<string>();

  const warnOnce = (key: string, message: string) => {
    if (warned.has(key)) return;
    warned.add(key);
    warn(message);
  };

  /** The keychain, or undefined after saying once why it cannot be used. */
  async function keychainFor(spec: SecretSpec) {
    // Lint refuses it too; this holds for any runbook that reaches here another way.
    if (!spec.keychain || reservedAccountProblem(spec.keychain)) return undefined;
    const status = await open();
    if (status.available) return status.keychain;
    // Named per variable: each secret says where else it can come from.
    warnOnce(`no-keychain:${spec.env ?? ''}`, keychainUnavailableMessage(status.reason, spec.env, status.fix));
    return undefined;
  }

  // Whitespace around a value is never part of a token: a `\r` from a CRLF file, a pasted space. Left
  // on, the GitHub check (whose header drops it) and the step would see different values, and the
  // step's shell, stripping it, would print a token the masker does not know in that form.
  const clean = (value: string | undefined): string | undefined => value?.trim() || undefined;
  const fromEnv = (spec: SecretSpec): string | undefined => (spec.env ? clean(env[spec.env]) : undefined);

  async function lookup(name: string, spec: SecretSpec): Promise<SecretLookup> {
    const done = resolved.get(name);
    if (done) return { source: done.source, ageDays: done.source === 'keychain' ? dates.ageDays(spec.keychain!, now()) : undefined };
    if (fromEnv(spec) !== undefined) return { source: 'env' };
    const keychain = await keychainFor(spec);
    if (keychain && clean(await keychain.get(spec.keychain!)) !== undefined) {
      return { source: 'keychain', ageDays: dates.ageDays(spec.keychain!, now()) };
    }
    return { source: 'missing' };
  }

  function accept(name: string, value: string, source: SecretSource) {
    options.masker?.add(value);
    const result = { value, source };
    resolved.set(name, result);
    return result;
  }

  async function resolve(name: string, spec: SecretSpec): Promise<{ value: string; source: SecretSource }> {
    const done = resolved.get(name);
    if (done) return done;

    const envValue = fromEnv(spec);
    if (envValue !== undefined) return accept(name, envValue, 'env');

    const keychain = await keychainFor(spec);
    if (keychain) {
      const stored = clean(await keychain.get(spec.keychain!));
      if (stored !== undefined) {
        const warning = ageWarning(name, spec, dates.ageDays(spec.keychain!, now()));
        if (warning) warnOnce(`age:${name}`, warning);
        return accept(name, stored, 'keychain');
      }
    }

    const answer = await options.prompter.secret({ name, spec, canStore: keychain !== undefined });
    const value = clean(answer.value);
    if (!value) {
      throw new HandrailError(`No value was given for the secret ${name}`, { fix: secretWays(spec, 'resolve') || 'enter it when asked' });
    }
    if (answer.store && keychain) {
      try {
        await keychain.set(spec.keychain!, value);
        dates.set(spec.keychain!, now());
      } catch (error) {
        // The run can go on with the value it has; only keeping it for next time failed.
        warn(`${name} was not stored in the keychain: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return accept(name, value, 'prompt');
  }

  return { lookup, resolve };
}
