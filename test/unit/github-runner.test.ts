// The github step over @octokit/rest against the loopback GitHub (real github.com is out of reach).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGithubRunner, missingScopes } from '../../src/github';
import { HandrailError } from '../../src/core/errors';
import type { GithubStep } from '../../src/core/model';
import { startGithubServer, type GithubServer } from '../helpers/github-server';
import { chooseGithubApi } from '../../src/github/hosts';

const TOKEN = 'ghp_unit_test_token_0123456789';

function step(request: string, extra: Partial<GithubStep> = {}): GithubStep {
  const [method, route] = request.split(' ');
  return {
    kind: 'github',
    id: 'gh',
    title: 'GitHub call',
    section: 'Section',
    prose: '',
    pos: { line: 1, column: 1 },
    method,
    route,
    expect: [],
    capture: {},
    confirm: false,
    retries: 0,
    ...extra,
  };
}

let gh: GithubServer;
beforeEach(async () => {
  gh = await startGithubServer({
    state: {
      tokens: { [TOKEN]: { login: 'octo-admin', scopes: ['admin:org', 'write:packages', 'repo'] } },
      memberships: { 'craton-co/octo-admin': { state: 'active', role: 'admin' } },
      packages: {
        'craton-co/tensor-wasm': {
          visibility: 'private',
          versions: [
            { id: 11, name: 'sha256:aaa', tags: ['1.0.0'] },
            { id: 42, name: 'sha256:bbb', tags: ['1.1.0', 'latest'] },
          ],
        },
      },
      repos: {
        'craton-co/craton-tensor-wasm': {
          private: false,
          default_branch: 'main',
          workflowPermissions: { default_workflow_permissions: 'read', can_approve_pull_request_reviews: false },
          protection: { main: { required_status_checks: { strict: true, contexts: ['ci'] }, enforce_admins: { enabled: true } } },
          workflows: ['release.yml'],
        },
      },
    },
  });
  // The loopback server is the operator's chosen API, as --github-api would make it (SPEC §5.1).
  chooseGithubApi(gh.url);
});
afterEach(() => gh.close());

const runner = (token: string | undefined = TOKEN) => createGithubRunner({ baseUrl: gh.url, token });
const VARS = { ORG: 'craton-co', PACKAGE: 'tensor-wasm', REPO: 'craton-tensor-wasm' };

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HandrailError);
  return (error as HandrailError).message;
}

describe('whoami and scopes', () => {
  it('returns the login and the scopes GitHub reports for a classic token', async () => {
    expect(await runner().whoami()).toEqual({ login: 'octo-admin', scopes: ['admin:org', 'write:packages', 'repo'] });
    expect(gh.requests[0].headers.authorization).toBe(`token ${TOKEN}`);
  });

  it('reports no scopes (undefined) for a fine-grained token', async () => {
    gh.state.tokens.fine = { login: 'octo-bot' };
    expect(await runner('fine').whoami()).toEqual({ login: 'octo-bot', scopes: undefined });
  });

  it('lists the missing scopes, understanding implied ones', () => {
    expect(missingScopes(['read:packages', 'read:org', 'repo:status'], ['write:packages', 'admin:org', 'repo'])).toEqual([]);
    expect(missingScopes(['write:packages', 'delete:packages', 'read:org'], ['read:packages', 'write:org'])).toEqual([
      'write:packages',
      'delete:packages',
    ]);
    expect(missingScopes(['write:org'], ['read:org'])).toEqual(['write:org']);
  });

  it('sends no Authorization header without a token', async () => {
    const message = await failure(createGithubRunner({ baseUrl: gh.url }).whoami());
    expect(message).toBe(
      'GitHub needs a token for GET /user (401); set `github.token` in the runbook and store it with `handrail auth login`.',
    );
    expect(gh.requests[0].headers.authorization).toBeUndefined();
  });
});

