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

/** Every token that may authenticate, best first: the run's own secret, then GH_TOKEN, GITHUB_TOKEN, the `github` account. */
export async function findTokens(preferred: TokenSource | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const found: string[] = [];
  const add = (token: string | undefined) => {
    if (token && !found.includes(token)) found.push(token);
  };
  if (preferred?.env) add(env[preferred.env]);
  if (preferred?.keychain) add(await fromKeychain(preferred.keychain));
  add(env.GH_TOKEN);
  add(env.GITHUB_TOKEN);
  add(await fromKeychain('github'));
  return found;
}

/** The best token there is, if any. */
export async function findToken(preferred: TokenSource | undefined, env: NodeJS.ProcessEnv = process.env): Promise<{ token?: string }> {
  const [token] = await findTokens(preferred, env);
  return token ? { token } : {};
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
