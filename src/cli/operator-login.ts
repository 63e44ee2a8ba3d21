// The operator's GitHub login for the record's signer when no token of the run says it (SPEC §6.1):
// the keychain's `github` account (`handrail auth login`), asked of GitHub with GET /user. Never
// fails a run: without it the record simply names no login.
import { keychainCredential } from '../github/credential';
import { openKeychain } from '../secrets/keychain';
import { authLogin } from '../core/token-advice';
import { errorReason } from '../core/errors';

const TIMEOUT_MS = 10_000;

export async function keychainGithubLogin(baseUrl: string): Promise<{ login?: string; note?: string }> {
  const status = await openKeychain();
  if (!status.available) return { note: `no keychain holds a GitHub token (${status.reason})` };
  const token = await status.keychain.get('github').catch(() => undefined);
  if (!token) return { note: `${authLogin()} stores a GitHub token that names you` };
  const { createGithubRunner } = await import('../github');
  try {
    const { login } = await createGithubRunner({
      baseUrl,
      ...keychainCredential('github', token),
      use: 'your login for the record',
      timeoutMs: TIMEOUT_MS,
    }).whoami();
    return { login };
  } catch (error) {
    return { note: `GitHub could not say whose the keychain's github token is: ${errorReason(error)}` };
  }
}
