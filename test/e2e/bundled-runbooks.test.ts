// Every bundled runbook, rehearsed end to end by the real CLI, plus live runs of the ones whose live
// path can run here. Mocked, because they cannot run on this machine: github.com (a loopback server
// speaks its REST API), and docker, oras, gh and curl-to-ghcr.io (stubs on PATH that log what they
// were asked and answer like the real tool). git, jq, sha256sum and the shell are real.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, runCli, tempHome } from '../helpers/cli';
import { startGithubServer, type GithubServer, type GithubState } from '../helpers/github-server';
import { repoFiles } from '../helpers/github-team';
import type { RunEvent } from '../../src/core/events';

const TOKEN = 'ghp_loopbackFakeToken0123456789abcdef';
const LOGIN = 'sponsor-admin';
const COMMIT = 'c0ffee1234567890abcdef1234567890abcdef12';
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const RUNBOOKS = join(ROOT, 'runbooks');

let scratch: string;
let stubBin: string;
let stubLog: string;
/** A docker config that holds a ghcr.io login, as `docker login ghcr.io` leaves it. */
let dockerConfig: string;
let repoDir: string;
let payloadTarball: string;
let server: GithubServer;

/**
 * Stand-ins for tools that need a Docker daemon, a registry or github.com. Each appends its argv to
 * a log whose path is written into the stub, because steps see only an allowlisted environment.
 */
function writeStubs(dir: string, log: string, payloadDigest: string): void {
  const stub = (name: string, body: string) => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "${name} $*" >> '${log}'\n${body}\n`);
    chmodSync(path, 0o755);
  };
  stub(
    'docker',
    `case "$1 $2 $3" in
  "--version  ") echo "Docker version 28.2.2, build stub" ;;
  "buildx version ") echo "github.com/docker/buildx v0.19.3 stub" ;;
  "buildx imagetools inspect")
    case "$*" in
      *--raw*) echo '{"annotations":{}}' ;;
      *--format*) echo '{"digest":"${digest('a')}"}' ;;
      *) echo "Name: $4"; echo "Digest: ${digest('a')}" ;;
    esac ;;
  *) echo "docker stub: $*" ;;
esac`,
  );
  stub('curl', `printf 401`);
  stub(
    'oras',
    `case "$1 $2" in
  "version ") echo "Version: 1.2.0" ;;
  "pull "*)
    out=.; prev=; for a in "$@"; do [ "$prev" = -o ] && out="$a"; prev="$a"; done
    printf '%s' '{"channel":"prod","version":"v1.2.3","immutable_tag":"sha-c0ffee1","moving_tags":["prod"],"images":[{"repo":"containai","digest":"${digest('a')}"}],"payload":{"ref":"containai-payload:v1.2.3","digest":"${digest('b')}"},"generated_at":"2025-01-01T00:00:00Z"}' > "$out/channels.json" ;;
  "manifest fetch") echo '{"layers":[{"mediaType":"application/vnd.containai.payload.layer.v1+gzip","digest":"${payloadDigest}"}]}' ;;
  *) echo "oras stub: $*" ;;
