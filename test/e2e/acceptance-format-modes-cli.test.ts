// Acceptance review of SPEC §1 (format), §2 (modes) and §4 (command line) against the real, built CLI:
// each test is a promise of the spec that an operator (or an acceptance test) would hit.
// The keychain is turned off (HANDRAIL_NO_KEYCHAIN=1) so the signing key lands in a file whose mode
// can be checked; the keychain itself is proven in auth-keychain.test.ts.
import { describe, expect, it } from 'vitest';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BIN, runCli, tempHome } from '../helpers/cli';
import { hasTmux, startTmux } from '../helpers/tmux';

interface Workspace {
  root: string;
  env: NodeJS.ProcessEnv;
  path: string;
  file(name: string): string;
}

/** A private home with one runbook written into it; steps' files land beside it. */
function workspace(runbook: string, name = 'book.md'): Workspace {
  const home = tempHome('handrail-acc-');
  const path = join(home.root, name);
  writeFileSync(path, runbook);
  return { root: home.root, env: { ...home.env, HANDRAIL_NO_KEYCHAIN: '1' }, path, file: (n: string) => join(home.root, n) };
}

const front = (extra = '') => `---\nid: acc\ntitle: Acceptance\nversion: 1.0.0\n${extra}---\n\n`;
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

interface Envelope {
  payload: string;
}
interface RecordStep {
  id: string;
  status: string;
  [key: string]: unknown;
}
function readPredicate(path: string): { mode: string; outcome: string; steps: RecordStep[] } {
  const envelope = JSON.parse(readFileSync(path, 'utf8')) as Envelope;
  return (
    JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as {
      predicate: { mode: string; outcome: string; steps: RecordStep[] };
    }
  ).predicate;
}

/** Every file and folder below root, with its permission bits. */
function modes(root: string): { path: string; dir: boolean; mode: number }[] {
  const out: { path: string; dir: boolean; mode: number }[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    out.push({ path, dir: entry.isDirectory(), mode: statSync(path).mode & 0o777 });
  }
  return out;
}

describe('§4 files and folders', () => {
  it('leaves the mode of an existing --record-dir alone (a shared folder, or ".") and writes the record 0600', async () => {
    const w = workspace(`${front()}# One\n\n\`\`\`sh run id=one\necho one\n\`\`\`\n`);
    const shared = w.file('shared');
    mkdirSync(shared);
    chmodSync(shared, 0o755);
    const r = await runCli(['run', w.path, '--yes', '--record-dir', shared], { cwd: w.root, env: w.env });
    expect(r.code).toBe(0);
    expect(statSync(shared).mode & 0o777).toBe(0o755);
    const records = readdirSync(shared);
    expect(records).toHaveLength(1);
    expect(statSync(join(shared, records[0]!)).mode & 0o777).toBe(0o600);
  });

  it('makes every file under state and config 0600 and every folder 0700, including a new --record-dir', async () => {
    const w = workspace(`${front()}# One\n\n\`\`\`sh run id=one\necho one\n\`\`\`\n`);
    const r = await runCli(['run', w.path, '--yes', '--record-dir', w.file('new/records')], { cwd: w.root, env: w.env });
    expect(r.code).toBe(0);
    const written = [...modes(w.file('state')), ...modes(w.file('config')), ...modes(w.file('new'))];
    expect(written.filter((f) => !f.dir).length).toBeGreaterThanOrEqual(4); // journal, log, record, signing key
    for (const f of written) expect({ path: f.path, mode: f.mode.toString(8) }).toEqual({ path: f.path, mode: f.dir ? '700' : '600' });
  });
});

