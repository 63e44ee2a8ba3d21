// `handrail verify`, `handrail records` and `handrail keys export` as an operator runs them: the real
// built CLI, real files, and the no-keychain signing key file (the keychain path is in
// record-keys.test.ts). Records are written by the real recorder with that same key.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync, createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempHome } from '../helpers/cli';
import { EventBus } from '../../src/core/bus';
import type { Mode, Outcome } from '../../src/core/events';
import { startRecorder } from '../../src/record';
import { IN_TOTO_PAYLOAD_TYPE, keyId, signEnvelope } from '../../src/record/dsse';
import { loadSigningKey, publicKeyPem, type SigningKey } from '../../src/record/keys';

const home = tempHome('handrail-verify-');
const env = { ...home.env, HANDRAIL_NO_KEYCHAIN: '1' };
const work = join(home.root, 'work');
const RUNBOOK_TEXT = '---\nid: deploy\ntitle: Deploy\nversion: 1.2.0\n---\n# Deploy\n';
let localKey: SigningKey;

async function record(options: { key?: SigningKey; outcome?: Outcome; mode?: Mode; end: number; dir?: string }): Promise<string> {
  const bus = new EventBus();
  const t = (s: number) => new Date(Date.UTC(2025, 0, 2, 3, 0, s)).toISOString();
  const sha256 = createHash('sha256').update(RUNBOOK_TEXT).digest('hex');
  const recorder = startRecorder(bus, {
    runbook: {
      path: 'runbooks/deploy.md',
      dir: work,
      source: RUNBOOK_TEXT,
      sha256,
      meta: { id: 'deploy', title: 'Deploy', version: '1.2.0' },
      steps: [],
    },
    stateDir: join(home.root, 'state', 'handrail'),
    recordDir: options.dir,
    signingKey: async () => options.key ?? localKey,
  });
  bus.emit({
    type: 'run-started',
    at: t(0),
    runId: 'r',
    mode: options.mode ?? 'live',
    runbook: { path: 'runbooks/deploy.md', id: 'deploy', title: 'Deploy', version: '1.2.0', sha256 },
    steps: [
      { id: 'check-docker', index: 0, kind: 'check', title: 'Docker is running', section: 'Deploy' },
      { id: 'push', index: 1, kind: 'run', title: 'Push the image', section: 'Deploy' },
    ],
    operator: { user: 'alice', host: 'build-01' },
    tool: { name: 'handrail', version: '0.1.0' },
  });
  bus.emit({ type: 'github-login', at: t(1), login: 'alice-gh' });
  bus.emit({ type: 'step-started', at: t(1), stepId: 'check-docker', index: 0, attempt: 1, display: 'docker info', rehearsal: false });
  bus.emit({
    type: 'step-finished',
    at: t(2),
    stepId: 'check-docker',
    index: 0,
    status: 'passed',
    startedAt: t(1),
    durationMs: 1000,
    exitCode: 0,
  });
  bus.emit({ type: 'run-ended', at: t(options.end), outcome: options.outcome ?? 'completed' });
  return recorder.finish();
}

beforeAll(async () => {
  // The in-process recorder and the spawned CLI must agree on the local key: same config dir, no keychain.
  Object.assign(process.env, env);
  localKey = (await loadSigningKey())!;
  mkdirSync(join(work, 'runbooks'), { recursive: true });
  writeFileSync(join(work, 'runbooks', 'deploy.md'), RUNBOOK_TEXT);
});

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

describe('handrail keys export', () => {
  it('prints the local signing public key as PEM, the same each time, and warns that it lives in a file', async () => {
    const first = await runCli(['keys', 'export'], { env });
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(publicKeyPem(localKey.publicKey));
    expect(first.stderr).toMatch(/warning: .*keychain is not available.*0600 file/);
    const second = await runCli(['keys', 'export'], { env });
    expect(second.stdout).toBe(first.stdout);
    expect(statSync(join(home.root, 'config', 'handrail', 'record-signing-key.pem')).mode & 0o777).toBe(0o600);
  });
});

