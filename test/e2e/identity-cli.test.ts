// Who ran it (SPEC §6.1), as an operator and an auditor use it: the real built CLI runs a runbook
// signing its record with a real SSH key (ssh-keygen), and `handrail verify --github` checks that key
// against the loopback GitHub's /users/{login}/ssh_signing_keys. github.com itself cannot be reached
// from tests; the loopback server answers in GitHub's documented shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { runCli, tempHome } from '../helpers/cli';
import { startGithubServer, type GithubServer } from '../helpers/github-server';
import { makeKey, type TestKey } from '../helpers/ssh';

const TOKEN = 'ghp_identity_test_token_0123456789';
const RUNBOOK = `---
id: provision
title: Provision the sponsor admin
version: 1.0.0
secrets:
  GH_PAT:
    prompt: GitHub token
    env: HANDRAIL_TEST_GH_TOKEN
github:
  token: GH_PAT
---

# Provision

## Who is running this

\`\`\`yaml github
request: GET /user
\`\`\`

## Leave a mark

\`\`\`sh
touch ran.marker
\`\`\`
`;

const home = tempHome('handrail-identity-');
let github: GithubServer;
let alice: TestKey;
let bob: TestKey;
let carol: TestKey;

beforeAll(async () => {
  const keys = join(home.root, 'keys');
  mkdirSync(keys);
  alice = makeKey(keys, 'alice');
  bob = makeKey(keys, 'bob');
  carol = makeKey(keys, 'carol', 'a long passphrase');
  github = await startGithubServer({
    state: {
      tokens: { [TOKEN]: { login: 'alice', scopes: [] } },
      sshSigningKeys: { alice: [{ key: alice.line }], bob: [{ key: bob.line }] },
    },
  });
});
afterAll(() => github.close());

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  // No keychain and no agent: the key file alone signs, as on a fresh machine.
  return {
    ...home.env,
    HANDRAIL_NO_KEYCHAIN: '1',
    SSH_AUTH_SOCK: '',
    HANDRAIL_GITHUB_API: github.url,
    HANDRAIL_TEST_GH_TOKEN: TOKEN,
    ...extra,
  };
}