describe('execute', () => {
  it('fills and URL-encodes placeholders, evaluates expect and capture', async () => {
    const s = step('GET /orgs/{ORG}/packages/container/{PACKAGE}/versions', {
      expect: ['length(@) > `0`'],
      capture: { VERSION_ID: "[?contains(metadata.container.tags, 'latest')].id | [0]", TAGS: '[0].metadata.container.tags' },
    });
    const { result, captures } = await runner().execute(s, VARS, {});
    expect(result.status).toBe(200);
    expect(captures).toEqual({ VERSION_ID: '42', TAGS: '["1.0.0"]' });
  });

  it('a value that would split a path segment fails before anything is sent', async () => {
    const s = step('GET /repos/{ORG}/{REPO}');
    const message = await failure(runner().execute(s, { ORG: 'craton-co', REPO: '../../user' }, {}));
    expect(message).toContain('{REPO} in /repos/{ORG}/{REPO} is "../../user"');
    expect(gh.requests).toHaveLength(0);
  });

  // SPEC §3.2: DELETE /orgs/{ORG}/hooks/{HOOK} with HOOK=.. would be DELETE /orgs/acme/, GitHub's
  // "delete an organization". Every value that adds or removes a segment is refused unsent.
  it.each(['..', '.', '', '/', '%2F', '%2f', '%2E%2E', '.%2e', '%2E', 'a/b', 'x\\y', '%5C', '../acme'])(
    'HOOK=%j in DELETE /orgs/{ORG}/hooks/{HOOK} fails the step, naming the value, and sends nothing',
    async (hook) => {
      const s = step('DELETE /orgs/{ORG}/hooks/{HOOK}', { status: 204 });
      const message = await failure(runner().execute(s, { ORG: 'acme', HOOK: hook }, {}));
      expect(message).toContain(`{HOOK} in /orgs/{ORG}/hooks/{HOOK} is ${JSON.stringify(hook)}, which is not exactly one path segment`);
      expect(message).toContain('the request was not sent');
      expect(gh.requests).toHaveLength(0);
    },
  );

  it('two placeholders that make ".." together are refused too; a value may still be part of a segment', async () => {
    const dots = await failure(runner().execute(step('GET /repos/{ORG}/{A}{B}'), { ORG: 'craton-co', A: '.', B: '.' }, {}));
    expect(dots).toContain('{A}{B} in /repos/{ORG}/{A}{B} is ".."');
    expect(gh.requests).toHaveLength(0);
    // `{NAME}.x` with NAME='.' is the segment '..x', one segment: sent, and answered 404 by GitHub.
    await failure(runner().execute(step('GET /repos/{ORG}/{A}.x'), { ORG: 'craton-co', A: '.' }, {}));
    expect(gh.requests.at(-1)!.path).toBe('/repos/craton-co/..x');
  });

  it('sends fields as the query of a GET', async () => {
    const s = step('GET /orgs/{ORG}/packages/container/{PACKAGE}/versions', { fields: { per_page: 100, state: '{ORG}' } });
    await runner().execute(s, VARS, {});
    expect(gh.requests.at(-1)!.query).toEqual({ per_page: '100', state: 'craton-co' });
  });

  it('DELETE answers 204 with null data and removes the version', async () => {
    const s = step('DELETE /orgs/{ORG}/packages/container/{PACKAGE}/versions/{VERSION_ID}', { status: 204 });
    const { result } = await runner().execute(s, { ...VARS, VERSION_ID: '11' }, {});
    expect(result).toMatchObject({ status: 204, data: null });
    expect(gh.state.packages['craton-co/tensor-wasm'].versions.map((v) => v.id)).toEqual([42]);
    expect(gh.requests.at(-1)!.method).toBe('DELETE');
  });

  it('PATCH sends fields as a JSON body with placeholders filled', async () => {
    const s = step('PATCH /orgs/{ORG}/packages/container/{PACKAGE}', {
      fields: { visibility: '{VISIBILITY}' },
      expect: ["visibility == 'public'"],
    });
    await runner().execute(s, { ...VARS, VISIBILITY: 'public' }, {});
    expect(gh.requests.at(-1)!.body).toEqual({ visibility: 'public' });
    expect(gh.state.packages['craton-co/tensor-wasm'].visibility).toBe('public');
  });

  it('POST a workflow dispatch answers 204', async () => {
    const s = step('POST /repos/{ORG}/{REPO}/actions/workflows/release.yml/dispatches', {
      fields: { ref: 'main', inputs: { dry: 'true' } },
    });
    const { result } = await runner().execute(s, VARS, {});
    expect(result.status).toBe(204);
    expect(gh.state.dispatches).toEqual([
      { repo: 'craton-co/craton-tensor-wasm', workflow: 'release.yml', ref: 'main', inputs: { dry: 'true' } },
    ]);
  });

  it('accepts an expected non-2xx status, e.g. 404 for an unprotected branch', async () => {
    const s = step('GET /repos/{ORG}/{REPO}/branches/{BRANCH}/protection', { status: 404 });
    const { result } = await runner().execute(s, { ...VARS, BRANCH: 'dev' }, {});
    expect(result.status).toBe(404);
  });

  it('fails when the status differs from the expected one', async () => {
    const s = step('GET /repos/{ORG}/{REPO}/branches/{BRANCH}/protection', { status: 404 });
    const message = await failure(runner().execute(s, { ...VARS, BRANCH: 'main' }, {}));
    expect(message).toBe('GET /repos/craton-co/craton-tensor-wasm/branches/main/protection answered 200, but the step expects status 404.');
  });

  it('an unmet expectation shows the expression and the actual value', async () => {
    const s = step('GET /repos/{ORG}/{REPO}/actions/permissions/workflow', { expect: ["default_workflow_permissions == 'write'"] });
    const message = await failure(runner().execute(s, VARS, {}));
    expect(message).toContain("default_workflow_permissions == 'write'");
    expect(message).toContain('gave false');
    expect(message).toContain('"default_workflow_permissions":"read"');
  });

  it('truncates a large response in the failure message', async () => {
    gh.route('GET', '/big', () => ({ status: 200, body: { items: Array.from({ length: 500 }, (_, i) => ({ i })) } }));
    const message = await failure(runner().execute(step('GET /big', { expect: ['missing'] }), {}, {}));
    expect(message).toContain('gave null');
    expect(message.length).toBeLessThan(400);
  });

  it('a capture that finds nothing fails rather than giving later steps "null"', async () => {
    const s = step('GET /orgs/{ORG}/packages/container/{PACKAGE}/versions', {
      capture: { ID: "[?contains(metadata.container.tags, 'nope')].id | [0]" },
    });
    expect(await failure(runner().execute(s, VARS, {}))).toMatch(/^Capture ID: .* found nothing/);
  });

  it('a placeholder without a value is named before anything is sent', async () => {
    const message = await failure(runner().execute(step('GET /orgs/{MISSING}'), {}, {}));
    expect(message).toContain('{MISSING}');
    expect(gh.requests).toHaveLength(0);
  });
});