describe('handrail verify', () => {
  it('accepts a record signed by the local key and says who ran what, when, and how each step ended', async () => {
    const path = await record({ end: 10 });
    const r = await runCli(['verify', path], { env, cwd: work });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`keyid ${localKey.keyid}`);
    expect(r.stdout).toMatch(/Deploy \(deploy 1\.2\.0\), live/);
    expect(r.stdout).toContain('alice@build-01 (GitHub: alice-gh)');
    expect(r.stdout).toContain('2025-01-02T03:00:00.000Z to 2025-01-02T03:00:10.000Z');
    expect(r.stdout).toMatch(/Outcome:\s+completed/);
    expect(r.stdout).toMatch(/passed\s+check-docker\s+Docker is running\s+\(exit 0\)/);
    expect(r.stdout).toMatch(/not-run\s+push\s+Push the image/);
    expect(r.stdout).toContain('runbooks/deploy.md still matches the recorded digest');
  });

  it('says when the runbook at the recorded path has changed, or is not there', async () => {
    const path = await record({ end: 11 });
    const changedDir = join(home.root, 'changed');
    mkdirSync(join(changedDir, 'runbooks'), { recursive: true });
    writeFileSync(join(changedDir, 'runbooks', 'deploy.md'), RUNBOOK_TEXT + 'edited\n');
    const changed = await runCli(['verify', path], { env, cwd: changedDir });
    expect(changed.code).toBe(0);
    expect(changed.stdout).toMatch(/runbooks\/deploy\.md has CHANGED since this run/);
    const absent = await runCli(['verify', path], { env, cwd: home.root });
    expect(absent.code).toBe(0);
    expect(absent.stdout).toMatch(/is not here/);
  });

  it('with --key accepts only that key', async () => {
    const path = await record({ end: 12 });
    const mine = join(home.root, 'mine.pem');
    writeFileSync(mine, publicKeyPem(localKey.publicKey));
    expect((await runCli(['verify', path, '--key', mine], { env })).code).toBe(0);
    const other = join(home.root, 'other.pem');
    writeFileSync(other, publicKeyPem(generateKeyPairSync('ed25519').publicKey));
    const r = await runCli(['verify', path, '--key', other], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/does not verify: signed by an unknown key/);
    noStack(r.stderr);
  });

  it('refuses a record signed by a key it does not know, and accepts it once the key is trusted', async () => {
    const pair = generateKeyPairSync('ed25519');
    const foreign: SigningKey = { ...pair, keyid: keyId(pair.publicKey), source: 'file' };
    const path = await record({ key: foreign, end: 13, dir: join(home.root, 'foreign') });
    const before = await runCli(['verify', path], { env });
    expect(before.code).toBe(1);
    expect(before.stderr).toMatch(/unknown key.*--key/);
    const trusted = join(home.root, 'config', 'handrail', 'trusted-keys');
    mkdirSync(trusted, { recursive: true });
    writeFileSync(join(trusted, 'bob.pem'), publicKeyPem(pair.publicKey));
    const after = await runCli(['verify', path], { env });
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('trusted key bob.pem');
  });

  it('refuses a changed record, with one reason and no stack trace', async () => {
    const path = await record({ end: 14, outcome: 'failed' });
    const original = JSON.parse(readFileSync(path, 'utf8'));
    const tamper = (change: (statement: { predicate: { outcome: string; steps: { status: string }[] } }) => void): string => {
      const envelope = structuredClone(original);
      const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
      change(statement);
      envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
      expect(envelope.payload).not.toBe(original.payload);
      const file = join(home.root, 'tampered.json');
      writeFileSync(file, JSON.stringify(envelope));
      return file;
    };
    for (const change of [
      (s: { predicate: { outcome: string } }) => void (s.predicate.outcome = 'completed'),
      (s: { predicate: { steps: { status: string }[] } }) => void (s.predicate.steps[1].status = 'passed'),
    ]) {
      const r = await runCli(['verify', tamper(change)], { env });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/does not verify: bad signature: the record was changed after it was signed/);
    }
  });

  it('refuses a validly signed statement that is not a handrail record, an envelope with no signature, and a --key that is not PEM', async () => {
    const foreign = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'x', digest: { sha256: 'a'.repeat(64) } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {},
    };
    const signed = join(home.root, 'foreign-statement.json');
    writeFileSync(
      signed,
      JSON.stringify(signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(foreign)), localKey.privateKey, localKey.keyid)),
    );
    const notRecord = await runCli(['verify', signed], { env });
    expect(notRecord.code).toBe(1);
    expect(notRecord.stdout).toBe('');
    expect(notRecord.stderr).toMatch(
      /foreign-statement\.json does not verify: the signature is valid but the statement is not a handrail record \(predicateType: .+\)\./,
    );
    noStack(notRecord.stderr);

    const unsigned = join(home.root, 'unsigned.json');
    const envelope = JSON.parse(readFileSync(await record({ end: 15 }), 'utf8'));
    writeFileSync(unsigned, JSON.stringify({ ...envelope, signatures: [] }));
    const noSignature = await runCli(['verify', unsigned], { env });
    expect(noSignature.code).toBe(1);
    expect(noSignature.stderr).toMatch(/unsigned\.json does not verify: the envelope carries no signature\./);

    const notPem = join(home.root, 'key.txt');
    writeFileSync(notPem, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA== alice\n');
    const badKey = await runCli(['verify', join(home.root, 'unsigned.json'), '--key', notPem], { env });
    expect(badKey.code).toBe(1);
    expect(badKey.stdout).toBe('');
    expect(badKey.stderr.trim()).toBe(
      `handrail: ${notPem} is not an Ed25519 public key in PEM form; use the output of \`handrail keys export\`.`,
    );
  });

  it('refuses what is not a record: not JSON, not an envelope, another payload type, a missing file', async () => {
    const cases: [string, RegExp][] = [
      ['{"payloadType": "applic', /not JSON/],
      ['{"hello": "world"}', /not a DSSE envelope/],
      [
        JSON.stringify({ payloadType: 'text/plain', payload: 'aGk=', signatures: [{ keyid: 'x', sig: 'aGk=' }] }),
        /payload type is "text\/plain"/,
      ],
    ];
    for (const [text, reason] of cases) {
      const file = join(home.root, 'bad.json');
      writeFileSync(file, text);
      const r = await runCli(['verify', file], { env });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(reason);
      noStack(r.stderr);
    }
    const missing = await runCli(['verify', join(home.root, 'nope.json')], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read the record .*no such file/);
  });
});

describe('handrail records', () => {
  it('lists past runs newest first with runbook, outcome, mode, when and operator', async () => {
    const dir = join(home.root, 'history');
    await record({ dir, end: 30, outcome: 'failed' });
    await record({ dir, end: 50, outcome: 'completed', mode: 'rehearsal' });
    await record({ dir, end: 40, outcome: 'aborted' });
    writeFileSync(join(dir, 'notes.json'), '{}');
    const r = await runCli(['records', dir], { env });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^WHEN\s+RUNBOOK\s+VERSION\s+OUTCOME\s+MODE\s+OPERATOR/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[3])).toEqual(['completed', 'aborted', 'failed']);
    expect(lines[1]).toMatch(/2025-01-02T03:00:50.000Z\s+deploy\s+1\.2\.0\s+completed\s+rehearsal\s+alice@build-01/);
    expect(r.stderr).toMatch(/notes\.json is not a handrail record; skipped/);
  });

  it('says so when there are no records yet', async () => {
    const fresh = tempHome('handrail-records-');
    const r = await runCli(['records'], { env: fresh.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No runs recorded yet/);
  });
});
