// What the record tests share: an in-memory signing key, the "deploy" runbook and its run-started event.
import { generateKeyPairSync } from 'node:crypto';
import { resolve } from 'node:path';
import type { RunEvent, StepSummary } from '../../src/engine/events';
import type { Runbook } from '../../src/runbook/model';
import { keyId } from '../../src/record/dsse';
import type { SigningKey } from '../../src/record/keys';

export function testSigningKey(): SigningKey {
  const pair = generateKeyPairSync('ed25519');
  return { ...pair, keyid: keyId(pair.publicKey), source: 'file' };
}

export const deployRunbook: Runbook = {
  path: 'runbooks/deploy.md',
  dir: resolve('runbooks'),
  source: '',
  sha256: 'a'.repeat(64),
  meta: { id: 'deploy', title: 'Deploy', version: '1.2.0' },
  steps: [],
};

export function runStarted(options: { at?: string; runId?: string; steps?: StepSummary[] } = {}): RunEvent {
  return {
    type: 'run-started',
    at: options.at ?? '2025-01-02T03:00:00.000Z',
    runId: options.runId ?? 'run-1',
    runbook: { path: deployRunbook.path, id: 'deploy', title: 'Deploy', version: '1.2.0', sha256: deployRunbook.sha256 },
    mode: 'live',
    steps: options.steps ?? [],
    operator: { user: 'ops', host: 'box' },
    tool: { name: 'handrail', version: '0.1.0' },
  };
}