esac`,
  );
  stub('gh', `case "$1" in --version) echo "gh version 2.60.0 (stub)" ;; *) echo "Verification succeeded (stub)" ;; esac`);
}

/** A checkout of a repository that has done everything the runbooks verify. */
function writeRepo(dir: string): void {
  const files: Record<string, string> = {
    Dockerfile: 'FROM debian:bookworm-slim\nRUN apt-get update\n',
    'core/Dockerfile': 'FROM scratch\n',
    'runner/Dockerfile': 'FROM scratch\n',
    '.github/workflows/release.yml': [
      'jobs:',
      '  github-release:',
      '    runs-on: ubuntu-latest',
      '  docker-publish:',
      '    needs: [github-release]',
      "    if: startsWith(github.ref, 'refs/tags/v')",
      '    permissions:',
      '      contents: read',
      '      packages: write',
      '    steps:',
      '      - run: echo ghcr.io/craton-co/tensor-wasm:latest',
      '',
    ].join('\n'),
    '.github/workflows/publish-images.yml': [
      'permissions:',
      '  contents: read',
      '  packages: write',
      'jobs:',
      '  publish:',
      '    steps:',
      '      - with: { password: "${{ secrets.GITHUB_TOKEN }}" }',
      '',
    ].join('\n'),
    'deploy/helm/tensor-wasm/Chart.yaml': 'apiVersion: v2\nname: tensor-wasm\nversion: 0.1.4\nappVersion: "0.3.7"\n',
    'deploy/helm/tensor-wasm/README.md': '# Helm chart\n',
    'deploy/k8s/README.md': '# k8s\n',
    'deploy/nomad/README.md': '# nomad\n',
    'docs/publishing.md':
      'Images: ghcr.io/craton-co/tensor-wasm. Tags: v1.0.0, v1.0, v1, latest; sha-abc1234; main, develop. Pin by digest.\n',
    'scripts/tag-and-push.sh': '#!/bin/sh\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  chmodSync(join(dir, 'scripts/tag-and-push.sh'), 0o755);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'fixture');
}

const CONTAINAI = ['', '-base', '-copilot', '-codex', '-claude', '-proxy', '-log-forwarder', '-payload', '-installer', '-metadata'];

function freshState(): Partial<GithubState> {
  const repo = (isPrivate: boolean) => ({
    private: isPrivate,
    default_branch: 'main',
    workflowPermissions: { default_workflow_permissions: 'read' as const, can_approve_pull_request_reviews: false },
    protection: { main: { allow_force_pushes: { enabled: false }, allow_deletions: { enabled: false } } },
  });
  const packages: GithubState['packages'] = {
    'craton-co/tensor-wasm': {
      visibility: 'public',
      versions: [
        { id: 101, name: digest('1'), tags: ['0.3.7', 'latest'] },
        { id: 102, name: digest('2'), tags: ['0.3.7-local'] },
      ],
    },
    'craton-co/aisopsflow-core': {
      visibility: 'private',
      versions: [{ id: 201, name: digest('3'), tags: ['1.4.0', `sha-${COMMIT.slice(0, 7)}`] }],
    },
    'craton-co/aisopsflow-runner': {
      visibility: 'private',
      versions: [{ id: 301, name: digest('4'), tags: ['1.4.0', `sha-${COMMIT.slice(0, 7)}`] }],
    },
  };
  for (const suffix of CONTAINAI) packages[`craton-co/containai${suffix}`] = { visibility: 'public', versions: [] };
  // The rollback lists these and offers them; the newest carries the channel tag (the bad release).
  packages['craton-co/containai'].versions = [
    { id: 902, name: digest('7'), tags: ['prod', 'sha-badbad1'], created_at: '2026-11-29T03:00:00Z' },
    { id: 901, name: digest('9'), tags: ['sha-600d600'], created_at: '2026-11-28T12:00:00Z' },
  ];
  return {
    tokens: { [TOKEN]: { login: LOGIN, scopes: ['repo', 'write:packages', 'delete:packages', 'read:org'] } },
    memberships: { [`craton-co/${LOGIN}`]: { state: 'active', role: 'admin' } },
    packages,
    repos: { 'craton-co/containai': repo(false), 'craton-co/craton-tensor-wasm': repo(true) },
    dispatches: [],
  };
}

/** Actions routes the shared loopback server does not model; shapes follow GitHub's REST docs. */
function addActionsRoutes(s: GithubServer): void {
  const run = (owner: string, repo: string) => ({
    id: 555,
    html_url: `https://github.com/${owner}/${repo}/actions/runs/555`,
    head_sha: COMMIT,
    event: 'workflow_dispatch',
    status: 'completed',
    conclusion: 'success',
  });
  s.route('GET', '/repos/{owner}/{repo}/actions/permissions', () => ({
    status: 200,
    body: { enabled: true, allowed_actions: 'all' },
  }));
  s.route('GET', '/repos/{owner}/{repo}/actions/workflows/{wf}/runs', ({ params }) => ({
    status: 200,
    body: { total_count: 1, workflow_runs: [run(params.owner, params.repo)] },
  }));
  s.route('GET', '/repos/{owner}/{repo}/actions/runs/{id}', ({ params }) => ({ status: 200, body: run(params.owner, params.repo) }));
  s.route('GET', '/repos/{owner}/{repo}/actions/runs/{id}/jobs', () => ({
    status: 200,
    body: {
      total_count: 3,
      jobs: [
        { name: 'build-base', conclusion: 'success' },
        { name: 'publish-metadata', conclusion: 'success' },
        { name: 'cleanup-ghcr', conclusion: 'success' },
      ],
    },
  }));
}

