// The bundled emergency rollback against a real OCI registry: Debian's docker-registry on loopback,
// images pushed with the real skopeo, the versions listed by the loopback GitHub. What cannot run
// here is Docker itself (no engine on this machine), so `docker` is a stand-in that answers the two
// `docker buildx imagetools` commands the runbook uses by running skopeo against that registry:
// the digests, tags and moves are the registry's own.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, tempHome } from '../helpers/cli';
import { writeDockerStandIn } from '../helpers/docker-standin';
import { hasTmux } from '../helpers/tmux';
import { tmuxPerTest } from '../helpers/tui-acceptance';
import { startGithubServer, type GithubServer } from '../helpers/github-server';
import { haveRegistryTools, startOciRegistry, type OciRegistry } from '../helpers/oci-registry';
import type { RunEvent } from '../../src/core/events';

const TOKEN = 'ghp_registryTestToken0123456789abcdefABCD';
const VARIANTS = ['base', 'copilot', 'codex', 'claude', 'proxy', 'log-forwarder'];
const tools = haveRegistryTools();

let scratch: string;
let registry: OciRegistry;
let github: GithubServer;
let bin: string;
let noop: string;
let good: string;
let bad: string;
const variantDigests: Record<string, string> = {};

async function rollback(sets: string[]): Promise<{ code: number | null; events: RunEvent[]; stderr: string }> {
  const home = tempHome('handrail-rollback-');
  const docker = join(home.root, 'docker');
  mkdirSync(docker);
  writeFileSync(join(docker, 'config.json'), JSON.stringify({ auths: { 'ghcr.io': {} } }));
  const result = await runCli(
    [
      'run',
      'runbooks/emergency-rollback.md',
      '--yes',
      '--json',
      '--github-api',
      github.url,
      '--record-dir',
      join(home.root, 'records'),
      '--set',
      'OWNER=acme',
      '--set',
      'IMAGE=app',
      // Asked only when the payload is rolled back too (it is not here), but --yes wants every value up front.
      '--set',
      'GOOD_VERSION=v0.0.0',
      '--set',
      `GOOD_METADATA_DIGEST=sha256:${'0'.repeat(64)}`,
      ...sets.flatMap((s) => ['--set', s]),
    ],
    {
      env: { ...home.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, GHCR_PAT: TOKEN, DOCKER_CONFIG: docker },
      timeoutMs: 120_000,
    },
  );
  rmSync(home.root, { recursive: true, force: true });
  const events = result.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as RunEvent);
  return { code: result.code, events, stderr: result.stderr };
}

/** Versions listed by GitHub that this registry never saw: they only make the list long. */
const filler = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => ({
    id: 199 - from - i,
    name: `sha256:${(from + i).toString(16).padStart(64, 'f')}`,
    tags: [`sha-f${from + i}`],
    created_at: '2026-11-01T00:00:00Z',
  }));

const tmux = tmuxPerTest();

/** The TUI at 80×24 on the rollback, live against the same registry and loopback GitHub. */
function rollbackScreen() {
  const home = tempHome('handrail-rollback-tui-');
  const docker = join(home.root, 'docker');
  mkdirSync(docker);
  writeFileSync(join(docker, 'config.json'), JSON.stringify({ auths: { 'ghcr.io': {} } }));
  const env = {
    ...(home.env as Record<string, string>),
    PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
    GHCR_PAT: TOKEN,
    DOCKER_CONFIG: docker,
    HANDRAIL_NO_KEYCHAIN: '1',
    TERM: 'xterm-256color',
  };
  const args = [
    'run',
    'runbooks/emergency-rollback.md',
    '--github-api',
    github.url,
    '--record-dir',
    join(home.root, 'records'),
    '--set',
    'OWNER=acme',
    '--set',
    'IMAGE=app',
  ];
  return { t: tmux(`node ${BIN} ${args.join(' ')}`, { cwd: ROOT, env, columns: 80, rows: 24 }), home };
}

