// paginate: a list read whole by following GitHub's Link header, against the loopback GitHub, which
// pages as GitHub does (per_page, page, Link with next/last). Page links are GitHub's answer, so one
// that leads off the chosen API is not followed with the token.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGithubRunner } from '../../src/github';
import { MAX_PAGES, nextLink, pathBelow } from '../../src/github/pages';
import type { GithubStep } from '../../src/core/model';
import { startGithubServer, type GithubServer } from '../helpers/github-server';
import { chooseGithubApi } from '../../src/github/hosts';

const TOKEN = 'ghp_pages_test_token_0123456789';
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

function list(extra: Partial<GithubStep> = {}): GithubStep {
  return {
    kind: 'github',
    id: 'versions',
    title: 'versions',
    section: '',
    prose: '',
    pos: { line: 1, column: 1 },
    method: 'GET',
    route: '/orgs/{ORG}/packages/container/{PACKAGE}/versions',
    fields: { per_page: 20 },
    expect: [],
    capture: { DIGESTS: '[].name' },
    confirm: false,
    retries: 0,
    ...extra,
  };
}

let gh: GithubServer;
beforeEach(async () => {
  gh = await startGithubServer({
    state: {
      tokens: { [TOKEN]: { login: 'oncall', scopes: ['read:packages'] } },
      packages: {
        'acme/app': {
          visibility: 'public',
          versions: Array.from({ length: 150 }, (_, i) => ({ id: 1000 - i, name: digest(150 - i), tags: [`sha-${i}`] })),
        },
      },
    },
  });
  // The loopback server is the operator's chosen API, as --github-api would make it (SPEC §5.1).
  chooseGithubApi(gh.url);
});
afterEach(() => gh.close());

const VARS = { ORG: 'acme', PACKAGE: 'app' };

describe('paginate', () => {
  it('without it, only the first page is read (20 of 150)', async () => {
    const { captures } = await createGithubRunner({ baseUrl: gh.url, token: TOKEN }).execute(list(), VARS, {});
    expect(JSON.parse(captures.DIGESTS)).toHaveLength(20);
  });

  it('with it, every page is read by the Link header, so the 25th of 150 is in the list', async () => {
    const { result, captures } = await createGithubRunner({ baseUrl: gh.url, token: TOKEN }).execute(list({ paginate: true }), VARS, {});
    const digests = JSON.parse(captures.DIGESTS) as string[];
    expect(digests).toHaveLength(150);
    expect(digests[24]).toBe(digest(126));
    expect(result.pages).toBe(8);
    expect(result.more).toBe(false);
    const pages = gh.requests.filter((r) => r.path === '/orgs/acme/packages/container/app/versions').map((r) => r.query.page ?? '1');
    expect(pages).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    // Every page carried the token: all went to the chosen API.
    expect(gh.requests.every((r) => r.headers.authorization === `token ${TOKEN}`)).toBe(true);
  });

  it(`stops after ${MAX_PAGES} pages and says more exist`, async () => {
    const { result, captures } = await createGithubRunner({ baseUrl: gh.url, token: TOKEN }).execute(
      list({ paginate: true, fields: { per_page: 10 } }),
      VARS,
      {},
    );
    expect(JSON.parse(captures.DIGESTS)).toHaveLength(10 * MAX_PAGES);
    expect(result.more).toBe(true);
  });

  it('a next page on another host is not followed with the token', async () => {
    gh.route('GET', '/orgs/{org}/packages/container/{pkg}/versions', () => ({
      status: 200,
      body: [{ name: digest(1) }],
      headers: { Link: '<https://evil.example/steal?page=2>; rel="next"' },
    }));
    await expect(createGithubRunner({ baseUrl: gh.url, token: TOKEN }).execute(list({ paginate: true }), VARS, {})).rejects.toThrow(
      /outside .*; the token goes only to/,
    );
    expect(gh.requests).toHaveLength(1);
  });

  it('reads rel="next" among the other links, and a path below a base with a path', () => {
    expect(nextLink('<https://api.github.com/x?page=8>; rel="last", <https://api.github.com/x?page=2>; rel="next"')).toBe(
      'https://api.github.com/x?page=2',
    );
    expect(nextLink('<https://api.github.com/x?page=1>; rel="first"')).toBeUndefined();
    expect(pathBelow('https://ghe.example/api/v3', 'https://ghe.example/api/v3/orgs/a?page=2')).toBe('/orgs/a?page=2');
    expect(() => pathBelow('https://ghe.example/api/v3', 'https://ghe.example/other/orgs/a')).toThrow(/outside/);
  });
});

describe('paginate, bounded', () => {
  it('a page larger than its share of the bound fails the step with one sentence, so ten pages stay within one answer', async () => {
    // Page 2 is ~7 MB, more than a tenth of the 64 MB an answer may be; page 1 is an honest page.
    gh.route('GET', '/orgs/{org}/packages/container/{pkg}/versions', ({ query }) =>
      query.page === '2'
        ? { status: 200, body: Array.from({ length: 70_000 }, (_, i) => ({ name: `${'x'.repeat(90)}${i}` })) }
        : {
            status: 200,
            body: [{ name: digest(1) }],
            headers: { Link: `<${gh.url}/orgs/acme/packages/container/app/versions?page=2>; rel="next"` },
          },
    );
    await expect(createGithubRunner({ baseUrl: gh.url, token: TOKEN }).execute(list({ paginate: true }), VARS, {})).rejects.toThrow(
      /^GitHub's answer from http:\/\/127\.0\.0\.1:\d+ is larger than 6\.4 MB, more than handrail reads for this request; it was not used\.$/,
    );
    expect(gh.requests).toHaveLength(2);
  });
});
