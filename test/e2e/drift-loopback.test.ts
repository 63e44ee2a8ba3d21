// SPEC §6.5 with the real CLI: the bundled cleanup rehearsed against the loopback GitHub, then run
// live after the package changed; and a drift=ignore capture that changes every run.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/cli';
import { startGithubServer, type GithubServer } from '../helpers/github-server';
import { statementOf } from '../helpers/docker-standin';
import type { RunEvent } from '../../src/core/events';

const TOKEN = 'ghp_cleanupDriftToken0123456789abcdefAB';
let github: GithubServer;
let home: { root: string; env: NodeJS.ProcessEnv };

async function handrail(runbook: string, extra: string[]) {
  const result = await runCli(
    ['run', runbook, '--yes', '--json', '--github-api', github.url, '--record-dir', join(home.root, 'records'), ...extra],
    { env: { ...home.env, GHCR_CLEANUP_PAT: TOKEN }, timeoutMs: 60_000 },
  );
  const events = result.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as RunEvent);
  const written = events.find((e) => e.type === 'record-written');
  return { ...result, events, recordPath: written?.type === 'record-written' ? written.path : '' };
}

const versionIds = () => github.state.packages['craton-co/tensor-wasm']!.versions.map((v) => v.id);
const deletes = () => github.requests.filter((r) => r.method === 'DELETE');

beforeEach(async () => {
  home = tempHome('handrail-drift-loopback-');
  github = await startGithubServer({
    state: {
      tokens: { [TOKEN]: { login: 'janitor', scopes: ['read:packages', 'delete:packages'] } },
      packages: {
        'craton-co/tensor-wasm': {
          visibility: 'public',
          versions: [
            { id: 101, name: `sha256:${'1'.repeat(64)}`, tags: ['0.3.7', 'latest'] },
            { id: 102, name: `sha256:${'2'.repeat(64)}`, tags: ['0.3.7-local'] },
            { id: 103, name: `sha256:${'3'.repeat(64)}`, tags: [] },
          ],
        },
      },
    },
  });
});

afterEach(async () => {
  await github.close();
  rmSync(home.root, { recursive: true, force: true });
});

describe('ghcr-package-cleanup deletes only what its rehearsal listed', () => {
  const cleanup = 'runbooks/ghcr-package-cleanup.md';

  it('a version added between the rehearsal and the live run is not deleted', async () => {
    const rehearsal = await handrail(cleanup, ['--dry-run', '--set', 'VERSION_ID=102']);
    expect(rehearsal.code, rehearsal.stderr).toBe(0);
    const plan = statementOf(readFileSync(rehearsal.recordPath, 'utf8')).predicate.plan!;
    expect(plan.steps.find((s) => s.id === 'list-org-versions')?.captured.VERSIONS).toContain('"value":"103"');

    github.state.packages['craton-co/tensor-wasm']!.versions.push({ id: 104, name: `sha256:${'4'.repeat(64)}`, tags: [] });
    const live = await handrail(cleanup, ['--set', 'VERSION_ID=104']);
    expect(live.code).toBe(1);
    expect(live.events.filter((e) => e.type === 'drift').map((e) => e.type === 'drift' && e.name)).toEqual([
      'VERSIONS',
      'VERSION_ID',
      'VERSION_DIGEST',
      'VERSION_TAGS',
    ]);
    expect(deletes()).toEqual([]);
    expect(versionIds()).toEqual([101, 102, 103, 104]);

    // Told about the new list, the operator goes on with the version the rehearsal picked: that one goes, 104 stays.
    const accepted = await handrail(cleanup, ['--set', 'VERSION_ID=102', '--accept-drift']);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(deletes().map((r) => r.path)).toEqual(['/orgs/craton-co/packages/container/tensor-wasm/versions/102']);
    expect(versionIds()).toEqual([101, 103, 104]);
    const drifts = statementOf(readFileSync(accepted.recordPath, 'utf8')).predicate.drifts!;
    expect(drifts).toHaveLength(1);
    expect(drifts[0]).toMatchObject({
      stepId: 'list-org-versions',
      name: 'VERSIONS',
      decision: 'accepted',
      by: '@janitor',
      auto: true,
      beforeStepId: 'delete-org-version',
    });
    expect(drifts[0]!.now).toContain('"value":"104"');
    expect(drifts[0]!.rehearsed).not.toContain('"value":"104"');
  }, 120_000);
});

describe('drift=ignore', () => {
  it('a value that changes by nature does not stop the live run, nor does the command that uses it', async () => {
    const runbook = 'test/fixtures/runbooks/drift-ignore.md';
    const rehearsal = await handrail(runbook, ['--dry-run']);
    expect(rehearsal.code, rehearsal.stderr).toBe(0);
    const live = await handrail(runbook, []);
    expect(live.code, live.stderr).toBe(0);
    expect(live.events.filter((e) => e.type === 'drift')).toEqual([]);
    const stamps = [rehearsal, live].map((r) => r.events.find((e) => e.type === 'capture' && e.name === 'STAMP'));
    expect(stamps[0]).not.toEqual(stamps[1]);
    const p = statementOf(readFileSync(live.recordPath, 'utf8')).predicate;
    expect(p.rehearsal?.reliedOn?.planDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
  }, 60_000);
});