/** Inputs each runbook needs under --yes beyond its defaults (those without a safe default). */
function setsFor(file: string): string[] {
  const sets: Record<string, string[]> = {
    'ghcr-provisioning.md': [`REPO_DIR=${repoDir}`],
    'emergency-rollback.md': [`GOOD_DIGEST=${digest('9')}`, 'GOOD_VERSION=v1.2.2', `GOOD_METADATA_DIGEST=${digest('8')}`],
    'ghcr-package-cleanup.md': ['VERSION_ID=102'],
    'ghcr-settings-audit.md': [`REPO_DIR=${repoDir}`],
    'ghcr-publishing-setup.md': [`REPO_DIR=${repoDir}`],
    'release-preflight.md': [`REPO_DIR=${repoDir}`],
    'release-verification.md': [`PAYLOAD_TARBALL=${payloadTarball}`],
    'post-release-checks.md': [`COMMIT=${COMMIT}`],
  };
  return (sets[file] ?? []).flatMap((s) => ['--set', s]);
}

interface Run {
  code: number | null;
  events: RunEvent[];
  stderr: string;
  stubCalls: string[];
}

async function handrail(file: string, extra: string[], more: string[] = [], pathFirst = ''): Promise<Run> {
  const home = tempHome('handrail-bundled-');
  writeFileSync(stubLog, '');
  const result = await runCli(
    [
      'run',
      join('runbooks', file),
      '--yes',
      '--json',
      '--github-api',
      server.url,
      '--record-dir',
      join(home.root, 'records'),
      ...extra,
      ...setsFor(file),
      ...more,
    ],
    {
      env: {
        ...home.env,
        PATH: `${pathFirst}${stubBin}${delimiter}${process.env.PATH ?? ''}`,
        GHCR_PAT: TOKEN,
        GHCR_CLEANUP_PAT: TOKEN,
        GH_TOKEN: TOKEN,
        DOCKER_CONFIG: dockerConfig,
      },
      timeoutMs: 90_000,
    },
  );
  const events = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as RunEvent);
  const stubCalls = readFileSync(stubLog, 'utf8').split('\n').filter(Boolean);
  return { code: result.code, events, stderr: result.stderr, stubCalls };
}

function finishedSteps(events: RunEvent[]) {
  return events.flatMap((e) => (e.type === 'step-finished' ? [e] : []));
}

function outcome(events: RunEvent[]) {
  return events.find((e) => e.type === 'run-ended');
}

function statusOf(events: RunEvent[], stepId: string) {
  return finishedSteps(events).find((e) => e.stepId === stepId)?.status;
}

