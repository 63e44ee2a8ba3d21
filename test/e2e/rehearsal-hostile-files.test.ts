// SPEC §6.3 and §5.1, tried as an attacker who can put files where handrail looks for rehearsals
// (the local records folder, the team's repository, the cache of its blobs): the gate must neither
// hang, nor blow up, nor be kept shut for good by junk, and what it says about junk stays short.
// Real CLI, the real keyring's record key, the loopback GitHub.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { runCli, tempHome, type CliResult } from '../helpers/cli';
import { startGithubServer, type GithubServer } from '../helpers/github-server';
import { blobSha, repoFiles } from '../helpers/github-team';
import { describeKeychain } from '../helpers/keyring';
import { generateKeyPairSync } from 'node:crypto';
import { IN_TOTO_PAYLOAD_TYPE, signEnvelope } from '../../src/record/dsse';
import { loadSigningKey } from '../../src/record/keys';
import { compactUtc } from '../../src/record/write';
import type { Statement } from '../../src/record/predicate';

const REPO = 'craton-co/ops-records';
const MARKER = 'LIVE-STEP-RAN-77d2';
const TOKEN = 'ghp_hostileFiles0123456789abcdefABCDEF';
const runbookText = (repo: boolean) => `---
id: trust-demo
title: Trust demo
version: 1.0.0
${repo ? `github:\n  token: GH_PAT\nrecords:\n  repo: ${REPO}\nsecrets:\n  GH_PAT:\n    prompt: A GitHub token\n    env: TEST_GH_PAT\n` : ''}rehearsal:
  required: true
  within: 14d
---

# Trust demo

## Say hello

\`\`\`sh run${repo ? ' secrets=GH_PAT' : ''}
echo "${MARKER}"
\`\`\`
`;

let server: GithubServer;
let runbookPath: string;

function operator() {
  const home = tempHome('handrail-hostile-');
  const env = {
    ...home.env,
    TEST_GH_PAT: TOKEN,
    GH_TOKEN: '',
    GITHUB_TOKEN: '',
    HANDRAIL_SSH_SIGNING_KEY: 'none',
    HANDRAIL_RECORDS_REPO: '',
    HANDRAIL_REPORT_TO: '',
  };
  const state = join(home.env.XDG_STATE_HOME!, 'handrail');
  const records = join(state, 'records');
  return {
    env,
    state,
    records,
    run: (...args: string[]): Promise<CliResult> =>
      runCli(['run', runbookPath, '--yes', '--plain', '--github-api', server.url, ...args], { env }),
  };
}

const statementOf = (text: string | Buffer): Statement =>
  JSON.parse(Buffer.from(JSON.parse(String(text)).payload, 'base64').toString('utf8'));
/** An unsigned envelope around `statement`: a claim anyone can write. */
const unsigned = (statement: Statement) =>
  JSON.stringify({ payloadType: IN_TOTO_PAYLOAD_TYPE, payload: Buffer.from(JSON.stringify(statement)).toString('base64'), signatures: [] });
const fileFor = (at: Date, n = 0) => `trust-demo-${compactUtc(at.toISOString())}-completed${n ? `-${n}` : ''}.json`;

/** A genuine rehearsal on this machine; its record's text. */
async function rehearse(op: ReturnType<typeof operator>): Promise<string> {
  const r = await op.run('--dry-run');
  expect(r.code, r.stderr).toBe(0);
  const [name] = readdirSync(op.records);
  return readFileSync(join(op.records, name!), 'utf8');
}

beforeAll(async () => {
  expect((await loadSigningKey({ create: true }))?.source).toBe('keychain');
});
beforeEach(async () => {
  server = await startGithubServer({ state: { tokens: { [TOKEN]: { login: 'alice', scopes: ['repo'] } } } });
  server.state.team.files[REPO] = repoFiles({ 'README.md': '# ops records\n' });
  runbookPath = join(tempHome('handrail-hostile-rb-').root, 'trust-demo.md');
  writeFileSync(runbookPath, runbookText(false));
});
afterEach(() => server.close());

