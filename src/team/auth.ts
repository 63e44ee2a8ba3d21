// How the team layer finds its one GitHub token (SPEC §5.1, §6.2): the run's own secret when it names
// one, else GH_TOKEN, else GITHUB_TOKEN, else the keychain's `github` account (`handrail auth login`).
// The first found is the only one sent: after a 401/403/404 handrail never tries the next, since a
// runbook could otherwise collect every token the operator has by answering 401.
import { envCredential, keychainCredential, type Credential } from '../github/credential';
import { openKeychain } from '../secrets/keychain';
import { reservedAccountProblem } from '../core/reserved';

/** Where a run's records token came from, kept in an outbox entry (names only, never the value). */
export interface TokenSource {
  /** The secret's name in the runbook, e.g. GH_PAT. */
  secret?: string;
  env?: string;
  keychain?: string;
}

/** The one credential to use, by the documented order, or undefined when there is none. */
export async function findCredential(
  preferred: TokenSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Credential | undefined> {
  const value = (name: string | undefined) => (name ? env[name]?.trim() || undefined : undefined);
  if (preferred?.env && value(preferred.env)) return envCredential(preferred.env, value(preferred.env)!, preferred.secret);
  if (preferred?.keychain && !reservedAccountProblem(preferred.keychain)) {
    const stored = await fromKeychain(preferred.keychain);
    if (stored) return keychainCredential(preferred.keychain, stored, preferred.secret);
  }
  for (const name of ['GH_TOKEN', 'GITHUB_TOKEN']) if (value(name)) return envCredential(name, value(name)!);
  const stored = await fromKeychain('github');
  return stored ? keychainCredential('github', stored) : undefined;
}

async function fromKeychain(account: string): Promise<string | undefined> {
  try {
    const status = await openKeychain();
    if (!status.available) return undefined;
    return (await status.keychain.get(account))?.trim() || undefined;
  } catch {
    return undefined;
  }
}

export { NO_TOKEN_ADVICE } from '../core/token-advice';