function explain(run: Run): string {
  const failed = finishedSteps(run.events).filter((e) => e.status === 'failed');
  return `exit ${run.code}; failed: ${JSON.stringify(failed.map((f) => [f.stepId, f.reason]))}; ended: ${JSON.stringify(outcome(run.events))}\n${run.stderr}`;
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'handrail-bundled-fixture-'));
  stubBin = join(scratch, 'bin');
  repoDir = join(scratch, 'repo');
  mkdirSync(stubBin);
  mkdirSync(repoDir);
  payloadTarball = join(scratch, 'containai-payload-v1.2.3.tar.gz');
  writeFileSync(payloadTarball, 'payload bytes');
  stubLog = join(scratch, 'stub.log');
  writeStubs(stubBin, stubLog, `sha256:${createHash('sha256').update('payload bytes').digest('hex')}`);
  writeRepo(repoDir);
  dockerConfig = join(scratch, 'docker');
  mkdirSync(dockerConfig);
  writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { 'ghcr.io': { auth: 'c3R1Yjpub3QtYS10b2tlbg==' } } }));
});

beforeEach(async () => {
  server = await startGithubServer({ state: freshState() });
  // The team's records repository the runbooks that change shared state publish to (SPEC 6.2).
  server.state.team.files['craton-co/ops-records'] = repoFiles();
  addActionsRoutes(server);
});

