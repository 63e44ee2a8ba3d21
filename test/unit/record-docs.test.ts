// docs/record.md promises that a record can be verified without handrail. These tests hold the docs
// to it: a verifier written from the docs alone (node:crypto only), and the docs' own openssl and
// Python recipes run verbatim against a record the recorder writes.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EventBus } from '../../src/core/bus';
import { startRecorder } from '../../src/record';
import { keyId } from '../../src/record/dsse';
import { publicKeyPem, type SigningKey } from '../../src/record/keys';
import { predicateJsonSchema } from '../../src/record/predicate';
import type { Runbook } from '../../src/core/model';
import { findSshIdentity, type SshIdentity } from '../../src/record/ssh-identity';
import { startGithubServer } from '../helpers/github-server';
import { makeKey } from '../helpers/ssh';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'record.md'), 'utf8');

/** The verifier a reader of docs/record.md would write; deliberately imports nothing from src/. */
function docsVerifier(recordText: string, publicPem: string): { ok: boolean; predicate?: Record<string, unknown> } {
  const envelope = JSON.parse(recordText) as { payloadType: string; payload: string; signatures: { keyid: string; sig: string }[] };
  if (envelope.payloadType !== 'application/vnd.in-toto+json') return { ok: false };
  const payload = Buffer.from(envelope.payload, 'base64');
  const type = Buffer.from(envelope.payloadType);
  const paeBytes = Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
  const key: KeyObject = createPublicKey(publicPem);
  const keyid = createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex');
  const signature = envelope.signatures.find((s) => s.keyid === keyid);
  if (!signature) return { ok: false };
  if (!verify(null, paeBytes, key, Buffer.from(signature.sig, 'base64'))) return { ok: false };
  const statement = JSON.parse(payload.toString('utf8'));
  if (statement._type !== 'https://in-toto.io/Statement/v1') return { ok: false };
  if (statement.predicateType !== 'https://handrail.dev/completion-record/v1') return { ok: false };
  return { ok: true, predicate: statement.predicate };
}

function codeBlock(heading: string, lang: string): string {
  const section = DOC.slice(DOC.indexOf(heading));
  const match = section.match(new RegExp('```' + lang + '\\n([\\s\\S]*?)```'));
  if (!match) throw new Error(`no ${lang} block under ${heading}`);
  return match[1];
}

async function writeSampleRecord(
  options: { dir?: string; ssh?: SshIdentity; login?: string; runId?: string } = {},
): Promise<{ dir: string; record: string; pem: string }> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'handrail-docs-'));
  const pair = generateKeyPairSync('ed25519');
  const key: SigningKey = { ...pair, keyid: keyId(pair.publicKey), source: 'file' };
  const runbook: Runbook = {
    path: 'runbooks/r.md',
    dir,
    source: '',
    sha256: 'e'.repeat(64),
    meta: { id: 'r', title: 'Rollback — émergence', version: '2.0.0' },
    steps: [],
  };
  const bus = new EventBus();
  const ssh = options.ssh;
  const recorder = startRecorder(bus, {
    runbook,
    stateDir: join(dir, 'state'),
    recordDir: join(dir, 'records'),
    signingKey: async () => key,
    ...(ssh ? { sshIdentity: async () => ssh } : {}),
  });
  const t = (s: number) => new Date(Date.UTC(2025, 5, 1, 12, 0, s)).toISOString();
  bus.emit({
    type: 'run-started',
    at: t(0),
    runId: options.runId ?? 'abc',
    mode: 'rehearsal',
    runbook: { path: 'runbooks/r.md', id: 'r', title: 'Rollback — émergence', version: '2.0.0', sha256: 'e'.repeat(64) },
    steps: [{ id: 'one', index: 0, kind: 'run', title: 'Roll back ✓', section: 'x' }],
    operator: { user: 'oncall', host: 'pager' },
    tool: { name: 'handrail', version: '0.1.0' },
  });
  if (options.login) bus.emit({ type: 'github-login', at: t(0), login: options.login });
  bus.emit({ type: 'step-started', at: t(1), stepId: 'one', index: 0, attempt: 1, display: 'echo', rehearsal: true });
  bus.emit({ type: 'step-finished', at: t(2), stepId: 'one', index: 0, status: 'rehearsed', startedAt: t(1), durationMs: 1000 });
  bus.emit({ type: 'run-ended', at: t(3), outcome: 'completed' });
  const path = await recorder.finish();
  writeFileSync(join(dir, 'record.json'), readFileSync(path));
  writeFileSync(join(dir, 'signer.pem'), publicKeyPem(pair.publicKey));
  return { dir, record: readFileSync(path, 'utf8'), pem: publicKeyPem(pair.publicKey) };
}

function tamper(dir: string): void {
  const envelope = JSON.parse(readFileSync(join(dir, 'record.json'), 'utf8'));
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
  statement.predicate.outcome = 'failed';
  envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
  writeFileSync(join(dir, 'record.json'), JSON.stringify(envelope));
}

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const hasPythonCryptography = spawnSync('python3', ['-c', 'import cryptography']).status === 0;

