// `handrail auth login|status|logout`: GitHub tokens in the OS keychain (service "handrail").
// A token is read from a masked prompt or stdin, never argv, and nothing here ever prints it.
import { terminalSafeLine } from '../core/terminal-safe';
import { HandrailError, UsageError } from '../core/errors';
import { createGithubRunner, githubApiUrl } from '../github';
import { keychainCredential } from '../github/credential';
import { KEYCHAIN_SERVICE, noKeychainAdvice, openKeychain, type Keychain } from '../secrets/keychain';
import { TokenDates } from '../secrets/dates';
import { SIGNING_KEY_ACCOUNT } from '../record/keys';
import { reservedAccountProblem } from '../core/reserved';
import { authLogin } from '../core/token-advice';

export interface AuthOptions {
  name: string;
  withToken?: boolean;
  githubApi?: string;
}

async function requireKeychain(consequence = 'nothing can be stored'): Promise<Keychain> {
  const status = await openKeychain();
  if (!status.available) {
    // Without a keychain there is still a way: runs read each secret from the variable its runbook
    // names under secrets: (env:), which this command cannot know, so it says where to look.
    throw new HandrailError(
      `The OS keychain is not available (${status.reason}), so ${consequence}; ${noKeychainAdvice(undefined, status.fix)} (\`handrail run\` names the variable when the token is missing).`,
    );
  }
  return status.keychain;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function askToken(account: string): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new UsageError(
      `There is no terminal to ask for the token on, so nothing was stored; pipe it in with --with-token, e.g. ${pipeExample(account)}.`,
    );
  }
  const { password } = await import('@inquirer/prompts');
  try {
    return await password({ message: `GitHub token to store as "${account}"`, mask: '•' });
  } catch (error) {
    if (error instanceof Error && error.name === 'ExitPromptError') throw new HandrailError('Cancelled; nothing was stored.');
    throw error;
  }
}

/** How to pipe a token in, for this account. */
function pipeExample(account: string): string {
  return `\`gh auth token | handrail auth login${account === 'github' ? '' : ` --name ${account}`} --with-token\``;
}

async function login(options: AuthOptions): Promise<number> {
  const keychain = await requireKeychain();
  // --with-token on a terminal would read the token in clear as it is typed: it is asked masked instead.
  const piped = options.withToken && !process.stdin.isTTY;
  // The line break (LF or CRLF) and spaces around a token are not part of it; whitespace inside is.
  const token = (piped ? await readStdin() : await askToken(options.name)).trim();
  if (!token) {
    const how = piped ? `pipe one in, e.g. ${pipeExample(options.name)}` : 'paste it when asked, then press Enter';
    throw new UsageError(`No token was given${piped ? ' on stdin' : ''}, so nothing was stored; ${how}.`);
  }
  if (/\s/.test(token)) {
    throw new UsageError(
      `The token has a space, tab or line break inside it (a GitHub token never does), so nothing was stored; give exactly one token, e.g. ${pipeExample(options.name)}.`,
    );
  }
  await keychain.set(options.name, token);
  new TokenDates().set(options.name);
  process.stdout.write(`Stored the token as "${options.name}" in the OS keychain (service ${KEYCHAIN_SERVICE}).\n`);
  return 0;
}

function describeAge(days: number | undefined): string {
  if (days === undefined) return 'stored (date unknown)';
  if (days === 0) return 'stored today';
  return `stored ${days} day${days === 1 ? '' : 's'} ago`;
}

/**
 * GitHub's token formats: classic and fine-grained PATs, OAuth, app and refresh tokens, and the old
 * 40-hex form. The keychain service also holds runbooks' other secrets (an AWS key stored as
 * `keychain: aws-prod`): those do not belong to GitHub, so `auth status` never sends them there.
 */
const GITHUB_TOKEN_SHAPE = /^(?:gh[pousr]_[A-Za-z0-9_-]+|github_pat_[A-Za-z0-9_]+|[0-9a-f]{40})$/;

async function status(options: AuthOptions): Promise<number> {
  const keychain = await requireKeychain('no stored token can be listed');
  // The record-signing key shares the service; it is not a GitHub token (see `handrail keys export`).
  const accounts = (await keychain.accounts()).filter((a) => a !== SIGNING_KEY_ACCOUNT).sort();
  if (accounts.length === 0) {
    process.stdout.write(`No tokens are stored under the keychain service "${KEYCHAIN_SERVICE}"; add one with ${authLogin()}.\n`);
    return 0;
  }
  const baseUrl = githubApiUrl({ flag: options.githubApi });
  const dates = new TokenDates();
  let failed = false;
  for (const account of accounts) {
    const token = await keychain.get(account);
    let github: string;
    if (!GITHUB_TOKEN_SHAPE.test(token?.trim() ?? '')) {
      process.stdout.write(
        `${terminalSafeLine(`${account}: ${describeAge(dates.ageDays(account))}; not shaped like a GitHub token (ghp_…, github_pat_…), so it was not sent to GitHub`)}\n`,
      );
      continue;
    }
    try {
      const { login: user, scopes } = await createGithubRunner({
        baseUrl,
        ...keychainCredential(account, token ?? ''),
        use: 'auth status',
      }).whoami();
      github = `GitHub user ${user}; ${scopes ? `scopes: ${scopes.join(', ') || '(none)'}` : 'fine-grained token (GitHub reports no scopes)'}`;
    } catch (error) {
      failed = true;
      github = error instanceof HandrailError ? error.message : 'GitHub could not be asked about it';
    }
    process.stdout.write(`${terminalSafeLine(`${account}: ${describeAge(dates.ageDays(account))}; ${github}`)}\n`);
  }
  return failed ? 1 : 0;
}

async function logout(options: AuthOptions): Promise<number> {
  const keychain = await requireKeychain('nothing can be removed');
  const removed = await keychain.delete(options.name);
  new TokenDates().delete(options.name);
  if (!removed) {
    process.stderr.write(`handrail: no token is stored as "${options.name}"; \`handrail auth status\` lists the stored ones.\n`);
    return 1;
  }
  process.stdout.write(`Removed the token "${options.name}" from the OS keychain.\n`);
  return 0;
}

export async function authCommand(action: 'login' | 'status' | 'logout', options: AuthOptions): Promise<number> {
  // Storing a token over the record-signing key, or removing it, would end this machine's signing identity.
  const reserved = action === 'status' ? undefined : reservedAccountProblem(options.name);
  if (reserved) throw new UsageError(`--name ${reserved}.`);
  switch (action) {
    case 'login':
      return login(options);
    case 'status':
      return status(options);
    case 'logout':
      return logout(options);
  }
}
