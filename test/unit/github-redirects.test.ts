// A chosen GitHub host can answer with a redirect. fetch would follow it anywhere; the one client
// follows it itself, so every hop is held to the host rule (SPEC §5.1) like the first request, and
// the token goes no further than the origin it was given for. Two real loopback servers play the
// chosen host and the one nobody chose.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseGithubApi } from '../../src/github/hosts';
import { githubOctokit } from '../../src/github/client';
import { setCredentialAnnouncer } from '../../src/github/credential';

interface Seen {
  path: string;
  auth?: string;
  method: string;
}

async function serve(answer: (req: IncomingMessage) => { status: number; headers?: Record<string, string>; body?: unknown }) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', method: req.method ?? '', ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
    const reply = answer(req);
    res
      .writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
      .end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('redirects from a chosen host', () => {
  let chosen: Awaited<ReturnType<typeof serve>>;
  let other: Awaited<ReturnType<typeof serve>>;
  const announced: string[] = [];
  beforeEach(async () => {
    other = await serve(() => ({ status: 200, body: { login: 'evil' } }));
    chosen = await serve((req) => {
      if (req.url === '/away') return { status: 302, headers: { location: `${other.url.replace('127.0.0.1', 'localhost')}/user` } };
      if (req.url === '/moved') return { status: 301, headers: { location: '/user' } };
      if (req.url === '/loop') return { status: 302, headers: { location: '/loop' } };
      return { status: 200, body: { login: 'octocat' } };
    });
    chooseGithubApi(chosen.url);
    announced.length = 0;
    setCredentialAnnouncer((notice) => announced.push(notice.host));
  });
  afterEach(async () => {
    chooseGithubApi(undefined);
    await chosen.close();
    await other.close();
  });

  const client = () => githubOctokit({ baseUrl: chosen.url, credential: { token: 'ghp_secret', source: 'environment variable GH_TOKEN' } });

  it('refuses a redirect to a host the operator did not choose: one sentence, nothing sent there', async () => {
    const failure = await client()
      .request('GET /away')
      .then(
        () => undefined,
        (error: unknown) => error as { message: string; cause?: { message: string } },
      );
    expect(failure, 'the answer of the other host was used').toBeDefined();
    expect(`${failure!.message} ${failure!.cause?.message ?? ''}`).toMatch(
      /handrail sends nothing to http:\/\/localhost:\d+, a GitHub API host you have not chosen/,
    );
    expect(other.seen).toEqual([]);
    expect(announced.every((host) => host === chosen.url)).toBe(true);
  });

  it('follows a redirect within the chosen host, with the token, to the answer', async () => {
    const answer = await client().request('GET /moved');
    expect(answer.data).toEqual({ login: 'octocat' });
    expect(chosen.seen.map((s) => [s.path, s.auth])).toEqual([
      ['/moved', 'token ghp_secret'],
      ['/user', 'token ghp_secret'],
    ]);
  });

  it('stops a redirect loop with one sentence', async () => {
    await expect(client().request('GET /loop')).rejects.toThrow(/redirected .*more than 5 times; it was not followed/);
    expect(chosen.seen.length).toBe(6);
  });
});
