// How to get a token or secret to handrail, written once: every error, warning and hint that tells an
// operator to set a variable or run `handrail auth login` takes its words from here, so they agree.

/** Where a secret may come from, as the runbook declares it (a SecretSpec, or a part of one). */
export interface SecretWhere {
  env?: string | undefined;
  keychain?: string | undefined;
}

/** `handrail auth login`, naming the keychain account when there is one to name. */
export function authLogin(account?: string): string {
  return `\`handrail auth login${account === undefined ? '' : ` --name ${account}`}\``;
}

/**
 * The ways a runbook's secret can be given, joined with "or"; '' when it names neither.
 * - `give`: "set GH_TOKEN or store it with `handrail auth login --name ops`" (a missing secret)
 * - `token`: "set GH_TOKEN to a valid token or store one with `…`" (a token GitHub refused)
 * - `resolve`: "set $GH_TOKEN or run `…`" (a secret left empty when asked)
 */
export function secretWays(spec: SecretWhere | undefined, form: 'give' | 'token' | 'resolve' = 'give'): string {
  const env = spec?.env;
  const account = spec?.keychain;
  const ways = {
    give: [env && `set ${env}`, account && `store it with ${authLogin(account)}`],
    token: [env && `set ${env} to a valid token`, account && `store one with ${authLogin(account)}`],
    resolve: [env && `set $${env}`, account && `run ${authLogin(account)}`],
  }[form];
  return ways.filter(Boolean).join(' or ');
}

/** A token GitHub refused, when the caller cannot say where it came from. */
export const REJECTED_TOKEN_ADVICE = `store a valid one with ${authLogin()} or set its env var`;

/** A GitHub request that needs a token when the runbook gives none. */
export const RUNBOOK_TOKEN_ADVICE = `set \`github.token\` in the runbook and store it with ${authLogin()}`;

/** The team's commands (records, status comment) when no token is found anywhere. */
export const NO_TOKEN_ADVICE = `set GH_TOKEN, or store a token with ${authLogin()} (it needs the repo scope, or contents: write on that repository)`;

/** A keychain token that should be replaced: "store a token that may do this with `handrail auth login`". */
export function storeTokenAdvice(account: string): string {
  return `store a token that may do this with ${authLogin(account === 'github' ? undefined : account)}`;
}

/** A stored token older than its max_age_days. */
export function rotateAdvice(account: string | undefined): string {
  return `rotate it and store the new one with ${authLogin(account)}`;
}
