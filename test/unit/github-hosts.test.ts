// SPEC §5.1's host rule in one place (src/github/hosts.ts, src/github/client.ts): which hosts the
// operator chose, how a runbook's github.api is judged, and that the one client refuses any request
// to another host — even a route written as an absolute URL — before a token leaves.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HandrailError } from '../../src/core/errors';
import { createGithubRunner } from '../../src/github';
import { credentialLine } from '../../src/core/credential-line';
import { keychainCredential } from '../../src/github/credential';
import { chooseGithubApi, chosenHosts, githubApiUrl, isChosenHost } from '../../src/github/hosts';
import type { GithubStep } from '../../src/core/model';
import { startGithubServer, type GithubServer } from '../helpers/github-server';

function configHome(yaml?: string): NodeJS.ProcessEnv {
  const root = mkdtempSync(join(tmpdir(), 'handrail-hosts-'));
  if (yaml !== undefined) {
    mkdirSync(join(root, 'handrail'));
    writeFileSync(join(root, 'handrail', 'config.yaml'), yaml);
  }
  return { XDG_CONFIG_HOME: root };
}

beforeEach(() => chooseGithubApi(undefined));

describe('the hosts the operator chose', () => {
  it('api.github.com, --github-api, HANDRAIL_GITHUB_API and github_hosts; a host is scheme, name and port', () => {
    const env = { ...configHome('github_hosts:\n  - https://ghe.example.com/api/v3\n'), HANDRAIL_GITHUB_API: 'http://127.0.0.1:8080' };
    chooseGithubApi('https://flag.example.com/api');
    expect(chosenHosts(env).map((h) => [h.origin, h.by])).toEqual([
      ['https://api.github.com', 'the default'],
      ['https://flag.example.com', '--github-api'],
      ['http://127.0.0.1:8080', 'HANDRAIL_GITHUB_API'],
      ['https://ghe.example.com', 'config.yaml'],
    ]);
    expect(isChosenHost('https://ghe.example.com/other/path', env)).toBe(true);
    expect(isChosenHost('http://ghe.example.com/api/v3', env)).toBe(false);
    expect(isChosenHost('https://ghe.example.com:8443/api/v3', env)).toBe(false);
    expect(isChosenHost('http://127.0.0.1:8081', env)).toBe(false);
    expect(isChosenHost('https://api.github.com.evil.example', env)).toBe(false);
  });

  it("a runbook's github.api is used only on a chosen host; otherwise one sentence, exit 2", () => {
    const env = configHome();
    expect(githubApiUrl({ env, runbook: 'https://api.github.com/' })).toBe('https://api.github.com');
    let error: unknown;
    try {
      githubApiUrl({ env, runbook: 'https://evil.example/api' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HandrailError);
    expect((error as HandrailError).exitCode).toBe(2);
    expect((error as HandrailError).message).toBe(
      `The runbook's github.api names the GitHub API https://evil.example, a host you have not chosen, so nothing was sent to it; to trust it, pass --github-api https://evil.example/api (or set HANDRAIL_GITHUB_API), or add https://evil.example to github_hosts in ${join(env.XDG_CONFIG_HOME!, 'handrail', 'config.yaml')}.`,
    );
    // Chosen by the operator: honoured.
    expect(githubApiUrl({ env, flag: 'https://evil.example/api', runbook: 'https://evil.example/api' })).toBe('https://evil.example/api');
    expect(githubApiUrl({ env: { ...env, HANDRAIL_GITHUB_API: 'https://evil.example' }, runbook: 'https://evil.example/api' })).toBe(
      'https://evil.example',
    );
  });

  it('a config.yaml that cannot be used is one sentence naming file:line:col', () => {
    for (const [yaml, where, what] of [
      ['github_hosts: https://ghe.example.com\n', '1:1', /github_hosts: must be a list/],
      ['github_hosts:\n  - ftp://ghe.example.com\n', '2:5', /github_hosts\.0: /],
      ['github_hosts: [\n', '2:1', /invalid YAML/],
    ] as const) {
      const env = configHome(yaml);
      const file = join(env.XDG_CONFIG_HOME!, 'handrail', 'config.yaml');
      expect(() => chosenHosts(env)).toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${where}: `));
      expect(() => chosenHosts(env)).toThrow(what);
    }
  });
});

describe('plain http', () => {
  it('--github-api and HANDRAIL_GITHUB_API may be plain http only on this machine: a token never crosses the network in clear', () => {
    const env = configHome();
    for (const url of ['http://api.github.com', 'http://ghe.example.com/api/v3', 'http://10.0.0.5:8080']) {
      expect(() => githubApiUrl({ env, flag: url })).toThrow(
        `--github-api ${url} is plain http to ${new URL(url).host}, so a token would cross the network in clear; give its https:// URL (a server without TLS can be listed in github_hosts in ${join(env.XDG_CONFIG_HOME!, 'handrail', 'config.yaml')}).`,
      );
      expect(() => githubApiUrl({ env: { ...env, HANDRAIL_GITHUB_API: url } })).toThrow(/^HANDRAIL_GITHUB_API .* is plain http to /);
    }
    for (const url of ['http://127.0.0.1:8080', 'http://localhost:8080', 'http://[::1]:8080'])
      expect(githubApiUrl({ env, flag: url })).toBe(url);
    // Listed in the operator's own file, a server without TLS is a deliberate choice.
    const listed = configHome('github_hosts:\n  - http://ghe.example.com/api/v3\n');
    expect(githubApiUrl({ env: listed, runbook: 'http://ghe.example.com/api/v3' })).toBe('http://ghe.example.com/api/v3');
  });

  it('a runbook naming http://api.github.com is refused, and the advice never says to trust plain http', () => {
    const env = configHome();
    expect(() => githubApiUrl({ env, runbook: 'http://api.github.com' })).toThrow(
      "The runbook's github.api names the GitHub API http://api.github.com, a host you have not chosen, so nothing was sent to it; it is plain http, so a token would cross the network in clear: use https://api.github.com, or, for a server without TLS, add http://api.github.com to github_hosts in " +
        `${join(env.XDG_CONFIG_HOME!, 'handrail', 'config.yaml')}.`,
    );
  });
});

describe('the line that says which token goes where', () => {
  it('quotes a keychain account name that could be read as more of the sentence (spaces, look-alikes, controls)', () => {
    const line = (account: string) =>
      credentialLine({ source: keychainCredential(account, 'x', 'UPLOAD').source, host: 'https://api.github.com' });
    expect(line('github')).toBe('GitHub token from UPLOAD from keychain account github goes to https://api.github.com');
    expect(line('ghcr-publish.pat_2')).toBe(
      'GitHub token from UPLOAD from keychain account ghcr-publish.pat_2 goes to https://api.github.com',
    );
    expect(line('github ')).toBe('GitHub token from UPLOAD from keychain account "github " goes to https://api.github.com');
    expect(line('aws goes to https://api.github.com, and environment variable GH_TOKEN')).toBe(
      'GitHub token from UPLOAD from keychain account "aws goes to https://api.github.com, and environment variable GH_TOKEN" goes to https://api.github.com',
    );
    expect(line('gіthub')).toBe('GitHub token from UPLOAD from keychain account "g\\u0456thub" goes to https://api.github.com');
    expect(line('a\rGH_TOKEN')).toBe('GitHub token from UPLOAD from keychain account "a\\rGH_TOKEN" goes to https://api.github.com');
  });
});

describe('a config.yaml someone else could have written', () => {
  it("is refused with one sentence when others may write it: a host it lists is not the operator's choice", () => {
    for (const mode of [0o666, 0o620]) {
      const env = configHome('github_hosts:\n  - http://evil.example\n');
      const file = join(env.XDG_CONFIG_HOME!, 'handrail', 'config.yaml');
      chmodSync(file, mode);
      expect(() => isChosenHost('http://evil.example/x', env)).toThrow(HandrailError);
      expect(() => chosenHosts(env)).toThrow(
        `${file} may be changed by other users (mode ${mode.toString(8)}), so the GitHub hosts it lists are not trusted; run chmod go-w ${file}.`,
      );
      chmodSync(file, 0o644);
      expect(isChosenHost('http://evil.example/x', env)).toBe(true);
    }
  });

  it.skipIf(process.getuid?.() !== 0)('is refused when another user owns it (or the file a symlink names)', () => {
    const env = configHome('github_hosts:\n  - http://evil.example\n');
    const file = join(env.XDG_CONFIG_HOME!, 'handrail', 'config.yaml');
    chownSync(file, 65534, 65534);
    expect(() => chosenHosts(env)).toThrow(
      `${file} belongs to another user (uid 65534), so the GitHub hosts it lists are not trusted; make it yours (chown) or remove it.`,
    );
  });
});

describe('the one client', () => {
  let chosen: GithubServer;
  let evil: GithubServer;
  beforeEach(async () => {
    chosen = await startGithubServer({ state: { tokens: { ghp_x: { login: 'octo' } } } });
    evil = await startGithubServer();
    chooseGithubApi(chosen.url);
  });
  afterEach(async () => {
    await chosen.close();
    await evil.close();
  });

  it('refuses a client for a host not chosen before anything is sent', () => {
    expect(() => createGithubRunner({ baseUrl: evil.url, token: 'ghp_x' })).toThrow(/a host you have not chosen/);
    expect(evil.requests).toEqual([]);
  });

  it('refuses a route that is an absolute URL to another host: the token never leaves', async () => {
    const step = { kind: 'github', method: 'GET', route: `${evil.url}/steal` } as unknown as GithubStep;
    const error = await createGithubRunner({ baseUrl: chosen.url, token: 'ghp_x' })
      .execute(step, {}, {})
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((error as Error).message).toMatch(/^handrail sends nothing to http:\/\/127\.0\.0\.1:\d+, a GitHub API host you have not chosen/);
    expect(evil.requests).toEqual([]);
  });

  it('a route that looks like another host (//host/, /@host/, {NAME} holding a URL) stays on the chosen host', async () => {
    const evilHost = new URL(evil.url).host;
    expect(evilHost).not.toBe(new URL(chosen.url).host);
    // [route, variables, requests the chosen host gets]: a value holding "/" is refused before sending.
    for (const [route, variables, sent] of [
      [`//${evilHost}/steal`, {}, 1],
      [`/@${evilHost}/steal`, {}, 1],
      ['/{WHERE}/steal', { WHERE: `@${evilHost}` }, 1],
      ['/{WHERE}', { WHERE: `http://${evilHost}` }, 0],
    ] as const) {
      const step = { kind: 'github', method: 'GET', route, expect: [], capture: {} } as unknown as GithubStep;
      const before = chosen.requests.length;
      await createGithubRunner({ baseUrl: chosen.url, token: 'ghp_x' })
        .execute(step, variables, {})
        .catch(() => undefined);
      // Sent to the chosen host (404 there), whatever the route looked like.
      expect(chosen.requests.length, route).toBe(before + sent);
    }
    expect(evil.requests).toEqual([]);
  });

  it('a chosen host redirecting to another host: refused with one sentence, and nothing reaches the other host', async () => {
    for (const status of [302, 307]) {
      chosen.route('GET', '/moved', () => ({ status, headers: { location: `${evil.url}/landed` } }));
      evil.route('GET', '/landed', () => ({ status: 200, body: {} }));
      const step = { kind: 'github', method: 'GET', route: '/moved', expect: [], capture: {} } as unknown as GithubStep;
      await expect(createGithubRunner({ baseUrl: chosen.url, token: 'ghp_x' }).execute(step, {}, {})).rejects.toThrow(
        /^handrail sends nothing to http:\/\/127\.0\.0\.1:\d+, a GitHub API host you have not chosen/,
      );
      expect(chosen.requests.at(-1)!.headers.authorization).toBe('token ghp_x');
      expect(evil.requests).toEqual([]);
    }
  });
});
