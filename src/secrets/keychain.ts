// The OS keychain through keytar (service "handrail"). keytar is optional and native: it is loaded
// lazily, and every call has a timeout, so a missing libsecret or a dead D-Bus never hangs or crashes.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { onPath } from '../which';
import { HandrailError } from '../errors';

export const KEYCHAIN_SERVICE = 'handrail';
const CALL_TIMEOUT_MS = 5_000;
const TIMED_OUT = `it did not answer within ${CALL_TIMEOUT_MS / 1000}s`;

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<{ account: string; password: string }[]>;
}

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

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HandrailError(`the OS keychain did not answer within ${CALL_TIMEOUT_MS / 1000}s (${what}); ${noKeychainAdvice()}.`)),
      CALL_TIMEOUT_MS,
    );
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
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

const NOT_INSTALLED = 'keytar (the OS keychain module) is not installed; on Linux it needs libsecret';

// The first look runs in a child process. keytar crashes the process (SIGSEGV) when it lists a service
// whose items are locked, and a Secret Service that never answers leaves keytar's call in Node's thread
// pool until D-Bus gives up (~50s), holding the process open long after the answer was given up on.
// A child can crash or be killed at the timeout without harm; later calls are made here only once
// this one has answered.
const PROBE = `require(process.argv[1]).findCredentials(${JSON.stringify(KEYCHAIN_SERVICE)}).then(
  () => process.exit(0),
  (e) => { process.stderr.write(String((e && e.message) || e)); process.exit(1); })`;

function probeInChild(keytarPath: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', PROBE, keytarPath], { timeout: CALL_TIMEOUT_MS, killSignal: 'SIGKILL' }, (error, _stdout, stderr) => {
      if (!error) return resolve(undefined);
      if (error.killed) return resolve(TIMED_OUT);
      // keytar's only crash here is reading items it could not unlock.
      if (error.signal) return resolve(LOCKED);
      resolve(explain(new Error(stderr || error.message)));
    });
  });
}

async function probe(): Promise<KeychainStatus> {
  let keytarPath: string;
  try {
    keytarPath = createRequire(import.meta.url).resolve('keytar');
  } catch {
    return { available: false, reason: NOT_INSTALLED };
  }
  const refused = await probeInChild(keytarPath);
  if (refused) return { available: false, reason: refused, fix: FIXES[refused] };
  let keytar: Keytar;
  try {
    const mod = (await import('keytar')) as unknown as { default?: Keytar } & Keytar;
    keytar = mod.default ?? mod;
  } catch {
    return { available: false, reason: NOT_INSTALLED };
  }
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await withTimeout(fn(), what);
    } catch (error) {
      if (error instanceof HandrailError) throw error;
      const reason = explain(error);
      throw new HandrailError(`the OS keychain refused to ${what}: ${reason}${FIXES[reason] ? `; ${FIXES[reason]}` : ''}.`);
    }
  };
  const keychain: Keychain = {
    get: async (account) => (await call('read a token', () => keytar.getPassword(KEYCHAIN_SERVICE, account))) ?? undefined,
    set: (account, secret) => call('store a token', () => keytar.setPassword(KEYCHAIN_SERVICE, account, secret)),
    delete: (account) => call('delete a token', () => keytar.deletePassword(KEYCHAIN_SERVICE, account)),
    accounts: async () =>
      (await call('list tokens', () => keytar.findCredentials(KEYCHAIN_SERVICE))).map((c) => c.account),
  };
  return { available: true, keychain };
}

/** One sentence for an operator when the keychain cannot be used; `envVar` is where the secret can come from instead. */
export function keychainUnavailableMessage(reason: string, envVar?: string, fix?: string): string {
  return `The OS keychain is not available (${reason}); ${noKeychainAdvice(envVar, fix)}.`;
}
