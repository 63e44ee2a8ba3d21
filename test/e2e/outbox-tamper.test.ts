// The outbox (SPEC §6.2) is a folder of files anyone with the operator's account could edit. An
// entry is re-checked before `records publish` sends it: its record must still verify with this
// machine's record key, and its destination must be the one its run sealed, on a host the operator
// chose, never under `.github/`. An edited entry is named and left, not sent.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, afterEach, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/cli';
import { startGithubServer, type GithubServer } from '../helpers/github-server';
import { repoFiles } from '../helpers/github-team';

const TOKEN = 'ghp_outboxTamper0123456789abcdefAB';
const RUNBOOK = `---
id: tamper
title: Tamper
version: 1.0.0
records:
  repo: craton-co/ops-records
---

# Tamper

\`\`\`sh run
echo hello
\`\`\`
`;

let server: GithubServer;
let home: ReturnType<typeof tempHome>;
let env: NodeJS.ProcessEnv;
let outbox: string;

beforeEach(async () => {
  server = await startGithubServer({ state: { tokens: { [TOKEN]: { login: 'alice', scopes: ['repo'] } } } });
  for (const repo of ['craton-co/ops-records', 'attacker/loot']) server.state.team.files[repo] = repoFiles({ 'README.md': '#\n' });
  home = tempHome('handrail-outbox-');
  env = {
    ...home.env,
    GH_TOKEN: TOKEN,
    GITHUB_TOKEN: '',
    HANDRAIL_NO_KEYCHAIN: '1',
    HANDRAIL_SSH_SIGNING_KEY: '',
    HANDRAIL_GITHUB_API: '',
    HANDRAIL_RECORDS_REPO: '',
  };
  outbox = join(home.env.XDG_STATE_HOME!, 'handrail', 'outbox');
  writeFileSync(join(home.root, 'tamper.md'), RUNBOOK);
  // GitHub cannot take the record at the end of the run: it waits in the outbox.
  server.state.team.down = ({ method }) => method === 'PUT';
  const run = await runCli(['run', 'tamper.md', '--yes', '--plain', '--dry-run', '--github-api', server.url], { cwd: home.root, env });
  expect(run.code, run.stderr).toBe(0);
  expect(readdirSync(outbox)).toHaveLength(1);
  server.state.team.down = false;
});
afterEach(() => server.close());

function edit(change: (entry: Record<string, unknown>) => void): string {
  const [name] = readdirSync(outbox);
  const file = join(outbox, name!);
  const entry = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(entry);
  writeFileSync(file, JSON.stringify(entry));
  return file;
}

const publish = () => runCli(['records', 'publish', '--github-api', server.url], { cwd: home.root, env });
const puts = () => server.requests.filter((r) => r.method === 'PUT');

it('an untouched entry is sent', async () => {
  const result = await publish();
  expect(result.code, result.stdout + result.stderr).toBe(0);
  expect(puts()).toHaveLength(1);
  expect(readdirSync(outbox)).toHaveLength(0);
});

for (const [what, change, why] of [
  ['the repository', (e: Record<string, unknown>) => (e.repo = 'attacker/loot'), /is not what its run sealed/],
  [
    'the path, into .github/workflows',
    (e: Record<string, unknown>) => (e.path = '.github/workflows/tamper/x.json'),
    /is not <records path>\/tamper\/<record>\.json/,
  ],
  [
    'the path, outside <path>/<runbook id>/',
    (e: Record<string, unknown>) => (e.path = 'records/other/x.json'),
    /is not <records path>\/tamper\/<record>\.json/,
  ],
  ['the message', (e: Record<string, unknown>) => (e.message = 'innocent'), /is not what its run sealed/],
  ['the API', (e: Record<string, unknown>) => (e.apiUrl = 'http://127.0.0.1:9'), /is not a host you chose/],
  [
    "the record's bytes",
    (e: Record<string, unknown>) => {
      // The outcome says "failed" now: the signature no longer matches the payload.
      const envelope = JSON.parse(Buffer.from(String(e.record), 'base64').toString('utf8')) as { payload: string };
      const payload = Buffer.from(envelope.payload, 'base64').toString('utf8').replace('"outcome":"completed"', '"outcome":"failed"');
      expect(payload).toContain('"outcome":"failed"');
      e.record = Buffer.from(JSON.stringify({ ...envelope, payload: Buffer.from(payload).toString('base64') })).toString('base64');
    },
    /does not verify with this machine's record key/,
  ],
  ['the seal (removed)', (e: Record<string, unknown>) => delete e.seal, /is not what its run sealed/],
] as const) {
  it(`an entry with ${what} edited is named and left, not sent`, async () => {
    const file = edit(change);
    const before = readFileSync(file);
    const result = await publish();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`not sent: ${file} was changed since its run queued it`);
    expect(result.stdout).toMatch(why);
    expect(puts()).toEqual([]);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
}

it("GitHub's answer while publishing reaches the terminal only in terminal-safe form", async () => {
  // A hostile (or broken) API answers with control sequences: clear the screen, retitle the window.
  server.route('PUT', '/repos/{owner}/{repo}/contents/{+path}', () => ({
    status: 503,
    body: { message: '\u001b[2J\u001b]0;owned\u0007Service Unavailable\u009b31m' },
  }));
  const result = await publish();
  expect(result.code).toBe(1);
  expect(result.stdout).toContain('still waiting: craton-co/ops-records');
  expect(result.stdout).toContain('␛[2J␛]0;owned␇Service Unavailable<U+009B>31m');
  expect(result.stdout + result.stderr).not.toMatch(/[\u001b\u0007\u009b]/);
});