describe('§4 --json and pipes', () => {
  it('`handrail records | head -1` ends quietly, with no EPIPE stack trace', async () => {
    const w = workspace(`${front()}# One\n\n\`\`\`sh run id=one\necho one\n\`\`\`\n`);
    expect((await runCli(['run', w.path, '--yes', '--record-dir', w.file('records')], { cwd: w.root, env: w.env })).code).toBe(0);
    const [record] = readdirSync(w.file('records'));
    // Far more lines than a pipe buffer holds, so records is still writing when the reader leaves.
    for (let i = 0; i < 3000; i++) copyFileSync(join(w.file('records'), record!), join(w.file('records'), `copy-${i}.json`));
    const child = spawn(process.execPath, [BIN, 'records', w.file('records')], {
      cwd: w.root,
      env: { ...process.env, ...w.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    noStack(stderr);
    expect(stderr).not.toMatch(/EPIPE/);
    expect(code).toBe(0);
  });

  it('a reader that closes the pipe early gets no stack trace; the run ends aborted with a record', async () => {
    // Far more than a pipe buffer, so handrail is still writing when the reader goes away.
    const lines = 'i=0; while [ $i -lt 200000 ]; do echo "line $i"; i=$((i+1)); done';
    const w = workspace(
      `${front()}# Loud\n\n\`\`\`sh run id=loud\n${lines}\n\`\`\`\n\n# Later\n\n\`\`\`sh run id=later\ntouch later.txt\n\`\`\`\n`,
    );
    const child = spawn(process.execPath, [BIN, 'run', w.path, '--yes', '--json', '--record-dir', w.file('records')], {
      cwd: w.root,
      env: { ...process.env, ...w.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // Like `| head -1`: read the first chunk, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    noStack(stderr);
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(1);
    expect(existsSync(w.file('later.txt'))).toBe(false);
    const records = readdirSync(w.file('records'));
    expect(records).toHaveLength(1);
    expect(readPredicate(join(w.file('records'), records[0]!)).outcome).toBe('aborted');
  });
});

describe('§2 --yes', () => {
  it('records a `confirm` run step that --yes accepted as auto-confirmed, so the record shows nobody was asked', async () => {
    const w = workspace(
      `${front()}# Destroy\n\n\`\`\`sh run id=destroy confirm\ntouch destroyed.txt\n\`\`\`\n\n# Plain\n\n\`\`\`sh run id=plain\necho plain\n\`\`\`\n\n- [ ] Tell the channel\n`,
    );
    const r = await runCli(['run', w.path, '--yes', '--record-dir', w.file('records')], { cwd: w.root, env: w.env });
    expect(r.code).toBe(0);
    expect(existsSync(w.file('destroyed.txt'))).toBe(true);
    const [record] = readdirSync(w.file('records'));
    const steps = readPredicate(join(w.file('records'), record!)).steps;
    expect(steps.find((s) => s.id === 'destroy')).toMatchObject({ status: 'passed', confirmation: 'auto-confirmed' });
    expect(steps.find((s) => s.id === 'plain')).not.toHaveProperty('confirmation');
    expect(steps.find((s) => s.kind === 'confirm')).toMatchObject({ status: 'auto-confirmed' });
  });
});

describe('§4 exit codes', () => {
  it('a record or key path that cannot be read is bad usage (exit 2, as for lint and run), and says what to give', async () => {
    const w = workspace(`${front()}# One\n\n\`\`\`sh run id=one\necho one\n\`\`\`\n`);
    const missing = await runCli(['verify', w.file('nope.json')], { cwd: w.root, env: w.env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file.*handrail records/);
    noStack(missing.stderr);
    const folder = await runCli(['verify', w.root], { cwd: w.root, env: w.env });
    expect(folder.code).toBe(2);
    const ran = await runCli(['run', w.path, '--yes', '--record-dir', w.file('records')], { cwd: w.root, env: w.env });
    expect(ran.code).toBe(0);
    const [record] = readdirSync(w.file('records'));
    const noKey = await runCli(['verify', join(w.file('records'), record!), '--key', w.file('nope.pem')], { cwd: w.root, env: w.env });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/nope\.pem.*no such file/);
    expect((await runCli(['verify', join(w.file('records'), record!)], { cwd: w.root, env: w.env })).code).toBe(0);
  });

  it('every command and subcommand answers --help with exit 0; unknown commands and options exit 2', async () => {
    for (const args of [
      [],
      ['run'],
      ['lint'],
      ['list'],
      ['verify'],
      ['auth'],
      ['auth', 'login'],
      ['auth', 'status'],
      ['auth', 'logout'],
      ['keys'],
      ['keys', 'export'],
    ]) {
      const r = await runCli([...args, '--help']);
      expect({ args, code: r.code }).toEqual({ args, code: 0 });
      expect(r.stdout).toMatch(/Usage: handrail/);
    }
    expect((await runCli(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    for (const args of [['frobnicate'], ['run'], ['run', 'x.md', '--bogus'], ['auth', 'frob'], ['verify']]) {
      const r = await runCli(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      noStack(r.stderr);
    }
  });
});

describe('§2 --set', () => {
  it('refuses a secret given with --set (exit 2) and says how to give it instead', async () => {
    const w = workspace(
      `${front('secrets:\n  TOKEN:\n    prompt: token\n    env: ACC_TOKEN\n    keychain: acc-token\n')}# One\n\n\`\`\`sh run id=one secrets=TOKEN\ntouch ran.txt\n\`\`\`\n`,
    );
    const r = await runCli(['run', w.path, '--yes', '--set', 'TOKEN=abc'], { cwd: w.root, env: w.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/TOKEN is a secret.*set ACC_TOKEN or store it with `handrail auth login --name acc-token`/);
    expect(existsSync(w.file('ran.txt'))).toBe(false);
  });
});

describe('§2 line mode', () => {
  it.skipIf(!hasTmux)('asks its questions on the terminal when stdout goes to a file, instead of into the file', async () => {
    const w = workspace(`${front()}# One\n\n\`\`\`sh run id=one\necho one-ran\n\`\`\`\n`);
    const env = Object.fromEntries(Object.entries(w.env).filter((e): e is [string, string] => e[1] !== undefined));
    const tmux = startTmux(`${process.execPath} ${BIN} run book.md > out.txt`, { cwd: w.root, env });
    try {
      await tmux.waitFor('Start the run?');
      tmux.send('Enter');
      await tmux.waitFor('EXIT=0');
      const out = readFileSync(w.file('out.txt'), 'utf8');
      expect(out).toContain('one-ran');
      expect(out).not.toContain('Start the run?');
    } finally {
      tmux.kill();
    }
  });
});

describe('§1 {{NAME}} in prose and task items', () => {
  it('shows the value exactly as given, even when it looks like markdown; a secret shows ••••', async () => {
    const w = workspace(
      `${front('inputs:\n  NOTE:\n    prompt: note\nsecrets:\n  TOKEN:\n    prompt: token\n    env: ACC_TOKEN\n')}# Say\n\nThe note is {{NOTE}}; the token is {{TOKEN}}.\n\n\`\`\`sh run id=say\necho said\n\`\`\`\n\n- [ ] Post {{NOTE}} with {{TOKEN}}\n`,
    );
    const note = 'use `make *all*` and **not** $(rm -rf /)';
    const r = await runCli(['run', w.path, '--yes', '--set', `NOTE=${note}`], {
      cwd: w.root,
      env: { ...w.env, ACC_TOKEN: 'tok-value-1234' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`The note is ${note}; the token is ••••.`);
    expect(r.stdout).toContain(`Post ${note} with ••••`);
    expect(r.stdout).not.toContain('tok-value-1234');
  });
});

describe('step titles with {{NAME}} (docs/runbook-format.md; the bundled emergency-rollback uses them)', () => {
  const book = `${front('inputs:\n  TARGET_ENV:\n    prompt: env\n    default: staging\n')}# Deploy\n\n\`\`\`sh run id=deploy title="Deploy to {{TARGET_ENV}}"\necho deployed\n\`\`\`\n`;

  it('line mode shows the title filled, in the step header and the summary', async () => {
    const w = workspace(book);
    const r = await runCli(['run', w.path, '--yes', '--set', 'TARGET_ENV=prod'], { cwd: w.root, env: w.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[1/1] Deploy to prod');
    expect(r.stdout).toMatch(/1\. Deploy to prod\s+passed/);
    expect(r.stdout).not.toContain('{{TARGET_ENV}}');
    expect(r.stdout).toContain('— 1 step\n');
  });

  it.skipIf(!hasTmux)('the TUI shows the title filled', async () => {
    const w = workspace(book);
    const env = Object.fromEntries(Object.entries(w.env).filter((e): e is [string, string] => e[1] !== undefined));
    const tmux = startTmux(`${process.execPath} ${BIN} run book.md --set TARGET_ENV=prod`, {
      cwd: w.root,
      env: { ...env, TERM: 'xterm-256color' },
    });
    try {
      await tmux.waitFor('Press Enter to start');
      tmux.send('Enter');
      const screen = await tmux.waitFor('Press any key to exit.');
      expect(screen).toContain('Deploy to prod');
      expect(screen).not.toContain('{{TARGET_ENV}}');
    } finally {
      tmux.kill();
    }
  });
});
