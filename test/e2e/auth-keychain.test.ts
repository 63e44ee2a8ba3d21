// `handrail auth` through the built CLI against the real keychain: the gnome-keyring that
// `npm test` starts in a private D-Bus session. GitHub is the loopback server.
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/cli';
import { startGithubServer, type GithubServer } from '../helpers/github-server';
import { describeKeychain } from '../helpers/keyring';

const token = () => `ghp_${randomBytes(18).toString('hex')}`;
const account = (label: string) => `test-${label}-${randomBytes(4).toString('hex')}`;

function expectNoToken(secret: string, ...texts: string[]) {
  for (const text of texts) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(Buffer.from(secret).toString('base64'));
  }
}

describeKeychain('handrail auth with the real keychain', () => {
  let gh: GithubServer;
  beforeAll(async () => {
    gh = await startGithubServer();
  });
  afterAll(() => gh.close());

  it('stores a token from stdin, reports its age and scopes, and removes it, never printing it', async () => {
    const home = tempHome();
    const secret = token();
    const name = account('login');
    gh.state.tokens[secret] = { login: 'octo-admin', scopes: ['repo', 'write:packages'] };

    const login = await runCli(['auth', 'login', '--name', name, '--with-token'], { env: home.env, input: `${secret}\n` });
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`"${name}"`);
    expectNoToken(secret, login.stdout, login.stderr);

    // The date sits beside the keychain item in a private file, and holds no token.
    const datesPath = join(home.env.XDG_CONFIG_HOME!, 'handrail', 'token-dates.json');
    expect(statSync(datesPath).mode & 0o777).toBe(0o600);
    const dates = readFileSync(datesPath, 'utf8');
    expect(Object.keys(JSON.parse(dates))).toContain(name);
    expectNoToken(secret, dates);

    const status = await runCli(['auth', 'status', '--github-api', gh.url], { env: home.env });
    const line = status.stdout.split('\n').find((l) => l.startsWith(`${name}:`));
    expect(line).toBe(`${name}: stored today; GitHub user octo-admin; scopes: repo, write:packages`);
    expectNoToken(secret, status.stdout, status.stderr);
    // The token was sent to GitHub (only there), as the Authorization header.
    expect(gh.requests.some((r) => r.path === '/user' && r.headers.authorization === `token ${secret}`)).toBe(true);

    const logout = await runCli(['auth', 'logout', '--name', name], { env: home.env });
    expect(logout.code).toBe(0);
    expect(logout.stdout).toContain(`Removed the token "${name}"`);
    expect(Object.keys(JSON.parse(readFileSync(datesPath, 'utf8')))).not.toContain(name);

    const after = await runCli(['auth', 'status', '--github-api', gh.url], { env: home.env });
    expect(after.stdout).not.toContain(`${name}:`);
  });

  it('says a fine-grained token has no scopes to report, and flags a token GitHub rejects', async () => {
    const home = tempHome();
    const fine = token();
    const revoked = token();
    const fineName = account('fine');
    const revokedName = account('revoked');
    gh.state.tokens[fine] = { login: 'octo-bot' };
    for (const [n, t] of [
      [fineName, fine],
      [revokedName, revoked],
    ]) {
      const r = await runCli(['auth', 'login', '--name', n, '--with-token'], { env: home.env, input: t });
      expect(r.code).toBe(0);
    }
    const status = await runCli(['auth', 'status'], { env: { ...home.env, HANDRAIL_GITHUB_API: gh.url } });
    expect(status.code).toBe(1);
    expect(status.stdout).toContain(`${fineName}: stored today; GitHub user octo-bot; fine-grained token (GitHub reports no scopes)`);
    expect(status.stdout).toMatch(
      new RegExp(`${revokedName}: stored today; GitHub rejected the token from keychain account ${revokedName} \\(401 Bad credentials\\)`),
    );
    expectNoToken(fine, status.stdout, status.stderr);
    expectNoToken(revoked, status.stdout, status.stderr);
    for (const n of [fineName, revokedName]) expect((await runCli(['auth', 'logout', '--name', n], { env: home.env })).code).toBe(0);
  });

  it('logout of an account that holds nothing exits 1 and says so', async () => {
    const r = await runCli(['auth', 'logout', '--name', account('none')], { env: tempHome().env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no token is stored as "test-none-[0-9a-f]+"/);
  });

  it('refuses an empty token on stdin with exit 2', async () => {
    const r = await runCli(['auth', 'login', '--name', account('empty'), '--with-token'], { env: tempHome().env, input: '\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No token was given');
  });
});

describe('handrail auth without a keychain', () => {
  const cases: [string, NodeJS.ProcessEnv, RegExp][] = [
    ['no D-Bus session', { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/handrail-test-bus' }, /no D-Bus session is running/],
    ['the keychain turned off', { HANDRAIL_NO_KEYCHAIN: '1' }, /turned off/],
  ];
  for (const [label, env, reason] of cases) {
    it(`login fails with one sentence and writes no file (${label})`, async () => {
      const home = tempHome();
      const secret = token();
      const r = await runCli(['auth', 'login', '--with-token'], { env: { ...home.env, ...env }, input: secret });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^handrail: The OS keychain is not available \(.+\), so nothing can be stored; give the token in the environment variable the runbook's secrets: env: names instead, or start a .+\.\n$/,
      );
      expect(r.stderr).toMatch(reason);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      // Never a plaintext fallback: nothing at all was written under the config or state dirs.
      expect(() => statSync(join(home.env.XDG_CONFIG_HOME!, 'handrail'))).toThrow();
      expect(() => statSync(join(home.env.XDG_STATE_HOME!, 'handrail'))).toThrow();
    });
  }
});
