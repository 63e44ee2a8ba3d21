// What the record tests share: an in-memory signing key, the "deploy" runbook and its run-started event.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EventBus } from '../../src/core/bus';
import type { RunEvent, StepSummary } from '../../src/core/events';
import { startRecorder } from '../../src/record';
import type { SshIdentity } from '../../src/record/ssh-identity';
import type { Runbook } from '../../src/core/model';
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

/**
 * A run of the deploy runbook, recorded in a new folder under `dir` with `signingKey` and the given
 * SSH identity and GitHub login: started, then ended, with no step between.
 */
export async function recordRun(
  dir: string,
  options: { signingKey: SigningKey; identity: SshIdentity; login?: string; outcome?: 'completed' | 'failed'; beforeFinish?: () => void },
): Promise<{ path: string; text: string; events: RunEvent[] }> {
  const bus = new EventBus();
  const events: RunEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const root = mkdtempSync(join(dir, 'run-'));
  const recorder = startRecorder(bus, {
    runbook: deployRunbook,
    stateDir: join(root, 'state'),
    recordDir: join(root, 'records'),
    signingKey: async () => options.signingKey,
    sshIdentity: async () => options.identity,
  });
  const at = new Date().toISOString();
  bus.emit(runStarted({ at, runId: 'r1' }));
  if (options.login) bus.emit({ type: 'github-login', at, login: options.login });
  bus.emit({ type: 'run-ended', at, outcome: options.outcome ?? 'completed' });
  options.beforeFinish?.();
  const path = await recorder.finish();
  return { path, text: readFileSync(path, 'utf8'), events };
}
