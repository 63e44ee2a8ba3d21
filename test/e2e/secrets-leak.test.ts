// A run that takes its token from the real keychain (gnome-keyring under `npm test`) and uses it in a
// `secrets=` step and a github step against the loopback GitHub, through the real CLI: once with the
// line printer, once with --json. Afterwards no output, log, journal or record holds the token in any
// form, steps without `secrets=` never saw it, and no process had it in argv at any moment of the run
// (every process's argv is read again and again while the CLI runs, not once).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openKeychain } from '../../src/secrets';
import { runCli, tempHome, type CliResult } from '../helpers/cli';
import { startGithubServer, type GithubServer } from '../helpers/github-server';
import { describeKeychain } from '../helpers/keyring';

function filesUnder(dir: string): string[] {
  let out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out = out.concat(filesUnder(path));
    else out.push(path);
  }
  return out;
}

/** Every process's argv, read from /proc again and again until stopped. */
function watchArgv(): { stop: () => Promise<string[]> } {
  const seen = new Set<string>();
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const pid of readdirSync('/proc')) {
        if (!/^\d+$/.test(pid)) continue;
        try {
          const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
          if (argv) seen.add(argv);
        } catch {
          // gone between readdir and read
        }
      }
      // A pause between scans leaves the CPU to the run being watched; a step's processes live far longer.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return [...seen];
    },
  };
}

const runbookText = (account: string) => `---
id: secrets-leak
title: Secrets never leak
version: 1.0.0
inputs:
  ORG:
    prompt: Organisation
    default: craton-co
secrets:
  GH_PAT:
    prompt: Classic PAT with read:packages
    keychain: ${account}
    scopes: [read:packages]
github:
  token: GH_PAT
---

# Use the token

\`\`\`sh run id=use-secret secrets=GH_PAT
echo "raw:$GH_PAT"
echo "err:$GH_PAT" >&2
printf '%s' "$GH_PAT" | base64
printf '%s' "$GH_PAT" | sed -e 's|/|%2F|g' -e 's|+|%2B|g' -e 's|=|%3D|g'
echo
# Lives long enough for the argv watcher to see this step's own processes.
sleep 0.7
\`\`\`

# Without the grant

\`\`\`sh run id=no-secret
echo "seen:\${GH_PAT:-none}"
\`\`\`

# Find the latest version

\`\`\`yaml github
request: GET /orgs/{ORG}/packages/container/tensor-wasm/versions
expect:
  - "length(@) > \`0\`"
capture:
  VERSION_ID: "[?contains(metadata.container.tags, 'latest')].id | [0]"
\`\`\`

\`\`\`sh run id=show
echo "version $VERSION_ID for $GITHUB_LOGIN"
\`\`\`
`;

describeKeychain('a run with a keychain token, through the CLI', () => {
  let gh: GithubServer;
  // Characters that base64 and URL encoding change, so each form differs from the raw token.
  const secret = `ghp_${randomBytes(15).toString('base64')}/+=x`;
  const forms = [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
  const account = `test-leak-${randomBytes(4).toString('hex')}`;
  const runs: Record<'printer' | 'json', { result: CliResult; home: ReturnType<typeof tempHome> }> = {} as never;
  let argv: string[] = [];

  /** Names each place a form of the token was found, never the token itself. */
  const leaksIn = (sources: [string, string][]) =>
    sources.flatMap(([where, text]) =>
      forms.flatMap((form, i) => (text.includes(form) ? [`${where} (${['raw', 'base64', 'url'][i]})`] : [])),
    );

  beforeAll(async () => {
    expect(new Set(forms).size).toBe(3);
    gh = await startGithubServer({
      state: {
        tokens: { [secret]: { login: 'octo-admin', scopes: ['write:packages'] } },
        packages: { 'craton-co/tensor-wasm': { visibility: 'public', versions: [{ id: 42, name: 'sha256:bbb', tags: ['latest'] }] } },
      },
    });
    const status = await openKeychain();
    if (!status.available) throw new Error(`the test keyring is not usable: ${status.reason}`);
    await status.keychain.set(account, secret);
    const watcher = watchArgv();
    try {
      for (const mode of ['printer', 'json'] as const) {
        const home = tempHome();
        mkdirSync(join(home.root, 'records'));
        writeFileSync(join(home.root, 'runbook.md'), runbookText(account));
        const args = [
          'run',
          'runbook.md',
          '--yes',
          '--github-api',
          gh.url,
          '--record-dir',
          'records',
          ...(mode === 'json' ? ['--json'] : []),
        ];
        // The token reaches handrail only through the keychain: not in its environment, not in argv.
        const result = await runCli(args, { cwd: home.root, env: { ...home.env, HANDRAIL_NO_KEYCHAIN: '' }, timeoutMs: 50_000 });
        runs[mode] = { result, home };
      }
    } finally {
      argv = await watcher.stop();
      await status.keychain.delete(account);
    }
  }, 120_000);
  afterAll(() => gh?.close());

  it('completes both ways, with the token used for GitHub and the capture and login passed on', () => {
    for (const { result } of Object.values(runs)) {
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('version 42 for octo-admin');
    }
    expect(gh.requests.length).toBeGreaterThan(0);
    expect(gh.requests.map((r) => r.headers.authorization)).toEqual(gh.requests.map(() => `token ${secret}`));
    expect(runs.json.result.stdout).toContain('"type":"secret-resolved"');
    expect(runs.json.result.stdout).toMatch(/"name":"GH_PAT","source":"keychain"/);
  });

  it('masks the token where the step printed it, on stdout and stderr', () => {
    for (const { result } of Object.values(runs)) expect(`${result.stdout}${result.stderr}`).toContain('raw:••••');
    expect(runs.printer.result.stdout + runs.printer.result.stderr).toContain('err:••••');
    expect(runs.json.result.stdout).toContain('err:••••');
  });

  it('gives the token only to the step that names it', () => {
    for (const { result } of Object.values(runs)) expect(result.stdout).toContain('seen:none');
  });

  it('leaves no trace of the token, raw, base64 or URL-encoded, in output, logs, journal or record', () => {
    for (const [mode, { result, home }] of Object.entries(runs)) {
      const files = [...filesUnder(home.env.XDG_STATE_HOME!), ...filesUnder(join(home.root, 'records'))];
      expect(files.filter((f) => f.endsWith('.json') && f.includes('records'))).toHaveLength(1);
      expect(files.some((f) => f.endsWith('.jsonl'))).toBe(true);
      expect(files.some((f) => f.includes(join('handrail', 'logs')))).toBe(true);
      const sources: [string, string][] = [
        [`${mode} stdout`, result.stdout],
        [`${mode} stderr`, result.stderr],
        ...files.map((f): [string, string] => [f, readFileSync(f, 'utf8')]),
      ];
      expect(leaksIn(sources)).toEqual([]);
    }
  });

  it('never puts the token in any process argv, at any moment of either run', () => {
    // The watcher did see handrail and the step's own processes, so it would have caught the token there.
    expect(argv.filter((a) => a.includes('runbook.md --yes')).length).toBeGreaterThanOrEqual(2);
    expect(argv.some((a) => a === 'sleep 0.7')).toBe(true);
    expect(leaksIn(argv.map((a, i): [string, string] => [`process ${i}`, a]))).toEqual([]);
  });
});