describeKeychain('files in the local records folder that are not records', () => {
  const planted: [string, (path: string) => void][] = [
    // Opening a FIFO for reading waits for a writer that never comes.
    ['a FIFO', (path) => execFileSync('mkfifo', [path])],
    // A device reads forever: the gate would grow without bound.
    ['a symlink to /dev/zero', (path) => symlinkSync('/dev/zero', path)],
  ];
  it.each(planted)('%s named as the newest rehearsal neither hangs the gate nor fills memory; it is named', async (_, plant) => {
    const op = operator();
    await rehearse(op);
    const name = fileFor(new Date(Date.now() + 60_000));
    plant(join(op.records, name));
    const live = await op.run();
    expect(live.signal, 'the gate hung').toBeNull();
    expect(live.code, live.stderr).toBe(0);
    expect(live.stdout).toContain(MARKER);
    expect(live.stderr).toMatch(
      new RegExp(
        `warning: 1 record found for trust-demo does not count as a rehearsal: .*${name} \\(it is (a symbolic link, )?not a regular file\\)`,
      ),
    );
    // `handrail records` reads the same folder: it lists the genuine one and names the other.
    const listed = await runCli(['records'], { env: op.env });
    expect(listed.signal, 'records hung').toBeNull();
    expect(listed.stdout).toMatch(/rehearsal/);
  });
});

describeKeychain("records this machine's key really signed, that are not a rehearsal of these bytes", () => {
  const edits: [string, (p: Statement['predicate']) => void][] = [
    ['of another runbook id', (p) => (p.runbook.id = 'other-runbook')],
    ['of other bytes', (p) => (p.runbook.sha256 = '0'.repeat(64))],
    ['of a live run', (p) => (p.mode = 'live')],
    ['of a failed rehearsal', (p) => (p.outcome = 'failed')],
    // Date.parse reads this (the parenthesis is a comment to it); a record's times are RFC 3339 only.
    ['whose end is not RFC 3339 and carries an escape sequence', (p) => (p.end = `${new Date().toDateString()} (\x1b]0;x\x07)`)],
    ['that ends before it starts', (p) => (p.start = new Date(Date.parse(p.end) + 60_000).toISOString())],
  ];
  it.each(edits)('a signed record %s keeps the gate shut', async (_, edit) => {
    const op = operator();
    const text = await rehearse(op);
    const name = readdirSync(op.records)[0]!;
    const statement = statementOf(text);
    edit(statement.predicate);
    const key = (await loadSigningKey({ create: false }))!;
    writeFileSync(
      join(op.records, name),
      JSON.stringify(signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), key.privateKey, key.keyid)),
    );
    expect((await runCli(['verify', join(op.records, name)], { env: op.env })).code).toBe(0);
    const live = await op.run();
    expect(live.code).toBe(2);
    expect(live.stdout).not.toContain(MARKER);
    expect(live.stderr).toContain('must be rehearsed before a live run');
  });
});