/** Runs the runbook in a fresh folder with `--yes`; returns the CLI result, the folder and its record. */
async function run(signingKey: string): Promise<{ code: number | null; out: string; dir: string; record?: string }> {
  const dir = join(home.root, `run-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'provision.md'), RUNBOOK);
  const result = await runCli(['run', 'provision.md', '--yes', '--record-dir', 'records'], {
    cwd: dir,
    env: env({ HANDRAIL_SSH_SIGNING_KEY: signingKey }),
  });
  const records = existsSync(join(dir, 'records')) ? readdirSync(join(dir, 'records')) : [];
  return {
    code: result.code,
    out: result.stdout + result.stderr,
    dir,
    ...(records[0] ? { record: join(dir, 'records', records[0]) } : {}),
  };
}

const keyRequests = () => github.requests.filter((r) => r.path.endsWith('/ssh_signing_keys'));

describe('a run signed with the operator’s SSH key', () => {
  let signed: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    signed = await run(alice.path);
  });

  it('says who in the preflight, in one line, and writes a record with both signatures', () => {
    expect(signed.out).toContain(`records are signed as @alice with SSH key ${alice.fingerprint} (key file ${alice.path})`);
    expect(signed.code).toBe(0);
    const envelope = JSON.parse(readFileSync(signed.record!, 'utf8'));
    expect(envelope.signatures.map((s: { keyid: string }) => s.keyid)).toEqual([
      expect.stringMatching(/^[0-9a-f]{64}$/),
      alice.fingerprint,
    ]);
  });

  it('verify --github says who signed it, asking GitHub once without a token; an auditor needs no local key', async () => {
    const before = keyRequests().length;
    const checked = await runCli(['verify', signed.record!, '--github'], { env: env() });
    expect(checked.stdout).toContain(`Signed by: @alice, GitHub SSH signing key ${alice.fingerprint}`);
    expect(checked.code).toBe(0);
    const asked = keyRequests().slice(before);
    expect(asked.map((r) => r.path)).toEqual(['/users/alice/ssh_signing_keys']);
    expect(asked[0]!.headers.authorization).toBeUndefined();

    // Someone else's machine: no handrail key of theirs signed it, and --github-api names the API.
    const auditor = tempHome('handrail-auditor-');
    const remote = await runCli(['verify', signed.record!, '--github', '--github-api', github.url], {
      env: { ...auditor.env, HANDRAIL_NO_KEYCHAIN: '1', HANDRAIL_GITHUB_API: '' },
    });
    expect(remote.stdout).toContain(`Signed by: @alice, GitHub SSH signing key ${alice.fingerprint}`);
    expect(remote.stdout).toContain('What:      Provision the sponsor admin (provision 1.0.0), live');
    expect(remote.code).toBe(0);
  });

  it('exits 1 when GitHub does not list the key for the login the record names', async () => {
    github.state.sshSigningKeys.alice = [{ key: bob.line }];
    try {
      const checked = await runCli(['verify', signed.record!, '--github'], { env: env() });
      expect(checked.code).toBe(1);
      expect(checked.stderr).toContain(`SSH key ${alice.fingerprint} is not one of @alice's GitHub SSH signing keys`);
      expect(checked.stderr).not.toMatch(/\n\s+at /);
    } finally {
      github.state.sshSigningKeys.alice = [{ key: alice.line }];
    }
  });

  it('with --key only that key counts: an SSH signature by someone else does not vouch for it', async () => {
    const pems = join(home.root, 'pems');
    mkdirSync(pems, { recursive: true });
    const other = join(pems, 'other.pem');
    writeFileSync(other, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const refused = await runCli(['verify', signed.record!, '--key', other, '--github'], { env: env() });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`, not by ${other}; with --key, only that key counts.`);
    expect(refused.stdout).toBe('');
    // The key that did sign it passes, with or without --github.
    const mine = join(pems, 'mine.pem');
    writeFileSync(mine, (await runCli(['keys', 'export'], { env: env() })).stdout);
    for (const extra of [[], ['--github']]) {
      const ok = await runCli(['verify', signed.record!, '--key', mine, ...extra], { env: env() });
      expect(ok.code, ok.stderr).toBe(0);
    }
  });

  it('checks against an allowed-signers file offline: listed for alice passes, listed for bob fails', async () => {
    const good = join(home.root, 'good.allowed');
    writeFileSync(good, `alice namespaces="handrail-record" ${alice.line}\n`);
    const ok = await runCli(['verify', signed.record!, '--allowed-signers', good], {
      env: env({ HANDRAIL_GITHUB_API: 'http://127.0.0.1:9' }),
    });
    expect(ok.stdout).toContain(`Signed by: alice, SSH key listed in ${good} (${alice.fingerprint})`);
    expect(ok.code).toBe(0);
    const wrong = join(home.root, 'wrong.allowed');
    writeFileSync(wrong, `bob ${alice.line}\n`);
    const refused = await runCli(['verify', signed.record!, '--allowed-signers', wrong], { env: env() });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`does not list SSH key ${alice.fingerprint} for alice (it lists that key for bob)`);
  });
});

describe('without an SSH signature', () => {
  it('verifies as before and says who ran it is unchecked, without asking GitHub', async () => {
    const plain = await run('none');
    expect(plain.out).toContain('records are not signed with an SSH key (HANDRAIL_SSH_SIGNING_KEY=none)');
    expect(plain.code).toBe(0);
    const before = keyRequests().length;
    const checked = await runCli(['verify', plain.record!, '--github'], { env: env() });
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain('Signed by: unchecked — the record carries no SSH signature, so who ran it is unchecked');
    expect(checked.stdout).toContain('Signature: valid, by the local signing key');
    expect(keyRequests().length).toBe(before);
  });
});

describe('a key that would ask for a passphrase at the end', () => {
  it('stops the run before step 1 (exit 2) and says to add it to ssh-agent', async () => {
    const refused = await run(`${carol.path}.pub`);
    expect(refused.code).toBe(2);
    expect(refused.out).toContain(`needs a passphrase and no ssh-agent is running`);
    expect(refused.out).toContain(`add it to ssh-agent: ssh-add ${carol.path}`);
    expect(existsSync(join(refused.dir, 'ran.marker'))).toBe(false);
    expect(refused.out).not.toMatch(/\n\s+at /);
  });
});