describe('failures become one sentence', () => {
  const membership = step('GET /orgs/{ORG}/memberships/{USER}');
  const vars = { ORG: 'craton-co', USER: 'octo-admin' };

  it('401 bad credentials', async () => {
    expect(await failure(runner('ghp_revoked').execute(membership, vars, {}))).toBe(
      'GitHub rejected the token (401 Bad credentials) for GET /orgs/craton-co/memberships/octo-admin; store a valid one with `handrail auth login` or set its env var.',
    );
  });

  it('403 SSO names the authorisation URL', async () => {
    gh.state.ssoOrgs.push('craton-co');
    const message = await failure(runner().execute(membership, vars, {}));
    expect(message).toMatch(
      /^The organisation requires SAML SSO for this token \(GET \/orgs\/craton-co\/memberships\/octo-admin\); authorise the token at https:\/\/github\.com\/orgs\/craton-co\/sso\S* then retry\.$/,
    );
  });

  it('403 without SSO points at permissions', async () => {
    gh.route('GET', '/orgs/{org}/secret-thing', () => ({ status: 403, body: { message: 'Must have admin rights to Repository.' } }));
    expect(await failure(runner().execute(step('GET /orgs/{ORG}/secret-thing'), vars, {}))).toBe(
      'GitHub refused GET /orgs/craton-co/secret-thing (403 Must have admin rights to Repository); the token lacks a permission or scope this needs.',
    );
  });

  it('404 not found', async () => {
    expect(await failure(runner().execute(membership, { ...vars, USER: 'stranger' }, {}))).toBe(
      'GitHub found nothing at GET /orgs/craton-co/memberships/stranger (404); check the names, or whether the token can see it.',
    );
  });

  it('primary rate limit (403, remaining 0) says when it resets', async () => {
    gh.state.rateLimit.remaining = 0;
    gh.state.rateLimit.reset = Math.floor(Date.parse('2031-05-01T12:00:00Z') / 1000);
    expect(await failure(runner().execute(membership, vars, {}))).toMatch(
      /^GitHub's rate limit is used up \(GET \/orgs\/craton-co\/memberships\/octo-admin\); it resets at 2031-05-01T12:00:00Z \(in \d+ min\) — retry then\.$/,
    );
  });

  it('secondary rate limit (429) says when to retry', async () => {
    gh.state.rateLimit.remaining = 0;
    gh.state.rateLimit.status = 429;
    expect(await failure(runner().execute(membership, vars, {}))).toMatch(/rate limit is used up .* it resets in 60s — retry then\.$/);
  });

  it('an unreachable GitHub is a network sentence naming the URL', async () => {
    const url = gh.url;
    await gh.close();
    chooseGithubApi(url);
    const message = await failure(createGithubRunner({ baseUrl: url, token: TOKEN }).execute(membership, vars, {}));
    expect(message).toMatch(
      new RegExp(
        `^Could not reach GitHub at ${url.replace(/\./g, '\\.')} for GET /orgs/craton-co/memberships/octo-admin \\(.+\\); check the network or --github-api\\.$`,
      ),
    );
    gh = await startGithubServer();
  });

  it('an aborted request stops with a sentence', async () => {
    gh.route('GET', '/slow', () => new Promise(() => {}));
    const controller = new AbortController();
    const pending = runner().execute(step('GET /slow'), {}, { signal: controller.signal });
    controller.abort();
    expect(await failure(pending)).toMatch(/stopped before GitHub answered/);
  });
});