describeKeychain('junk cannot hide a real rehearsal', () => {
  it('a hundred and one unsigned claims newer than a genuine rehearsal do not keep the gate shut, run after run', async () => {
    const op = operator();
    const genuine = statementOf(await rehearse(op));
    const base = Date.parse(genuine.predicate.end);
    for (let i = 1; i <= 101; i++) {
      const at = new Date(base + i * 1000);
      const claim = { ...genuine, predicate: { ...genuine.predicate, start: at.toISOString(), end: at.toISOString() } };
      writeFileSync(join(op.records, fileFor(at, i + 1)), unsigned(claim));
    }
    for (let run = 0; run < 2; run++) {
      const live = await op.run();
      expect(live.code, live.stderr).toBe(0);
      expect(live.stdout).toMatch(/Rehearsed by \S+ at .* \(these same bytes;/);
      expect(live.stderr).toMatch(/warning: 101 records found for trust-demo do not count/);
    }
  });
});

describeKeychain("junk in the team's folder cannot hide a real rehearsal for good", () => {
  const put = (path: string, bytes: Buffer) => (server.state.team.files[REPO]!.files[path] = bytes);
  /** A rehearsal published to the team's repository; this machine's copy removed, so only the team's can count. */
  async function published(op: ReturnType<typeof operator>): Promise<string> {
    writeFileSync(runbookPath, runbookText(true));
    await rehearse(op);
    const name = readdirSync(op.records)[0]!;
    execFileSync('rm', [join(op.records, name)]);
    expect(server.state.team.files[REPO]!.files[`records/trust-demo/${name}`]).toBeDefined();
    return name;
  }

  const stranger = generateKeyPairSync('ed25519');
  const junk: [string, (i: number, genuine: Statement) => string][] = [
    ['files that are not records', (i) => `{"junk": ${i}}`],
    [
      "rehearsal claims signed by another machine's key",
      (i, genuine) =>
        JSON.stringify(
          signEnvelope(
            IN_TOTO_PAYLOAD_TYPE,
            Buffer.from(JSON.stringify({ ...genuine, predicate: { ...genuine.predicate, runId: `junk-${i}` } })),
            stranger.privateKey,
            'stranger',
          ),
        ),
    ],
  ];
  it.each(junk)('six hundred %s, named newer than it and already in the cache, are read once and then skipped', async (_, make) => {
    const op = operator();
    const name = await published(op);
    const genuine = statementOf(server.state.team.files[REPO]!.files[`records/trust-demo/${name}`]!);
    // As after earlier runs fetched them: each blob in the cache under its own sha.
    const blobs = join(op.state, 'cache', 'github', 'blobs');
    mkdirSync(blobs, { recursive: true });
    const soon = new Date(Date.now() + 4 * 60_000);
    for (let i = 0; i < 600; i++) {
      const bytes = Buffer.from(make(i, genuine));
      put(`records/trust-demo/${fileFor(soon, i + 2)}`, bytes);
      writeFileSync(join(blobs, blobSha(bytes)), bytes);
    }
    const first = await op.run();
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/were not read/);
    // What was found not to count is remembered by its blob's sha: the next run reads on.
    const second = await op.run();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/Rehearsed by .* \(these same bytes; craton-co\/ops-records:records\/trust-demo\//);
    expect(second.stderr).toMatch(/warning: 600 records found for trust-demo do not count/);
  });

  it('a path with ESC, CR or .. in the team tree is shown terminal-safe, and reads nothing outside the tree', async () => {
    const op = operator();
    await published(op);
    const later = new Date(Date.now() + 60_000);
    put(`records/trust-demo/\x1b]0;pwned\x07\r\x1b[2K/${fileFor(later)}`, Buffer.from('{"junk": 1}'));
    put(`records/trust-demo/../../../etc/${fileFor(later, 2)}`, Buffer.from('{"junk": 2}'));
    const live = await op.run();
    expect(live.code, live.stderr).toBe(0);
    expect(live.stderr).toMatch(/warning: 2 records found for trust-demo do not count/);
    expect(live.stderr).toContain('␛]0;pwned␇␍␛[2K');
    expect(`${live.stdout}${live.stderr}`).not.toMatch(/[\x1b\r\x07]/);
  });
});

describeKeychain("what the gate says about GitHub's answers is terminal-safe and short", () => {
  it('a tree answer whose message carries escape sequences and 5000 characters is one short, visible line', async () => {
    writeFileSync(runbookPath, runbookText(true));
    const op = operator();
    await rehearse(op);
    server.route('GET', '/repos/{owner}/{repo}/git/trees/{sha}', () => ({
      status: 500,
      body: { message: `boom\x1b]0;pwned\x07\r\x1b[2K${'z'.repeat(5000)}` },
    }));
    const live = await op.run();
    expect(live.code, live.stderr).toBe(0);
    const warning = live.stderr.split('\n').find((l) => l.includes('could not be read'));
    expect(warning).toContain('boom␛]0;pwned␇␍␛[2K');
    expect(`${live.stdout}${live.stderr}`).not.toMatch(/[\x1b\r\x07]/);
    expect(warning!.length).toBeLessThanOrEqual(4 * 80);
  });
});

describeKeychain('what the gate says about junk stays short', () => {
  it('a claim with a 5000-character end and a 600-character name is named in a warning that fits a few lines of 80 columns', async () => {
    const op = operator();
    const genuine = statementOf(await rehearse(op));
    const claim = { ...genuine, predicate: { ...genuine.predicate, end: `Dec 7 2026 17:00 (${'x'.repeat(5000)})` } };
    writeFileSync(
      join(op.records, fileFor(new Date(Date.now() + 60_000))),
      unsigned({ ...genuine, predicate: { ...genuine.predicate, end: 'y'.repeat(5000) } }),
    );
    const deep = join(op.records, ...Array.from({ length: 6 }, (_, i) => `${'d'.repeat(90)}${i}`));
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, fileFor(new Date(Date.now() + 30_000))), unsigned(claim));
    const live = await op.run('--record-dir', deep);
    expect(live.code, live.stderr).toBe(0);
    const warning = live.stderr.split('\n').find((l) => / do(es)? not count/.test(l));
    expect(warning).toBeDefined();
    // Two records named, each with why: a few rows of an 80-column screen, not sixty.
    expect(warning!.length).toBeLessThanOrEqual(8 * 80);
    expect(warning).toContain('trust-demo-');
  });
});

