// How team commands outside a run find a GitHub token, as gh does: GH_TOKEN or GITHUB_TOKEN when
// set, else the keychain's `github` account (`handrail auth login`). A run's own secret, when it
// names one, is tried first.
import { openKeychain } from '../secrets/keychain';

/** Where a run's records token came from, kept in an outbox entry (names only, never the value). */
export interface TokenSource {
  /** The secret's name in the runbook, e.g. GH_PAT. */
  secret?: string;
  env?: string;
  keychain?: string;
}

export async function findToken(preferred: TokenSource | undefined, env: NodeJS.ProcessEnv = process.env): Promise<{ token?: string; from: string }> {
  const envNames = [preferred?.env, 'GH_TOKEN', 'GITHUB_TOKEN'].filter((n): n is string => !!n);
  if (preferred?.env && env[preferred.env]) return { token: env[preferred.env], from: `$${preferred.env}` };
  const accounts = [preferred?.keychain, 'github'].filter((n): n is string => !!n);
  if (preferred?.keychain) {
    const stored = await fromKeychain(preferred.keychain);
    if (stored) return { token: stored, from: `the keychain account "${preferred.keychain}"` };
  }
  for (const name of envNames.slice(preferred?.env ? 1 : 0)) if (env[name]) return { token: env[name], from: `$${name}` };
  for (const account of accounts.slice(preferred?.keychain ? 1 : 0)) {
    const stored = await fromKeychain(account);
    if (stored) return { token: stored, from: `the keychain account "${account}"` };
  }
  return { from: 'nowhere' };
}

async function fromKeychain(account: string): Promise<string | undefined> {
  try {
    const status = await openKeychain();
    if (!status.available) return undefined;
    return (await status.keychain.get(account)) || undefined;
  } catch {
    return undefined;
  }
}

export const NO_TOKEN_ADVICE = 'set GH_TOKEN, or store a token with `handrail auth login` (it needs the repo scope, or contents: write on that repository)';
