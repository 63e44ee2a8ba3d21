// docs/record.md says how to recompute a rehearsal's plan digest without handrail. These tests run
// its Python and jq recipes verbatim against a rehearsal record the recorder writes, with values a
// canonical form could get wrong (non-ASCII, quotes, newlines, control characters).
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/bus';
import { startRecorder } from '../../src/record/recorder';
import { keyId } from '../../src/record/dsse';
import type { SigningKey } from '../../src/record/keys';
import type { Runbook } from '../../src/core/model';

const DOC = readFileSync(resolve(import.meta.dirname, '..', '..', 'docs', 'record.md'), 'utf8');
const section = DOC.slice(DOC.indexOf('### The plan and its digest'));
const block = (lang: string) => section.match(new RegExp('```' + lang + '\\n([\\s\\S]*?)```'))![1]!;
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

async function rehearsalRecord(): Promise<{ dir: string; planDigest: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'handrail-plan-docs-'));
  const pair = generateKeyPairSync('ed25519');
  const key: SigningKey = { ...pair, keyid: keyId(pair.publicKey), source: 'file' };
  const runbook: Runbook = {
    path: 'runbooks/r.md',
    dir,
    source: '',
    sha256: 'e'.repeat(64),
    meta: { id: 'r', title: 'R', version: '1.0.0' },
    steps: [],
  };
  const bus = new EventBus();
  const recorder = startRecorder(bus, {
    runbook,
    stateDir: join(dir, 'state'),
    recordDir: join(dir, 'records'),
    signingKey: async () => key,
  });
  const at = new Date(Date.UTC(2026, 0, 1)).toISOString();
  bus.emit({
    type: 'run-started',
    at,
    runId: 'plan',
    mode: 'rehearsal',
    runbook: { path: 'runbooks/r.md', id: 'r', title: 'R', version: '1.0.0', sha256: 'e'.repeat(64) },
    steps: [
      { id: 'read', index: 0, kind: 'check', title: 'Lire l’étiquette ✓', section: 's', driftIgnore: true },
      { id: 'Zed', index: 1, kind: 'run', title: 'Move', section: 's' },
      { id: 'never', index: 2, kind: 'run', title: 'Never', section: 's' },
    ],
    operator: { user: 'oncall', host: 'pager' },
    tool: { name: 'handrail', version: '0.1.0' },
  });
  bus.emit({ type: 'input-given', at, name: 'ÉTAT', value: 'naïve "quoted" \\ back\tslash', source: 'set' });
  bus.emit({ type: 'step-started', at, stepId: 'read', index: 0, attempt: 1, display: 'cat tag', rehearsal: false });
  bus.emit({ type: 'capture', at, stepId: 'read', name: 'TAG', value: 'sha256:aaa\napp-base  sha256:bbb ␛[8m \u001b' });
  bus.emit({ type: 'step-finished', at, stepId: 'read', index: 0, status: 'passed', startedAt: at, durationMs: 1 });
  bus.emit({ type: 'step-started', at, stepId: 'Zed', index: 1, attempt: 1, display: '# TAG="sha256:aaa"\necho 日本 🚀', rehearsal: true });
  bus.emit({ type: 'step-finished', at, stepId: 'Zed', index: 1, status: 'rehearsed', startedAt: at, durationMs: 1 });
  bus.emit({ type: 'step-finished', at, stepId: 'never', index: 2, status: 'skipped', reason: 'condition', startedAt: at, durationMs: 0 });
  bus.emit({ type: 'run-ended', at, outcome: 'completed' });
  const path = await recorder.finish();
  writeFileSync(join(dir, 'record.json'), readFileSync(path));
  const payload = JSON.parse(Buffer.from(JSON.parse(readFileSync(path, 'utf8')).payload, 'base64').toString('utf8'));
  return { dir, planDigest: payload.predicate.planDigest };
}

describe('docs/record.md: the plan digest, recomputed without handrail', () => {
  it.skipIf(!has('python3'))('the Python recipe gives the digest the record states', async () => {
    const { dir, planDigest } = await rehearsalRecord();
    writeFileSync(join(dir, 'plan_digest.py'), block('python'));
    const out = spawnSync('python3', ['plan_digest.py', 'record.json'], { cwd: dir, encoding: 'utf8' });
    expect(out.stderr).toBe('');
    expect(out.stdout.trim()).toBe(`${planDigest} matches`);
  });

  it.skipIf(!has('jq') || !has('sha256sum'))('the jq recipe gives the same digest', async () => {
    const { dir, planDigest } = await rehearsalRecord();
    const out = spawnSync('sh', ['-c', block('sh')], { cwd: dir, encoding: 'utf8' });
    expect(`sha256:${out.stdout.split(' ')[0]}`).toBe(planDigest);
  });
});
