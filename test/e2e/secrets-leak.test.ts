// A run that takes its token from the real keychain (gnome-keyring under `npm test`) and uses it in a
// `secrets=` step and a github step against the loopback GitHub: afterwards no output, log, journal
// or record holds the token in any form, steps without `secrets=` never saw it, and no process had it
// in argv. Wired like `handrail run --yes` (engine + recorder + auto prompter): run.ts is not built yet.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus, createAutoPrompter, runEngine } from '../../src/engine';
import type { RunEvent } from '../../src/engine/events';
import { createGithubRunner } from '../../src/github';
import { startRecorder } from '../../src/record';
import { loadRunbook } from '../../src/runbook/load';
import { Masker, createSecretResolver, openKeychain } from '../../src/secrets';
import { tempHome } from '../helpers/cli';
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

const runbookText = (account: string, dump: string) => `---
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
# Every process's argv while this step (which holds the token in its env) runs.
for f in /proc/[0-9]*/cmdline; do { tr '\\0' ' ' < "$f"; } 2>/dev/null || true; echo; done > "${dump}"
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

describeKeychain('a run with a keychain token', () => {
  let gh: GithubServer;
  // Characters that base64 and URL encoding change, so each form differs from the raw token.
  const secret = `ghp_${randomBytes(15).toString('base64')}/+=x`;
  const account = `test-leak-${randomBytes(4).toString('hex')}`;
  const home = tempHome();
  const state = home.env.XDG_STATE_HOME!;
  const recordDir = join(home.root, 'records');
  const dump = join(home.root, 'argv-dump.txt');
  const events: RunEvent[] = [];
  let exitCode: number;
  let recordPath: string;

  beforeAll(async () => {
    gh = await startGithubServer({
      state: {
        tokens: { [secret]: { login: 'octo-admin', scopes: ['write:packages'] } },
        packages: { 'craton-co/tensor-wasm': { visibility: 'public', versions: [{ id: 42, name: 'sha256:bbb', tags: ['latest'] }] } },
      },
    });
    const status = await openKeychain();
    if (!status.available) throw new Error(`the test keyring is not usable: ${status.reason}`);
    await status.keychain.set(account, secret);

    const path = join(home.root, 'runbook.md');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, runbookText(account, dump));
    const { runbook, problems } = await loadRunbook(path);
    expect(problems).toEqual([]);

    const env = { ...process.env, ...home.env };
    const masker = new Masker();
    const bus = new EventBus();
    bus.subscribe((e) => events.push(e));
    const recorder = startRecorder(bus, { runbook: runbook!, recordDir, stateDir: join(state, 'handrail') });
    const prompter = createAutoPrompter();
    const result = await runEngine({
      runbook: runbook!,
      bus,
      prompter,
      mode: 'live',
      yes: true,
      secrets: createSecretResolver({ prompter, env, masker }),
      github: createGithubRunner,
      githubBaseUrl: gh.url,
      masker,
      runId: 'leak-test',
      logDir: join(state, 'handrail', 'logs'),
      env,
      tool: { name: 'handrail', version: 'test' },
      operator: { user: 'tester', host: 'localhost' },
    });
    exitCode = result.exitCode;
    recordPath = await recorder.finish();
    await status.keychain.delete(account);
  });
  afterAll(() => gh.close());

  it('completes, with the token used for GitHub and the capture and login passed on', () => {
    expect(exitCode).toBe(0);
    expect(gh.requests.map((r) => r.headers.authorization)).toEqual(gh.requests.map(() => `token ${secret}`));
    const output = events.flatMap((e) => (e.type === 'output' ? [e.text] : [])).join('');
    expect(output).toContain('version 42 for octo-admin');
    expect(events).toContainEqual(expect.objectContaining({ type: 'secret-resolved', name: 'GH_PAT', source: 'keychain' }));
  });

  it('masks the token where the step printed it', () => {
    const output = events.flatMap((e) => (e.type === 'output' && e.stepId === 'use-secret' ? [e.text] : [])).join('');
    expect(output).toContain('raw:••••');
    expect(output).toContain('err:••••');
  });

  it('gives the token only to the step that names it', () => {
    const output = events.flatMap((e) => (e.type === 'output' && e.stepId === 'no-secret' ? [e.text] : [])).join('');
    expect(output).toBe('seen:none\n');
  });

  it('leaves no trace of the token, raw, base64 or URL-encoded, in events, logs, journal or record', () => {
    const files = [...filesUnder(state), ...filesUnder(recordDir)];
    expect(files.some((f) => f === recordPath)).toBe(true);
    expect(files.some((f) => f.endsWith('.jsonl'))).toBe(true);
    expect(files.some((f) => f.includes(`${join('handrail', 'logs')}`))).toBe(true);
    const forms = [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
    expect(new Set(forms).size).toBe(3);
    const sources: [string, string][] = [['events', JSON.stringify(events)], ...files.map((f): [string, string] => [f, readFileSync(f, 'utf8')])];
    // Names only where a form was found, so a failure does not print the token itself.
    const leaks = sources.flatMap(([where, text]) => forms.flatMap((form, i) => (text.includes(form) ? [`${where} (${['raw', 'base64', 'url'][i]})`] : [])));
    expect(leaks).toEqual([]);
  });

  it('never puts the token in any process argv', () => {
    const argv = readFileSync(dump, 'utf8');
    // The dump did see the step's own processes, so it would have caught the token there.
    expect(argv).toMatch(/\bsh\b|bash/);
    expect(statSync(dump).size).toBeGreaterThan(0);
    expect(argv.includes(secret)).toBe(false);
  });
});
