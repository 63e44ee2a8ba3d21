// Keychain tests run against the private, unlocked gnome-keyring that `npm test` starts. Under
// `npm test` they never skip: a keyring that could not be started or does not answer fails them, so
// a run that tested no keychain cannot pass as green. Under bare vitest they are skipped.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, it } from 'vitest';
import { openKeychain } from '../../src/secrets/keychain';

export const KEYRING = process.env.HANDRAIL_TEST_KEYRING === '1';
const UNDER_NPM_TEST = process.env.HANDRAIL_TEST_SESSION === '1';

/** `describe` for tests that need the real keychain. */
export function describeKeychain(name: string, body: () => void): void {
  if (!KEYRING && !UNDER_NPM_TEST) {
    describe.skip(`${name} (needs the keyring that \`npm test\` starts)`, body);
    return;
  }
  if (!KEYRING) {
    describe(name, () => {
      it('runs against the keyring that npm test starts', () => {
        throw new Error('npm test could not start a keyring: install dbus (dbus-run-session) and gnome-keyring (gnome-keyring-daemon).');
      });
    });
    return;
  }
  describe(name, () => {
    // Each test, so each one counts as failed rather than skipped.
    beforeEach(async () => {
      const status = await openKeychain();
      if (!status.available) throw new Error(`the test keyring is not usable: ${status.reason}`);
    });
    body();
  });
}

/** A gnome-keyring of one test's own, on a D-Bus session of its own, that the test may stop or lock. */
export interface PrivateKeyring {
  /** Points handrail (keytar) at this keyring. */
  env: Record<string, string>;
  /** SIGSTOP: the service keeps its name on the bus and never answers, like a hung daemon. */
  freeze(): void;
  /** Locks the login collection (as a screen lock does), over the Secret Service's own Lock call. */
  lock(): void;
  stop(): void;
}

/**
 * Starts dbus-daemon and gnome-keyring under `root`: unlocked, as `npm test` does for the shared one,
 * or (`unlock: false`) started without a password, so it has no login keyring until one is made.
 */
export async function startPrivateKeyring(root: string, { unlock = true } = {}): Promise<PrivateKeyring> {
  const runtime = join(root, 'keyring-run');
  const data = join(root, 'keyring-data');
  for (const dir of [runtime, data]) mkdirSync(dir, { recursive: true, mode: 0o700 });
  // No display: a password prompt the keyring asks for fails at once, as on a server.
  const { DISPLAY: _x, WAYLAND_DISPLAY: _w, ...headless } = process.env;
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], { env: headless, stdio: ['ignore', 'pipe', 'ignore'] });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    bus.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    bus.on('exit', () => reject(new Error('dbus-daemon did not start')));
  });
  const env = { DBUS_SESSION_BUS_ADDRESS: address, XDG_RUNTIME_DIR: runtime, XDG_DATA_HOME: data };
  const daemon = spawn('gnome-keyring-daemon', ['--foreground', '--components=secrets', ...(unlock ? ['--unlock'] : [])], {
    env: { ...headless, ...env },
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  daemon.stdin.end(unlock ? 'test-password' : '');
  const send = (...args: string[]) =>
    execFileSync('dbus-send', ['--session', '--print-reply', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const owned = () =>
    send('--dest=org.freedesktop.DBus', '/', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.secrets').includes('true');
  for (let i = 0; !owned(); i++) {
    if (i > 200) throw new Error('gnome-keyring-daemon did not take its name on the test bus');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return {
    env,
    freeze: () => void daemon.kill('SIGSTOP'),
    lock: () =>
      void send(
        '--dest=org.freedesktop.secrets',
        '/org/freedesktop/secrets',
        'org.freedesktop.Secret.Service.Lock',
        'array:objpath:/org/freedesktop/secrets/collection/login',
      ),
    stop: () => {
      daemon.kill('SIGKILL');
      bus.kill('SIGKILL');
    },
  };
}
