// The OS keychain through keytar (service "handrail"). keytar is optional and native: it runs in a
// child process, and every call has a timeout, so a missing libsecret, a dead D-Bus, a locked or a
// stuck keyring never hangs or crashes handrail.
import { createRequire } from 'node:module';
import { onPath } from '../core/which';
import { HandrailError } from '../core/errors';
import { KeytarGone, startKeytar, type KeytarOp } from './keytar-worker';

export const KEYCHAIN_SERVICE = 'handrail';
const CALL_TIMEOUT_MS = 5_000;
const TIMED_OUT = `it did not answer within ${CALL_TIMEOUT_MS / 1000}s`;

export interface Keychain {
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
  accounts(): Promise<string[]>;
}

/** `fix`, when known, is what to do about a keychain that is there but cannot be used (locked, stuck). */
export type KeychainStatus = { available: true; keychain: Keychain } | { available: false; reason: string; fix?: string };

/**
 * How to go on without a keychain: the variable this secret is read from (so the operator need not
 * look it up), and the commands that start a keychain in this session where they are installed; or,
 * for a keychain that is there but locked or stuck, its `fix` first.
 */
export function noKeychainAdvice(envVar?: string, fix?: string): string {
  const env = envVar
    ? `give the token in ${envVar} instead (read -rs ${envVar} && export ${envVar}, then run handrail again)`
    : "give the token in the environment variable the runbook's secrets: env: names instead";
  if (fix) return `${fix}, or ${env}`;
  const start =
    onPath('dbus-run-session') && onPath('gnome-keyring-daemon')
      ? 'or start a keychain for this shell: dbus-run-session -- bash, then gnome-keyring-daemon --unlock (type a password for it, then Ctrl-D)'
      : 'or start a Secret Service keychain (e.g. gnome-keyring) in this session';
  return `${env}, ${start}`;
}

const LOCKED = 'the keyring is locked';
const NO_KEYRING = 'it has no keyring to keep it in, and could not ask for a password to make one';
/** What to do about a keychain that is there but cannot be used, by the reason it gives. */
const FIXES: Record<string, string> = {
  [LOCKED]: "unlock it (e.g. in the desktop's Passwords and Keys) and run handrail again",
  [TIMED_OUT]: 'make sure its service (e.g. gnome-keyring-daemon) is running and not stuck, then run handrail again',
  [NO_KEYRING]: 'make one with gnome-keyring-daemon --replace --unlock (type a password for it, then Ctrl-D), then run handrail again',
};

function explain(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // libsecret's messages: "Could not connect: No such file or directory" (no session bus),
  // "Cannot autolaunch D-Bus without X11 $DISPLAY", "The name org.freedesktop.secrets was not provided…".
  if (/locked|unlock|prompt/i.test(message)) return LOCKED;
  // gnome-keyring started without --unlock and no login keyring yet: making one needs a prompt.
  if (/Object does not exist at path .*\/collection\//i.test(message)) return NO_KEYRING;
  if (/org\.freedesktop\.secrets|ServiceUnknown/i.test(message)) return 'no Secret Service (e.g. gnome-keyring) is running';
  if (/D-?Bus|DISPLAY|Could not connect|org\.freedesktop/i.test(message)) return 'no D-Bus session is running';
  return message.split('\n')[0];
}

let cached: Promise<KeychainStatus> | undefined;

/** Loads keytar and probes the Secret Service once per process. */
export function openKeychain(): Promise<KeychainStatus> {
  if (process.env.HANDRAIL_NO_KEYCHAIN === '1') {
    return Promise.resolve({ available: false, reason: 'the keychain is turned off (HANDRAIL_NO_KEYCHAIN=1)' });
  }
  cached ??= probe();
  return cached;
}

// GitHub's maintained fork of the archived keytar: the same API, and prebuilt binaries in its npm
// package (Linux glibc and musl, macOS), so most installs need no compiler.
const KEYTAR = '@github/keytar';

const NOT_INSTALLED = '@github/keytar (the OS keychain module) is not installed; on Linux it needs libsecret';

/** The reason a keychain call failed, in the words `FIXES` knows. */
function reasonFor(error: unknown): string {
  if (error instanceof KeytarGone) {
    // keytar's one known crash is reading items it could not unlock.
    return error.why === 'timeout' ? TIMED_OUT : LOCKED;
  }
  return explain(error);
}

async function probe(): Promise<KeychainStatus> {
  let keytarPath: string;
  try {
    keytarPath = createRequire(import.meta.url).resolve(KEYTAR);
  } catch {
    return { available: false, reason: NOT_INSTALLED };
  }
  const keytar = startKeytar(keytarPath, CALL_TIMEOUT_MS);
  try {
    await keytar('findCredentials', KEYCHAIN_SERVICE);
  } catch (error) {
    const reason = reasonFor(error);
    return { available: false, reason, fix: FIXES[reason] };
  }
  const call = async <T>(what: string, op: KeytarOp, ...args: string[]): Promise<T> => {
    try {
      return (await keytar(op, KEYCHAIN_SERVICE, ...args)) as T;
    } catch (error) {
      const reason = reasonFor(error);
      if (reason === TIMED_OUT) {
        throw new HandrailError(
          `the OS keychain did not answer within ${CALL_TIMEOUT_MS / 1000}s (${what}); ${noKeychainAdvice(undefined, FIXES[reason])}.`,
        );
      }
      throw new HandrailError(`the OS keychain refused to ${what}: ${reason}${FIXES[reason] ? `; ${FIXES[reason]}` : ''}.`);
    }
  };
  const keychain: Keychain = {
    get: async (account) => (await call<string | null>('read a token', 'getPassword', account)) ?? undefined,
    set: (account, secret) => call<void>('store a token', 'setPassword', account, secret),
    delete: (account) => call<boolean>('delete a token', 'deletePassword', account),
    accounts: async () => (await call<{ account: string }[]>('list tokens', 'findCredentials')).map((c) => c.account),
  };
  return { available: true, keychain };
}

/** One sentence for an operator when the keychain cannot be used; `envVar` is where the secret can come from instead. */
export function keychainUnavailableMessage(reason: string, envVar?: string, fix?: string): string {
  return `The OS keychain is not available (${reason}); ${noKeychainAdvice(envVar, fix)}.`;
}
