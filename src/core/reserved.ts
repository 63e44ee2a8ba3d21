// Keychain accounts of the service "handrail" that belong to handrail itself, not to any runbook or
// token: the record-signing private key. A runbook that could name it as a secret would hand the key
// to its steps (or send it to GitHub as a token), and with it forge this machine's records and the
// rehearsals that open a live run's gate. Kept dependency-free so lint can check it cheaply.
export const SIGNING_KEY_ACCOUNT = 'record-signing-key';

/** Why `account` may not be read as a secret or token, or undefined when it may. */
export function reservedAccountProblem(account: string): string | undefined {
  return account.trim() === SIGNING_KEY_ACCOUNT
    ? `${SIGNING_KEY_ACCOUNT} is handrail's own record-signing key, never a runbook's secret or a token; name another keychain account`
    : undefined;
}
