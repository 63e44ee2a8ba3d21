// Keychain tests run against the private, unlocked gnome-keyring that `npm test` starts. Under
// `npm test` they never skip: a keyring that could not be started or does not answer fails them, so
// a run that tested no keychain cannot pass as green. Under bare vitest they are skipped.
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
