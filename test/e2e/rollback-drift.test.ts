// SPEC §6.5 with the bundled emergency rollback, a real OCI registry (docker-registry + skopeo) and
// the loopback GitHub: rehearse, then run live, with the world held still or moved in between.
// Docker itself cannot run here; test/helpers/docker-standin.ts answers its two commands with skopeo.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, tempHome } from '../helpers/cli';
import { startGithubServer, type GithubServer } from '../helpers/github-server';
import { haveRegistryTools, startOciRegistry, type OciRegistry } from '../helpers/oci-registry';
import { statementOf, writeDockerStandIn } from '../helpers/docker-standin';
import { hasTmux, startTmux } from '../helpers/tmux';
import type { RunEvent } from '../../src/core/events';

const TOKEN = 'ghp_driftTestToken0123456789abcdefABCDEF';
const VARIANTS = ['base', 'copilot', 'codex', 'claude', 'proxy', 'log-forwarder'];

let scratch: string;
let home: { root: string; env: NodeJS.ProcessEnv };
let env: Record<string, string>;
let registry: OciRegistry;
let github: GithubServer;
let good: string;
let bad: string;
let rehearsalPlanDigest: string;
let rehearsalRecord: string;

const SETS = ['OWNER=acme', 'IMAGE=app', 'CHANNEL=prod', 'GOOD_VERSION=v0.0.0', `GOOD_METADATA_DIGEST=sha256:${'0'.repeat(64)}`];

function args(extra: string[], sets: string[] = []): string[] {
  const given = new Map([...SETS, ...sets].map((s) => [s.split('=')[0]!, s]));
  return [
    'run',
    'runbooks/emergency-rollback.md',
    '--github-api',
    github.url,
    '--record-dir',
    join(home.root, 'records'),
    ...extra,
    ...[...given.values()].flatMap((s) => ['--set', s]),
  ];
}

async function handrail(extra: string[], sets: string[] = []) {
  const result = await runCli(args(extra, sets), { env, timeoutMs: 120_000 });
  const events = result.stdout
    .split('\n')
    .filter((l) => extra.includes('--json') && l.startsWith('{'))
    .map((l) => JSON.parse(l) as RunEvent);
  const written = events.find((e) => e.type === 'record-written');
  const recordPath = written?.type === 'record-written' ? written.path : (/^Record: (.+)$/m.exec(result.stdout)?.[1] ?? '');
  return { ...result, events, recordPath };
}

const started = (events: RunEvent[]) => events.flatMap((e) => (e.type === 'step-started' ? [e.stepId] : []));
const drifts = (events: RunEvent[]) => events.flatMap((e) => (e.type === 'drift' ? [e] : []));

