// `GET /users/{login}/ssh_signing_keys`: the SSH keys a GitHub user signs with (public, no token).
import { HandrailError } from '../core/errors';
import { failedResponse, GithubStatusError, responseError } from './errors';

/** A GitHub login as GitHub allows it; anything else never reaches a URL. */
export const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

/** The `key` of each of the user's SSH signing keys (`ssh-ed25519 AAAA…`); throws HandrailError. */
export async function githubSshSigningKeys(login: string, baseUrl: string): Promise<string[]> {
  if (!GITHUB_LOGIN.test(login)) throw new HandrailError(`${JSON.stringify(login)} is not a GitHub login.`);
  const base = baseUrl.replace(/\/+$/, '');
  // Loaded here, so `handrail verify` without --github never loads octokit. No token: the keys are public.
  const { githubOctokit } = await import('./client');
  const octokit = githubOctokit({ baseUrl: base, what: 'Checking SSH signing keys' });
  const request = `GET /users/${login}/ssh_signing_keys`;
  try {
    // 100 is GitHub's largest page: one request per signer covers every real account.
    const response = await octokit.request('GET /users/{username}/ssh_signing_keys', { username: login, per_page: 100 });
    return (response.data as { key?: unknown }[]).map((k) => k.key).filter((k): k is string => typeof k === 'string');
  } catch (caught) {
    const failed = failedResponse(caught, request, base);
    if (failed.status === 404) throw new GithubStatusError(`GitHub has no user @${login} (${request} answered 404).`, 404);
    throw responseError(request, failed, { hasToken: false });
  }
}