describe('describe', () => {
  it('shows the filled request and a compact view of the fields', () => {
    const s = step('PATCH /orgs/{ORG}/packages/container/{PACKAGE}', { fields: { visibility: '{VISIBILITY}' } });
    expect(runner().describe(s, { ...VARS, VISIBILITY: 'public' })).toBe(
      'PATCH /orgs/craton-co/packages/container/tensor-wasm {"visibility":"public"}',
    );
    expect(runner().describe(step('GET /orgs/{ORG}/packages/container/{PACKAGE}/versions', { fields: { per_page: 5 } }), VARS)).toBe(
      'GET /orgs/craton-co/packages/container/tensor-wasm/versions?per_page=5',
    );
  });

  it('fills what is known and leaves {NAME} where a placeholder has no value yet', () => {
    // A rehearsal's plan holds this text; the live run compares its own with it (SPEC §6.5).
    expect(runner().describe(step('DELETE /orgs/{ORG}/x/{ID}'), { ORG: 'o' })).toBe('DELETE /orgs/o/x/{ID}');
    expect(runner().describe(step('DELETE /orgs/{ORG}/packages/container/{PACKAGE}/versions/{VERSION_ID}'), VARS)).toBe(
      'DELETE /orgs/craton-co/packages/container/tensor-wasm/versions/{VERSION_ID}',
    );
  });
});