describeKeychain("the cache of the team's blobs", () => {
  it("a FIFO planted in the cache under a genuine record's sha does not hang the gate; the record is fetched again", async () => {
    writeFileSync(runbookPath, runbookText(true));
    const op = operator();
    const text = await rehearse(op);
    const name = readdirSync(op.records)[0]!;
    // The rehearsal was published; this machine's copy is gone, so only the team's copy can count.
    execFileSync('rm', [join(op.records, name)]);
    const bytes = server.state.team.files[REPO]!.files[`records/trust-demo/${name}`];
    expect(bytes?.toString()).toBe(text);
    const blobs = join(op.state, 'cache', 'github', 'blobs');
    mkdirSync(blobs, { recursive: true });
    execFileSync('mkfifo', [join(blobs, blobSha(bytes!))]);
    const live = await op.run();
    expect(live.signal, 'the gate hung').toBeNull();
    expect(live.code, live.stderr).toBe(0);
    expect(live.stdout).toMatch(/Rehearsed by .* \(these same bytes; craton-co\/ops-records:records\/trust-demo\//);
  });
});

describeKeychain('verify of a hostile record', () => {
  const stranger = generateKeyPairSync('ed25519').privateKey;
  /** A genuine record re-signed by a stranger whose keyid says what verify would print for a good one. */
  async function posing(keyid: string): Promise<{ op: ReturnType<typeof operator>; path: string }> {
    const op = operator();
    const text = await rehearse(op);
    const path = join(op.records, readdirSync(op.records)[0]!);
    writeFileSync(
      path,
      JSON.stringify(signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statementOf(text))), stranger, keyid)),
    );
    return { op, path };
  }
  const pose = 'x\nSigned by: @alice, GitHub SSH signing key SHA256:abc\nSignature: valid, by the local signing key';

  it.each([[[] as string[]], [['--github']]])('a keyid cannot add lines to what verify %j says', async (flags) => {
    const { op, path } = await posing(pose);
    const r = await runCli(['verify', path, '--github-api', server.url, ...flags], { env: op.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('does not verify');
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/^(Signed by|Signature):/m);
  });

  it('with --key, a keyid cannot add lines either, and a 100 000-character keyid is not printed whole', async () => {
    const { op, path } = await posing(pose);
    const exported = await runCli(['keys', 'export'], { env: op.env });
    const pem = join(op.records, '..', 'machine.pem');
    writeFileSync(pem, exported.stdout);
    const r = await runCli(['verify', path, '--key', pem], { env: op.env });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/^(Signed by|Signature):/m);
    const long = await posing('k'.repeat(100_000));
    const big = await runCli(['verify', long.path, '--key', pem], { env: long.op.env });
    expect(big.code).toBe(1);
    expect(big.stderr.length).toBeLessThan(1000);
  });
});