const finished = (events: RunEvent[]) =>
  Object.fromEntries(events.flatMap((e) => (e.type === 'step-finished' ? [[e.stepId, e.status]] : [])));

describe.skipIf(!tools)('emergency rollback against a real registry (docker-registry + skopeo)', () => {
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'handrail-rollback-fixture-'));
    bin = join(scratch, 'bin');
    mkdirSync(bin);
    noop = join(scratch, 'noop');
    registry = await startOciRegistry();
    writeDockerStandIn(bin, registry.host, noop);
    good = await registry.push('acme/app', 'sha-600d600', 'the good build');
    bad = await registry.push('acme/app', 'sha-badbad1', 'the bad build');
    await registry.push('acme/app', 'prod', 'the bad build');
    for (const v of VARIANTS) variantDigests[v] = await registry.push(`acme/app-${v}`, 'prod', `variant ${v}`);
    github = await startGithubServer({
      state: {
        tokens: { [TOKEN]: { login: 'oncall', scopes: ['read:packages'] } },
        packages: {
          'acme/app': {
            visibility: 'public',
            // 150 versions, newest first: the bad one (prod now), 23 builds never pushed here, the good
            // one 25th, then older ones; GitHub serves them 100 to a page.
            versions: [
              { id: 200, name: bad, tags: ['prod', 'sha-badbad1'], created_at: '2026-11-29T03:00:00Z' },
              ...filler(1, 24),
              { id: 100, name: good, tags: ['sha-600d600'], created_at: '2026-11-28T12:00:00Z' },
              ...filler(25, 150),
            ],
          },
          ...Object.fromEntries(VARIANTS.map((v) => [`acme/app-${v}`, { visibility: 'public' as const, versions: [] }])),
        },
      },
    });
  }, 120_000);

  afterAll(async () => {
    await github?.close();
    await registry?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('setup: prod points at the bad build', async () => {
    expect(good).not.toBe(bad);
    expect(await registry.digestOf('acme/app', 'prod')).toBe(bad);
  });

  it('refuses a digest that is not among the versions GitHub lists, before any re-tag', async () => {
    const other = `sha256:${'e'.repeat(64)}`;
    const run = await rollback([`GOOD_DIGEST=${other}`]);
    expect(run.code, run.stderr).toBe(1);
    const steps = finished(run.events);
    expect(steps['pick-main']).toBe('failed');
    expect(steps['retag-main']).toBeUndefined();
    const failed = run.events.find((e) => e.type === 'step-finished' && e.stepId === 'pick-main');
    expect(JSON.stringify(failed)).toContain(`GOOD_DIGEST must be one of the 150 values offered (${bad}, `);
    expect(await registry.digestOf('acme/app', 'prod')).toBe(bad);
  }, 150_000);

  it('refuses the digest prod points at now, in one sentence, before any re-tag', async () => {
    const run = await rollback([`GOOD_DIGEST=${bad}`]);
    expect(run.code, run.stderr).toBe(1);
    const steps = finished(run.events);
    expect(steps['current-main']).toBe('passed');
    expect(steps['pick-main']).toBe('failed');
    expect(steps['retag-main']).toBeUndefined();
    const failed = run.events.find((e) => e.type === 'step-finished' && e.stepId === 'pick-main');
    expect(JSON.stringify(failed)).toContain(`GOOD_DIGEST cannot be ${bad}: it is the value in use now (CURRENT_DIGEST); pick another.`);
    expect(await registry.digestOf('acme/app', 'prod')).toBe(bad);
  }, 150_000);

  it('a re-tag that changes nothing is caught by the runbook’s own digest check', async () => {
    writeFileSync(noop, '');
    try {
      const run = await rollback([`GOOD_DIGEST=${good}`]);
      expect(run.code, run.stderr).toBe(1);
      const steps = finished(run.events);
      expect(steps['retag-main']).toBe('passed');
      expect(steps['main-rolled-back']).toBe('failed');
      expect(await registry.digestOf('acme/app', 'prod')).toBe(bad);
    } finally {
      rmSync(noop);
    }
  }, 150_000);

  it('moves prod back to the good digest, the 25th of 150 versions GitHub lists, and leaves the variants alone', async () => {
    const run = await rollback([`GOOD_DIGEST=${good}`]);
    const steps = finished(run.events);
    expect(run.code, JSON.stringify(run.events.filter((e) => e.type === 'step-finished' && e.status === 'failed'))).toBe(0);
    expect(steps['pick-main']).toBe('passed');
    expect(steps['type-main']).toBe('skipped');
    expect(steps['good-digest-exists']).toBe('passed');
    expect(steps['retag-main']).toBe('passed');
    expect(steps['main-rolled-back']).toBe('passed');
    for (const v of VARIANTS) expect(steps[`retag-${v}`]).toBe('skipped');
    expect(await registry.digestOf('acme/app', 'prod')).toBe(good);
    // The bad build stays under its sha tag for the post-mortem, and no variant moved.
    expect(await registry.digestOf('acme/app', 'sha-badbad1')).toBe(bad);
    for (const v of VARIANTS) expect(await registry.digestOf(`acme/app-${v}`, 'prod')).toBe(variantDigests[v]);
    // The versions were listed through the user/org-aware route GitHub documents.
    // Both pages were read (the good version is 25th of 150, beyond GitHub's default page of 30).
    const pages = github.requests.filter((r) => r.method === 'GET' && r.path === '/orgs/acme/packages/container/app/versions');
    expect(pages.slice(-2).map((r) => r.query.page ?? '1')).toEqual(['1', '2']);
    expect(existsSync(noop)).toBe(false);
  }, 150_000);

  it.skipIf(!hasTmux)(
    'at 80×24: the list starts on a version that is not prod now, Enter on prod is refused, and the confirm shows both digests',
    async () => {
      // The tests above moved prod to the good build: point it back at the bad one, as on the night.
      expect(await registry.push('acme/app', 'prod', 'the bad build')).toBe(bad);
      const { t, home } = rollbackScreen();
      try {
        await t.waitFor('Moving tag to roll back', 30_000);
        t.send('Enter');
        await t.waitFor('Press Enter to start', 30_000);
        t.send('Enter');
        const list = await t.waitFor(/❯ .*sha-f1/, 60_000);
        // prod now is marked on its own row, and it is not the highlighted one.
        expect(list).toMatch(new RegExp(`^  .*${bad.slice(0, 19)}  prod, sha-badbad1 ◀ in use now`, 'm'));
        expect(list).not.toMatch(/❯ .*◀ in use now/);
        t.send('Up');
        await t.waitFor(/❯ .*◀ in use now/);
        t.send('Enter');
        const refused = await t.waitFor('it is the value in use now (CURRENT_DIGEST); pick another.');
        expect(refused.replace(/\n/g, '')).toContain(`GOOD_DIGEST cannot be ${bad}`);
        // The 25th version is reached by scrolling (GitHub served it on page 1 of 2 at 100 a page).
        await new Promise((r) => setTimeout(r, 300));
        for (let i = 0; i < 23; i++) t.send('Down');
        const good25 = await t.waitFor(/❯ .*sha-600d600/);
        expect(good25).toContain(`value: ${good}`);
        t.send('Enter');
        // The confirm of the re-tag shows what the checks established, whatever the last one printed.
        const confirm = await t.waitFor('This step is marked confirm: run it?', 60_000);
        expect(confirm).toMatch(new RegExp(`app:prod points at:\\s*\\n\\s*${bad}`));
        expect(confirm).toMatch(new RegExp(`Good digest exists:\\s*\\n\\s*${good}`));
        // Nothing was moved: the operator has not said yes.
        expect(await registry.digestOf('acme/app', 'prod')).toBe(bad);
        t.send('q');
        await t.waitFor(/Abort/);
        t.send('y');
        await t.waitFor('Press any key to exit', 30_000);
        t.send('Enter');
        await t.waitFor(/EXIT=1/, 30_000);
      } finally {
        rmSync(home.root, { recursive: true, force: true });
      }
    },
    150_000,
  );
});