afterEach(async () => {
  await server.close();
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const bundled = readdirSync(RUNBOOKS)
  .filter((f) => f.endsWith('.md'))
  .sort();

describe('bundled runbooks', () => {
  it('are all lint clean', async () => {
    const result = await runCli(['lint', ...bundled.map((f) => join('runbooks', f))]);
    expect(result.stdout + result.stderr).not.toMatch(/:\d+:\d+:/);
    expect(result.code).toBe(0);
  });

  describe.each(bundled)('%s in a rehearsal', (file) => {
    it('reaches its end and changes nothing', async () => {
      const run = await handrail(file, ['--dry-run']);
      expect(run.code, explain(run)).toBe(0);
      const started = run.events.find((e) => e.type === 'run-started');
      expect(started && started.type === 'run-started' && started.mode).toBe('rehearsal');
      expect(outcome(run.events)).toMatchObject({ outcome: 'completed' });
      const steps = started && started.type === 'run-started' ? started.steps : [];
      expect(finishedSteps(run.events).map((e) => e.stepId)).toEqual(steps.map((s) => s.id));
      expect(finishedSteps(run.events).filter((e) => e.status === 'failed')).toEqual([]);
      expect(run.events.some((e) => e.type === 'record-written')).toBe(true);

      // A rehearsal may read GitHub but never write to it — but for its own record, in the team's records repository.
      const records = /^PUT \/repos\/craton-co\/ops-records\/contents\/records(\/|%2F)/;
      expect(
        server.requests
          .filter((r) => r.method !== 'GET')
          .map((r) => `${r.method} ${r.path}`)
          .filter((r) => !records.test(r)),
      ).toEqual([]);
      const front = readFileSync(join(RUNBOOKS, file), 'utf8').split(/^---$/m)[1]!;
      if (/^records:/m.test(front)) expect(run.events.find((e) => e.type === 'record-published')).toMatchObject({ ok: true });
      // …and never runs a command that changes a registry or logs in.
      expect(run.stubCalls.filter((c) => /^docker (push|login|tag)|imagetools create|^oras tag/.test(c))).toEqual([]);
    });
  });
});

describe('ghcr-provisioning', () => {
  it('runs its preflight for real in a rehearsal: a docker build, a registry probe, the chart version', async () => {
    const run = await handrail('ghcr-provisioning.md', ['--dry-run']);
    expect(run.code, explain(run)).toBe(0);
    expect(run.stubCalls).toContain('docker build -t tensor-wasm:smoke .');
    expect(run.stubCalls.some((c) => c.startsWith('curl ') && c.includes('https://ghcr.io/v2/'))).toBe(true);
    expect(statusOf(run.events, 'helm-app-version')).toBe('passed');
    // The push and the delete are shown, not made.
    expect(statusOf(run.events, 'push-smoke')).toBe('rehearsed');
    expect(statusOf(run.events, 'delete-smoke-version')).toBe('rehearsed');
    const shown = run.events.find((e) => e.type === 'step-started' && e.stepId === 'push-smoke');
    expect(shown && shown.type === 'step-started' && shown.display).toContain('docker push "ghcr.io/$ORG/$PACKAGE:$VERSION-local"');
  });

  it('stops a rehearsal at the first step when the operator is not an org admin', async () => {
    server.state.memberships[`craton-co/${LOGIN}`] = { state: 'active', role: 'member' };
    const run = await handrail('ghcr-provisioning.md', ['--dry-run']);
    expect(run.code).toBe(1);
    expect(statusOf(run.events, 'org-admin')).toBe('failed');
    expect(outcome(run.events)).toMatchObject({ outcome: 'failed' });
    expect(run.stubCalls.some((c) => c.startsWith('docker build'))).toBe(false);
  });

  it('stops when the Helm chart lags the release', async () => {
    const run = await handrail('ghcr-provisioning.md', ['--dry-run'], ['--set', 'VERSION=0.3.8']);
    expect(run.code).toBe(1);
    expect(statusOf(run.events, 'helm-app-version')).toBe('failed');
  });
});

describe('manual-release, live against the loopback GitHub', () => {
  it('dispatches the workflow with the channel and version, then finds the run succeeded', async () => {
    const run = await handrail('manual-release.md', [], ['--set', 'CHANNEL=prod', '--set', 'VERSION=v1.2.3']);
    expect(run.code, explain(run)).toBe(0);
    expect(server.state.dispatches).toEqual([
      { repo: 'craton-co/containai', workflow: 'build-runtime-images.yml', ref: 'main', inputs: { channel: 'prod', version: 'v1.2.3' } },
    ]);
    expect(statusOf(run.events, 'run-succeeded')).toBe('passed');
    const runsQuery = server.requests.find((r) => r.path.endsWith('/runs'))?.query;
    expect(runsQuery).toMatchObject({ event: 'workflow_dispatch', branch: 'main' });
    expect(runsQuery?.created).toMatch(/^>=\d{4}-\d{2}-\d{2}T/);
  });

  it('refuses a prod release without a version before dispatching anything', async () => {
    const run = await handrail('manual-release.md', [], ['--set', 'CHANNEL=prod']);
    expect(run.code).toBe(1);
    expect(statusOf(run.events, 'prod-has-version')).toBe('failed');
    expect(server.state.dispatches).toEqual([]);
  });
});

describe('ghcr-package-cleanup, live against the loopback GitHub', () => {
  it('refuses to delete anything live until it was rehearsed (rehearsal.required)', async () => {
    const run = await handrail('ghcr-package-cleanup.md', []);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('must be rehearsed before a live run');
    expect(server.requests.some((r) => r.method === 'DELETE')).toBe(false);
  });

  it('deletes an untagged-for-release version by id and sees it gone', async () => {
    const run = await handrail('ghcr-package-cleanup.md', ['--without-rehearsal', 'loopback test']);
    expect(run.code, explain(run)).toBe(0);
    expect(server.state.packages['craton-co/tensor-wasm'].versions.map((v) => v.id)).toEqual([101]);
    expect(statusOf(run.events, 'org-version-gone')).toBe('passed');
  });

  it('refuses to delete the version that carries latest', async () => {
    const run = await handrail('ghcr-package-cleanup.md', ['--without-rehearsal', 'loopback test'], ['--set', 'VERSION_ID=101']);
    expect(run.code).toBe(1);
    expect(statusOf(run.events, 'org-version-safe')).toBe('failed');
    expect(server.requests.some((r) => r.method === 'DELETE')).toBe(false);
    expect(server.state.packages['craton-co/tensor-wasm'].versions.map((v) => v.id)).toEqual([101, 102]);
  });
});

describe('ghcr-settings-audit, live against the loopback GitHub', () => {
  it('passes when GitHub reports the policy', async () => {
    const run = await handrail('ghcr-settings-audit.md', []);
    expect(run.code, explain(run)).toBe(0);
    expect(statusOf(run.events, 'branch-protected')).toBe('passed');
    expect(statusOf(run.events, 'publish-workflow-permissions')).toBe('passed');
  });

  it('fails when the default workflow token can write', async () => {
    server.state.repos['craton-co/craton-tensor-wasm'].workflowPermissions.default_workflow_permissions = 'write';
    const run = await handrail('ghcr-settings-audit.md', []);
    expect(run.code).toBe(1);
    expect(statusOf(run.events, 'workflow-defaults')).toBe('failed');
  });

  it('fails when the release branch is not protected', async () => {
    server.state.repos['craton-co/craton-tensor-wasm'].protection = {};
    const run = await handrail('ghcr-settings-audit.md', []);
    expect(run.code).toBe(1);
    expect(statusOf(run.events, 'branch-protected')).toBe('failed');
  });
});

describe('post-release-checks, live against the loopback GitHub', () => {
  it('finds the semver and sha tags on one digest, and captures it', async () => {
    const run = await handrail('post-release-checks.md', []);
    expect(run.code, explain(run)).toBe(0);
    expect(run.events).toContainEqual(expect.objectContaining({ type: 'capture', name: 'CORE_DIGEST', value: digest('3') }));
  });

  it('fails when latest moved for a release that should not move it', async () => {
    server.state.packages['craton-co/aisopsflow-core'].versions[0].tags.push('latest');
    const run = await handrail('post-release-checks.md', []);
    expect(run.code).toBe(1);
    expect(statusOf(run.events, 'core-tags')).toBe('failed');
  });
});

describe('release-verification', () => {
  it('fails when one package is not public', async () => {
    server.state.packages['craton-co/containai-proxy'].visibility = 'private';
    const run = await handrail('release-verification.md', []);
    expect(run.code).toBe(1);
    expect(statusOf(run.events, 'public-proxy')).toBe('failed');
  });

  it('fails when the tarball is not the published payload', async () => {
    const other = join(scratch, 'other.tar.gz');
    writeFileSync(other, 'different bytes');
    const run = await handrail('release-verification.md', [], ['--set', `PAYLOAD_TARBALL=${other}`]);
    expect(run.code).toBe(1);
    expect(statusOf(run.events, 'payload-digest')).toBe('failed');
  });
});

describe('emergency-rollback preflight', () => {
  it('says buildx is missing, with the way to install it, before step 1 — instead of failing at step 1', async () => {
    const noBuildx = join(scratch, 'no-buildx');
    mkdirSync(noBuildx, { recursive: true });
    writeFileSync(
      join(noBuildx, 'docker'),
      `#!/bin/sh\nprintf '%s\\n' "docker $*" >> '${stubLog}'\ncase "$1" in --version) echo "Docker version 28.2.2" ;; *) echo "docker: unknown command: docker $1" >&2; exit 125 ;; esac\n`,
    );
    chmodSync(join(noBuildx, 'docker'), 0o755);
    const run = await handrail('emergency-rollback.md', [], ['--set', `GOOD_DIGEST=${digest('9')}`], `${noBuildx}${delimiter}`);
    expect(run.code).toBe(1);
    const preflight = run.events.find((e) => e.type === 'preflight');
    const tools = preflight && preflight.type === 'preflight' ? preflight.tools : [];
    expect(tools.map((t) => [t.name, t.ok])).toEqual([
      ['docker', true],
      ['docker buildx', false],
      ['docker login ghcr.io', true],
      ['jq', true],
    ]);
    expect(tools[1].message).toBe(
      'docker buildx is not usable: `docker buildx version` failed (exit 125): docker: unknown command: docker buildx. To fix it: install the buildx plugin: https://docs.docker.com/go/buildx/.',
    );
    expect(finishedSteps(run.events)).toEqual([]);
    expect(run.stubCalls).toEqual(['docker buildx version']);
  });
});
