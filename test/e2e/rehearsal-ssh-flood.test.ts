// SPEC §6.3, tried as a teammate with write access to the records repository and an SSH signing key
// of their own: records whose SSH signature is good but whose key is not the named operator's on
// GitHub. Each costs ssh-keygen and a GitHub lookup to refuse, so they are what a bound on checks can
// be flooded with. Real CLI and ssh-keygen, the loopback GitHub, the real keyring's record key.
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/cli';
import { startGithubServer, type GithubServer } from '../helpers/github-server';
import { blobSha, repoFiles } from '../helpers/github-team';
import { describeKeychain } from '../helpers/keyring';
import { makeKey } from '../helpers/ssh';
import { IN_TOTO_PAYLOAD_TYPE, keyId, pae, signEnvelope } from '../../src/record/dsse';
import { loadSigningKey } from '../../src/record/keys';
import type { Statement } from '../../src/record/predicate';
import { sshSign } from '../../src/record/ssh-keygen';
import { compactUtc } from '../../src/record/write';

const REPO = 'craton-co/ops-records';
const MARKER = 'LIVE-STEP-RAN-0f3a';
const runbook = `---
id: trust-demo
title: Trust demo
version: 1.0.0
github:
  api: API_URL
  token: GH_PAT
records:
  repo: ${REPO}
secrets:
  GH_PAT:
    prompt: A GitHub token
    env: TEST_GH_PAT
rehearsal:
  required: true
  within: 14d
---

# Trust demo

## Say hello

\`\`\`sh run secrets=GH_PAT
echo "${MARKER}"
\`\`\`
`;

let server: GithubServer;
let runbookPath: string;
const token = (login: string) => `ghp_${login}Flood0123456789abcdefABCDEF`;
const baseEnv = (home: ReturnType<typeof tempHome>, login: string) => ({
  ...home.env,
  TEST_GH_PAT: token(login),
  GH_TOKEN: '',
  GITHUB_TOKEN: '',
  HANDRAIL_RECORDS_REPO: '',
  HANDRAIL_REPORT_TO: '',
});

beforeAll(async () => {
  expect((await loadSigningKey({ create: true }))?.source).toBe('keychain');
});
beforeEach(async () => {
  server = await startGithubServer({
    state: { tokens: { [token('alice')]: { login: 'alice', scopes: ['repo'] }, [token('bob')]: { login: 'bob', scopes: ['repo'] } } },
  });
  server.state.team.files[REPO] = repoFiles({ 'README.md': '# ops records\n' });
  runbookPath = join(tempHome('handrail-flood-rb-').root, 'trust-demo.md');
  // The runbook names the loopback API itself: an author's choice, which is not the operator's (SPEC §5.1).
  writeFileSync(runbookPath, runbook.replace('API_URL', server.url));
});
afterEach(() => server.close());