describe.skipIf(!haveRegistryTools())('the rollback’s live run holds to its rehearsal (real registry, loopback GitHub)', () => {
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'handrail-drift-e2e-'));
    const bin = join(scratch, 'bin');
    mkdirSync(bin);
    registry = await startOciRegistry();
    writeDockerStandIn(bin, registry.host, join(scratch, 'noop'));
    good = await registry.push('acme/app', 'sha-600d600', 'the good build');
    bad = await registry.push('acme/app', 'sha-badbad1', 'the bad build');
    await registry.push('acme/app', 'prod', 'the bad build');
    for (const v of VARIANTS) await registry.push(`acme/app-${v}`, 'prod', `variant ${v}`);
    github = await startGithubServer({
      state: {
        tokens: { [TOKEN]: { login: 'oncall', scopes: ['read:packages'] } },
        packages: {
          'acme/app': {
            visibility: 'public',
            versions: [
              { id: 2, name: bad, tags: ['prod', 'sha-badbad1'], created_at: '2026-11-29T03:00:00Z' },
              { id: 1, name: good, tags: ['sha-600d600'], created_at: '2026-11-28T12:00:00Z' },
            ],
          },
          ...Object.fromEntries(VARIANTS.map((v) => [`acme/app-${v}`, { visibility: 'public' as const, versions: [] }])),
        },
      },
    });
    // One operator's machine for the whole file: the rehearsal's record is where the live runs look.
    home = tempHome('handrail-drift-home-');
    const docker = join(home.root, 'docker');
    mkdirSync(docker);
    writeFileSync(join(docker, 'config.json'), JSON.stringify({ auths: { 'ghcr.io': {} } }));
    env = {
      ...(home.env as Record<string, string>),
      PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
      GHCR_PAT: TOKEN,
      DOCKER_CONFIG: docker,
    };

    const rehearsal = await handrail(['--dry-run', '--yes', '--json'], [`GOOD_DIGEST=${good}`]);
    expect(rehearsal.code, rehearsal.stderr).toBe(0);
    const plan = statementOf(readFileSync(rehearsal.recordPath, 'utf8')).predicate;
    expect(plan.plan?.steps.find((s) => s.id === 'current-digests')?.captured.CURRENT_DIGESTS).toContain(bad);
    expect(plan.plan?.steps.find((s) => s.id === 'main-before')?.captured.MAIN_BEFORE).toBe(bad);
    expect(plan.plan?.inputs.GOOD_DIGEST).toBe(good);
    rehearsalPlanDigest = plan.planDigest!;
    rehearsalRecord = rehearsal.recordPath;
  }, 180_000);

  // Each test starts from the world as it was rehearsed: prod on the bad build.
  beforeEach(async () => {
    await registry.push('acme/app', 'prod', 'the bad build');
  }, 60_000);

  afterAll(async () => {
    await github?.close();
    await registry?.close();
    rmSync(scratch, { recursive: true, force: true });
    rmSync(home.root, { recursive: true, force: true });
  });

  it('nothing changed: no drift, the rollback is made, and the live record cites the plan digest it was held to', async () => {
    const live = await handrail(['--yes', '--json'], [`GOOD_DIGEST=${good}`]);
    expect(live.code, live.stderr).toBe(0);
    expect(drifts(live.events)).toEqual([]);
    expect(live.events).toContainEqual(
      expect.objectContaining({
        type: 'notice',
        message: expect.stringContaining(`held to that rehearsal's plan (${rehearsalPlanDigest})`),
      }),
    );
    expect(await registry.digestOf('acme/app', 'prod')).toBe(good);
    const p = statementOf(readFileSync(live.recordPath, 'utf8')).predicate;
    expect(p.rehearsal?.reliedOn?.planDigest).toBe(rehearsalPlanDigest);
    expect(p.drifts).toBeUndefined();
    expect((await runCli(['verify', rehearsalRecord], { env })).stdout).toMatch(
      new RegExp(`^Plan: +${rehearsalPlanDigest} \\(48 steps`, 'm'),
    );
    const verify = await runCli(['verify', live.recordPath], { env });
    expect(verify.stdout).toContain(`Held to:   plan ${rehearsalPlanDigest}`);
    expect(verify.stdout).toContain('Drift:     none; the live run did what was rehearsed');
  }, 150_000);

  it('prod moved since the rehearsal: --yes stops before any re-tag, says so in --json, and the registry is unchanged', async () => {
    const hotfix = await registry.push('acme/app', 'prod', 'another responder’s rollback');
    const live = await handrail(['--yes', '--json'], [`GOOD_DIGEST=${good}`]);
    expect(live.code).toBe(1);
    expect(started(live.events).some((id) => id.startsWith('retag-'))).toBe(false);
    // Each read of prod drifts: the channel's digests, the digest the pick marks as current, and the re-read.
    expect(drifts(live.events).map((d) => d.name)).toEqual(['CURRENT_DIGESTS', 'CURRENT_DIGEST', 'MAIN_BEFORE']);
    expect(drifts(live.events)[1]).toMatchObject({ stepId: 'current-main', rehearsed: bad, now: hotfix });
    expect(drifts(live.events)[2]).toMatchObject({ stepId: 'main-before', rehearsed: bad, now: hotfix });
    const ended = live.events.find((e) => e.type === 'run-ended');
    expect(ended).toMatchObject({ outcome: 'aborted' });
    expect(ended?.type === 'run-ended' && ended.reason).toContain('stopped before "Re-tag app:prod"');
    expect(await registry.digestOf('acme/app', 'prod')).toBe(hotfix);

    const p = statementOf(readFileSync(live.recordPath, 'utf8')).predicate;
    expect(p.drifts?.map((d) => [d.name, d.decision, d.auto, d.beforeStepId])).toEqual([
      ['CURRENT_DIGESTS', 'aborted', true, 'retag-main'],
      ['CURRENT_DIGEST', 'aborted', true, 'retag-main'],
      ['MAIN_BEFORE', 'aborted', true, 'retag-main'],
    ]);
    const verify = await runCli(['verify', live.recordPath], { env });
    expect(verify.stdout).toContain(
      'MAIN_BEFORE (captured by main-before), before retag-main: stopped the run (--yes without --accept-drift)',
    );
    expect(verify.stdout).toContain(`    rehearsed: ${bad}`);
    expect(verify.stdout).toContain(`    now:       ${hotfix}`);
  }, 150_000);

  it('prod moved: line mode shows what was rehearsed and what is now, and stops', async () => {
    const hotfix = await registry.push('acme/app', 'prod', 'another responder’s rollback');
    const live = await handrail(['--yes'], [`GOOD_DIGEST=${good}`]);
    expect(live.code).toBe(1);
    expect(live.stdout).toContain('≠ drift: MAIN_BEFORE (captured by main-before)');
    expect(live.stdout).toMatch(new RegExp(`rehearsed: ${bad}\\n\\s+now: +${hotfix}`));
    expect(live.stdout).toContain('drift: the run stops here (--yes without --accept-drift)');
    expect(live.stdout).not.toContain('[13/');
    expect(await registry.digestOf('acme/app', 'prod')).toBe(hotfix);
  }, 150_000);

  it('prod moved, --accept-drift: the rollback is made and the record keeps each drift with its values and who accepted it', async () => {
    const hotfix = await registry.push('acme/app', 'prod', 'another responder’s rollback');
    const live = await handrail(['--yes', '--json', '--accept-drift'], [`GOOD_DIGEST=${good}`]);
    expect(live.code, live.stderr).toBe(0);
    expect(await registry.digestOf('acme/app', 'prod')).toBe(good);
    const p = statementOf(readFileSync(live.recordPath, 'utf8')).predicate;
    expect(p.drifts).toContainEqual({
      stepId: 'main-before',
      field: 'capture',
      name: 'MAIN_BEFORE',
      rehearsed: bad,
      now: hotfix,
      decision: 'accepted',
      by: '@oncall',
      auto: true,
      beforeStepId: 'retag-main',
    });
    const verify = await runCli(['verify', live.recordPath], { env });
    expect(verify.stdout).toContain('drift accepted by @oncall (--accept-drift)');
  }, 150_000);

  it('a different input given live is drift before step 1', async () => {
    const live = await handrail(['--yes', '--json'], [`GOOD_DIGEST=${good}`, 'CHANNEL=nightly']);
    expect(live.code).toBe(1);
    expect(started(live.events)).toEqual([]);
    expect(drifts(live.events)).toEqual([expect.objectContaining({ field: 'input', name: 'CHANNEL', rehearsed: 'prod', now: 'nightly' })]);
    expect(await registry.digestOf('acme/app', 'prod')).toBe(bad);
  }, 150_000);

  describe.skipIf(!hasTmux)('in the TUI at 80×24', () => {
    const tui = () =>
      startTmux(
        `node ${BIN} ${args([], [`GOOD_DIGEST=${good}`])
          .map((a) => `'${a}'`)
          .join(' ')}`,
        { cwd: ROOT, env, columns: 80, rows: 24 },
      );

    it('prod moved: the run stops before any re-tag, shows both side by side, and the operator aborts', async () => {
      const hotfix = await registry.push('acme/app', 'prod', 'another responder’s rollback');
      const t = tui();
      try {
        await t.waitFor(/Enter.*start|Start/i, 60_000);
        t.send('Enter');
        const screen = await t.waitFor('differs from its rehearsal', 90_000);
        writeFileSync(join(scratch, 'drift-screen.txt'), screen);
        expect(screen).toContain('stopped before "Re-tag app:prod"');
        expect(screen).toMatch(/Rehearsed\s+│ Now/);
        // Digests are wrapped to their column, never cut: both halves of each are on screen.
        expect(screen.replace(/\s*│\s*/g, '\n')).toContain(bad.slice(0, 30));
        for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
        expect(screen.replace(/\n$/, '').split('\n').length).toBeLessThanOrEqual(24);
        t.send('a');
        const end = await t.waitFor('aborted', 30_000);
        expect(end).not.toContain('Re-tag app:prod  passed');
        t.send('Enter');
        await t.waitFor('EXIT=1', 30_000);
        expect(await registry.digestOf('acme/app', 'prod')).toBe(hotfix);
      } finally {
        t.kill();
      }
    }, 200_000);

    it('prod moved, line mode on a terminal: the drift is printed with both values and the question defaults to abort', async () => {
      const hotfix = await registry.push('acme/app', 'prod', 'another responder’s rollback');
      const t = startTmux(
        `node ${BIN} ${args(['--plain'], [`GOOD_DIGEST=${good}`])
          .map((a) => `'${a}'`)
          .join(' ')}`,
        { cwd: ROOT, env, columns: 80, rows: 24 },
      );
      try {
        await t.waitFor('Start the run?', 60_000);
        t.send('Enter');
        const screen = await t.waitFor('Continue with what is there now, or abort?', 90_000);
        expect(screen).toContain('≠ drift: MAIN_BEFORE (captured by main-before)');
        expect(screen).toContain('stopped before "Re-tag app:prod"');
        t.send('Enter');
        await t.waitFor('EXIT=1', 30_000);
        const scrollback = execFileSync('tmux', ['-L', t.socket, 'capture-pane', '-p', '-t', 'main', '-S', '-'], { encoding: 'utf8' });
        expect(scrollback).toContain('drift: stopped by @oncall');
        expect(await registry.digestOf('acme/app', 'prod')).toBe(hotfix);
      } finally {
        t.kill();
      }
    }, 200_000);

    it('the operator continues; the re-tag then refuses because prod moved again since the check just before it', async () => {
      const hotfix = await registry.push('acme/app', 'prod', 'another responder’s rollback');
      const t = tui();
      try {
        await t.waitFor(/Enter.*start|Start/i, 60_000);
        t.send('Enter');
        await t.waitFor('differs from its rehearsal', 90_000);
        // A third responder moves prod while this one reads the drift screen.
        const third = await registry.push('acme/app', 'prod', 'a third responder’s build');
        t.send('c');
        await t.waitFor('marked confirm', 30_000);
        t.send('Enter');
        await t.waitFor('Failed: exit status 1', 60_000);
        t.send('q');
        await t.waitFor(/y\/n|abort\?/i, 10_000);
        t.send('y');
        await t.waitFor(/any key/i, 30_000);
        t.send('Enter');
        await t.waitFor('EXIT=1', 30_000);
        expect(await registry.digestOf('acme/app', 'prod')).toBe(third);
        expect(third).not.toBe(hotfix);
        const records = join(home.root, 'records');
        const { readdirSync } = await import('node:fs');
        const newest = readdirSync(records)
          .filter((f) => f.includes('-aborted') || f.includes('-failed'))
          .sort()
          .at(-1)!;
        const p = statementOf(readFileSync(join(records, newest), 'utf8')).predicate;
        expect(p.drifts).toContainEqual(
          expect.objectContaining({ name: 'MAIN_BEFORE', rehearsed: bad, now: hotfix, decision: 'accepted', by: '@oncall', auto: false }),
        );
        const retag = p.steps.find((s) => s.id === 'retag-main');
        expect(retag?.output?.tail).toContain(`refused: ghcr.io/acme/app:prod moved from ${hotfix} to ${third}`);
      } finally {
        t.kill();
      }
    }, 200_000);
  });
});
