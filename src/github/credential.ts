// A token and where it came from (SPEC §5.1): one credential per request, and before the first
// request that carries it the operator is told its source (never its value) and the host it goes to.
import { terminalSafeLine } from '../core/terminal-safe';
import { credentialLine, type CredentialNotice } from '../core/credential-line';
import { storeTokenAdvice } from '../core/token-advice';

export type { CredentialNotice };

export interface Credential {
  token: string;
  /** Where it came from, in words: "environment variable GH_TOKEN", "keychain account github". */
  source: string;
  /** What to do when GitHub rejects it (401/403/404): never "try the next token". */
  fix?: string;
}

let announcer: (notice: CredentialNotice) => void = (notice) =>
  process.stderr.write(`handrail: ${terminalSafeLine(credentialLine(notice))}\n`);
const announced = new Set<string>();

/**
 * Where announcements go: a run sends them to its event stream once its views are attached; other
 * commands (and a run before that) print them on stderr. A new destination has seen nothing yet, so
 * it is told again.
 */
export function setCredentialAnnouncer(next: (notice: CredentialNotice) => void): void {
  announcer = next;
  announced.clear();
}

/** Tells the operator once per source and host; every client calls this before a token leaves. */
export function announceCredential(notice: CredentialNotice): void {
  const key = `${notice.source}\n${notice.host}`;
  if (announced.has(key)) return;
  announced.add(key);
  announcer(notice);
}

const NEXT = 'GH_TOKEN, then GITHUB_TOKEN, then the keychain account github';

export function envCredential(variable: string, token: string, secret?: string): Credential {
  return {
    token,
    source: `${secret ? `${secret} from ` : ''}environment variable ${variable}`,
    fix: `set ${variable} to a token that may do this${secret ? '' : `, or unset it so the next one is used (${NEXT})`}`,
  };
}

/**
 * A keychain account as the line names it. The name comes from a runbook and may be anything: one
 * with spaces, look-alike letters or controls is quoted, ASCII-escaped, so it can never read as more
 * of the sentence ("… goes to …") or pass for another account.
 */
function accountName(account: string): string {
  if (/^[A-Za-z0-9._@-]+$/.test(account)) return account;
  return JSON.stringify(account).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function keychainCredential(account: string, token: string, secret?: string): Credential {
  return {
    token,
    source: `${secret ? `${secret} from ` : ''}keychain account ${accountName(account)}`,
    fix: storeTokenAdvice(account),
  };
}

export function typedCredential(secret: string, token: string): Credential {
  return { token, source: `${secret}, typed when asked`, fix: `give ${secret} a token that may do this` };
}