describeKeychain('SSH-signed junk cannot hide a real rehearsal', () => {
  it("a hundred and one records signed by mallory's own SSH key, each naming @bob and newer than his rehearsal, do not hide it", async () => {
    const keys = tempHome('handrail-flood-keys-').root;
    const bob = makeKey(keys, 'bob');
    const mallory = makeKey(keys, 'mallory');
    server.state.sshSigningKeys = { bob: [{ key: bob.line }], mallory: [{ key: mallory.line }] };
    // Bob's genuine rehearsal, on his machine (its own file key), published by the run.
    const bobHome = tempHome('handrail-flood-bob-');
    const rehearsed = await runCli(['run', runbookPath, '--yes', '--plain', '--dry-run', '--github-api', server.url], {
      env: { ...baseEnv(bobHome, 'bob'), HANDRAIL_NO_KEYCHAIN: '1', HANDRAIL_SSH_SIGNING_KEY: bob.path },
    });
    expect(rehearsed.code, rehearsed.stderr).toBe(0);
    const bobRecords = join(bobHome.env.XDG_STATE_HOME!, 'handrail', 'records');
    const genuine = JSON.parse(
      Buffer.from(JSON.parse(readFileSync(join(bobRecords, readdirSync(bobRecords)[0]!), 'utf8')).payload, 'base64').toString(),
    ) as Statement;

    // Alice's machine has fetched them all before (each blob cached under its own sha), as after earlier runs.
    const alice = tempHome('handrail-flood-alice-');
    const blobs = join(alice.env.XDG_STATE_HOME!, 'handrail', 'cache', 'github', 'blobs');
    mkdirSync(blobs, { recursive: true });
    const stranger = generateKeyPairSync('ed25519');
    const soon = new Date(Date.parse(genuine.predicate.end) + 60_000);
    for (let i = 0; i < 101; i++) {
      const claim: Statement = {
        ...genuine,
        predicate: {
          ...genuine.predicate,
          runId: `junk-${i}`,
          operator: { ...genuine.predicate.operator, sshSigningKey: { publicKey: mallory.line, fingerprint: mallory.fingerprint } },
        },
      };
      const body = Buffer.from(JSON.stringify(claim));
      const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, body, stranger.privateKey, keyId(stranger.publicKey));
      const armored = await sshSign(pae(IN_TOTO_PAYLOAD_TYPE, body), { keyFile: mallory.path });
      const bytes = Buffer.from(
        JSON.stringify({
          ...envelope,
          signatures: [...envelope.signatures, { keyid: mallory.fingerprint, sig: Buffer.from(armored).toString('base64') }],
        }),
      );
      server.state.team.files[REPO]!.files[`records/trust-demo/trust-demo-${compactUtc(soon.toISOString())}-completed-${i + 2}.json`] =
        bytes;
      writeFileSync(join(blobs, blobSha(bytes)), bytes);
    }

    const live = await runCli(['run', runbookPath, '--yes', '--plain', '--github-api', server.url], {
      env: { ...baseEnv(alice, 'alice'), HANDRAIL_SSH_SIGNING_KEY: 'none' },
    });
    expect(live.code, live.stderr).toBe(0);
    expect(live.stdout).toContain(MARKER);
    expect(live.stdout).toMatch(/Rehearsed by @bob at .* \(these same bytes;/);
    expect(live.stderr).toMatch(/warning: 101 records found for trust-demo do not count .*not one of @bob's GitHub SSH signing keys/);
    // One lookup of bob's keys refused them all.
    expect(server.requests.filter((r) => r.path.includes('/users/bob/ssh_signing_keys'))).toHaveLength(1);
  });
});

describeKeychain('an API the runbook names cannot vouch for a forged rehearsal', () => {
  it("an API that lists mallory's key as @alice's, named only by the runbook, is not asked and opens nothing", async () => {
    const mallory = makeKey(tempHome('handrail-flood-keys-').root, 'mallory');
    // The runbook's API, if it were believed, says mallory's key is alice's.
    server.state.sshSigningKeys = { alice: [{ key: mallory.line }] };
    server.state.tokens[token('mallory')] = { login: 'alice', scopes: ['repo'] };
    const malHome = tempHome('handrail-flood-mallory-');
    const forged = await runCli(['run', runbookPath, '--yes', '--plain', '--dry-run', '--github-api', server.url], {
      env: { ...baseEnv(malHome, 'mallory'), HANDRAIL_NO_KEYCHAIN: '1', HANDRAIL_SSH_SIGNING_KEY: mallory.path },
    });
    expect(forged.code, forged.stderr).toBe(0);
    const asked = server.requests.length;
    // Alice runs it live, choosing no API: the runbook's is not hers to trust.
    const live = await runCli(['run', runbookPath, '--yes', '--plain'], {
      env: { ...baseEnv(tempHome('handrail-flood-alice-'), 'alice'), HANDRAIL_SSH_SIGNING_KEY: 'none' },
    });
    expect(live.code).toBe(2);
    expect(live.stdout).not.toContain(MARKER);
    expect(live.stdout).not.toMatch(/Rehearsed by @alice/);
    expect(server.requests.length).toBe(asked);
  });
});