describe('docs/record.md', () => {
  it('publishes the JSON Schema the predicate is built from', () => {
    const published = JSON.parse(readFileSync(join(ROOT, 'docs', 'record-predicate.schema.json'), 'utf8'));
    expect(published).toEqual(JSON.parse(JSON.stringify(predicateJsonSchema())));
  });

  it('is enough to write a verifier that accepts handrail records and refuses changed ones', async () => {
    const { record, pem } = await writeSampleRecord();
    const result = docsVerifier(record, pem);
    expect(result.ok).toBe(true);
    expect(result.predicate).toMatchObject({ outcome: 'completed', mode: 'rehearsal', runbook: { id: 'r' } });
    const other = publicKeyPem(generateKeyPairSync('ed25519').publicKey);
    expect(docsVerifier(record, other).ok).toBe(false);
    const envelope = JSON.parse(record);
    envelope.payload = Buffer.from(Buffer.from(envelope.payload, 'base64').toString().replace('rehearsal', 'live')).toString('base64');
    expect(docsVerifier(JSON.stringify(envelope), pem).ok).toBe(false);
  });

  it.runIf(has('openssl') && has('jq'))('openssl recipe verifies a record, and fails once it is changed', async () => {
    const { dir } = await writeSampleRecord();
    const script = codeBlock('### With openssl', 'sh');
    const good = spawnSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8' });
    expect(good.stderr + good.stdout).toContain('Signature Verified Successfully');
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('"outcome": "completed"');
    tamper(dir);
    const bad = spawnSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
  });

  it.runIf(has('ssh-keygen') && has('jq') && has('curl'))(
    "ssh-keygen recipe: the team's allowed-signers file from GitHub's API, then Good signature; a changed record or a copied signature fails",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'handrail-docs-ssh-'));
      const alice = makeKey(dir, 'alice-key');
      const github = await startGithubServer({ state: { sshSigningKeys: { alice: [{ key: alice.line }], bob: [] } } });
      try {
        const ssh = await findSshIdentity({ env: { HANDRAIL_SSH_SIGNING_KEY: alice.path } });
        expect(ssh.status).toBe('ready');
        await writeSampleRecord({ dir, ssh, login: 'alice' });
        const blocks = [...DOC.slice(DOC.indexOf('### Who signed it, with ssh-keygen')).matchAll(/```sh\n([\s\S]*?)```/g)].map(
          (m) => m[1]!,
        );
        const [team, check] = blocks;
        const env = { ...process.env, GITHUB_API: github.url };
        // Asynchronously: the loopback GitHub answers curl from this same process.
        const built = await new Promise<number | null>((done) =>
          spawn('sh', ['-c', team!], { cwd: dir, env, stdio: 'ignore' }).on('close', done),
        );
        expect(built).toBe(0);
        expect(readFileSync(join(dir, 'team.allowed'), 'utf8')).toBe(`alice namespaces="handrail-record" ${alice.line}\n`);
        const good = spawnSync('sh', ['-c', check!], { cwd: dir, encoding: 'utf8' });
        expect(good.stdout + good.stderr).toContain(`Good "handrail-record" signature for alice with ED25519 key ${alice.fingerprint}`);
        expect(good.status).toBe(0);

        const original = readFileSync(join(dir, 'record.json'), 'utf8');
        tamper(dir);
        expect(spawnSync('sh', ['-c', check!], { cwd: dir, encoding: 'utf8' }).status).not.toBe(0);

        // Another record by the same key: its SSH signature pasted into this one does not check.
        const otherDir = mkdtempSync(join(tmpdir(), 'handrail-docs-ssh-'));
        const other = await writeSampleRecord({ dir: otherDir, ssh, login: 'alice', runId: 'another-run' });
        const forged = JSON.parse(original);
        forged.signatures[1] = JSON.parse(other.record).signatures[1];
        writeFileSync(join(dir, 'record.json'), JSON.stringify(forged));
        expect(spawnSync('sh', ['-c', check!], { cwd: dir, encoding: 'utf8' }).status).not.toBe(0);
      } finally {
        await github.close();
      }
    },
  );

  it.runIf(hasPythonCryptography)('Python recipe verifies a record, and fails once it is changed', async () => {
    const { dir } = await writeSampleRecord();
    writeFileSync(join(dir, 'verify_record.py'), codeBlock('### With Python', 'python'));
    const good = spawnSync('python3', ['verify_record.py', 'record.json', 'signer.pem'], { cwd: dir, encoding: 'utf8' });
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(/^r completed /);
    expect(good.stdout).toMatch(/rehearsed\s+one/);
    tamper(dir);
    const bad = spawnSync('python3', ['verify_record.py', 'record.json', 'signer.pem'], { cwd: dir, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/InvalidSignature/);
  });
});
