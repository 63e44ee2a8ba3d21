// A record-signing key that cannot sign is found before step 1 (SPEC §6): the run does not start
// (exit 2, one sentence saying what to do), nothing runs, and no journal or record is left half
// made. The key lives in its fallback file (HANDRAIL_NO_KEYCHAIN=1) so each test can spoil its own.
import { chownSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/cli';

const isRoot = process.getuid?.() === 0;

function workspace() {
  const home = tempHome('handrail-key-');
  const path = join(home.root, 'key.md');
  const marker = join(home.root, 'step-ran');
  writeFileSync(
    path,
    `---
id: key
title: Signing key
version: 1.0.0
---

# Do it

\`\`\`sh run id=do
touch ${marker}
\`\`\`
`,
  );
  const keyFile = join(home.env.XDG_CONFIG_HOME!, 'handrail', 'record-signing-key.pem');
  mkdirSync(join(home.env.XDG_CONFIG_HOME!, 'handrail'), { recursive: true });
  const run = () =>
    runCli(['run', path, '--yes', '--record-dir', join(home.root, 'records')], {
      cwd: home.root,
      env: { ...home.env, HANDRAIL_NO_KEYCHAIN: '1' },
    });
  const nothingLeft = () => {
    expect(existsSync(marker)).toBe(false);
    const journals = join(home.env.XDG_STATE_HOME!, 'handrail', 'journals');
    expect(existsSync(journals) ? readdirSync(journals) : []).toEqual([]);
    const records = join(home.root, 'records');
    expect(existsSync(records) ? readdirSync(records) : []).toEqual([]);
  };
  return { home, keyFile, run, nothingLeft };
}

function expectOneSentence(stderr: string, about: RegExp) {
  expect(stderr).not.toMatch(/\n\s+at /);
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^handrail: Nothing was run: .*record-signing key/);
  expect(lines[0]).toMatch(about);
  expect(lines[0]).toMatch(/remove it|fix/);
}

describe('a signing key that cannot sign stops the run before step 1', () => {
  it('a corrupt key file', async () => {
    const w = workspace();
    writeFileSync(w.keyFile, '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n', { mode: 0o600 });
    const r = await w.run();
    expect(r.code).toBe(2);
    expectOneSentence(r.stderr, /not a readable private key/);
    w.nothingLeft();
  });

  it('an unreadable key file (a folder where the file should be)', async () => {
    const w = workspace();
    mkdirSync(w.keyFile);
    const r = await w.run();
    expect(r.code).toBe(2);
    expectOneSentence(r.stderr, /Cannot read|cannot read/);
    w.nothingLeft();
  });

  it('a key file that is a symlink to somebody else’s key', async () => {
    const w = workspace();
    const elsewhere = join(w.home.root, 'elsewhere.pem');
    writeFileSync(elsewhere, 'whatever', { mode: 0o600 });
    symlinkSync(elsewhere, w.keyFile);
    const r = await w.run();
    expect(r.code).toBe(2);
    expectOneSentence(r.stderr, /symlink/);
    w.nothingLeft();
  });

  it.skipIf(!isRoot)('a key file owned by another user (chown needs root)', async () => {
    const w = workspace();
    // A real Ed25519 key: only its owner is wrong.
    const { generateKeyPairSync } = await import('node:crypto');
    writeFileSync(w.keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    chownSync(w.keyFile, 65534, 65534);
    const r = await w.run();
    expect(r.code).toBe(2);
    expectOneSentence(r.stderr, /belongs to another user \(uid 65534\)/);
    w.nothingLeft();
  });

  it('a good key file still signs the record', async () => {
    const w = workspace();
    const r = await w.run();
    expect(r.code).toBe(0);
    expect(readdirSync(join(w.home.root, 'records'))).toHaveLength(1);
  });
});
