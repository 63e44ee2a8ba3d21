// Acceptance review of SPEC §5 (secrets), §6 (the completion record) and §7 (journal and resume),
// driving the real built CLI as an operator would: child processes, tmux for a real terminal, the
// real keychain under `npm test`. The record and the journal are checked by code written here from
// the spec alone (node:crypto), never by handrail's own readers. Needs `npm run build` first.
import { spawn } from 'node:child_process';
import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, tempHome } from '../helpers/cli';
import { startGithubServer } from '../helpers/github-server';
import { hasTmux, startTmux, type TmuxSession } from '../helpers/tmux';
import { describeKeychain } from '../helpers/keyring';

const STACK = /\n\s+at .+[:(]\d+:\d+/;

interface Workspace {
  root: string;
  dir: string;
  env: Record<string, string>;
  file(name: string): string;
}

function workspace(files: Record<string, string>, extraEnv: Record<string, string> = {}): Workspace {
  const home = tempHome('handrail-acc-');
  const dir = join(home.root, 'work');
  mkdirSync(join(dir, 'rb'), { recursive: true });
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return {
    root: home.root,
    dir,
    env: { ...(home.env as Record<string, string>), TERM: 'xterm-256color', ...extraEnv },
    file: (name) => join(dir, name),
  };
}

interface Envelope {
  payloadType: string;
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

function readEnvelope(path: string): Envelope {
  return JSON.parse(readFileSync(path, 'utf8')) as Envelope;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the statement is checked field by field below
type Json = any;

function statementOf(envelope: Envelope): Json {
  return JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
}

function onlyRecord(dir: string): string {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  expect(files).toHaveLength(1);
  return join(dir, files[0]!);
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** The journal's lines checked from the spec: seq counts up, each `prev` is the sha256 of the line before. */
function checkChain(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  let prev = '0'.repeat(64);
  lines.forEach((line, seq) => {
    const entry = JSON.parse(line) as { seq: number; prev: string };
    expect({ seq: entry.seq, prev: entry.prev }).toEqual({ seq, prev });
    prev = sha256(line);
  });
  return lines;
}

function journals(w: Workspace): string[] {
  const dir = join(w.root, 'state', 'handrail', 'journals');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => join(dir, f));
}

let session: TmuxSession | undefined;
afterEach(() => {
  session?.kill();
  session = undefined;
});

function front(extra = ''): string {
  return `---\nid: acc\ntitle: Acceptance\nversion: 3.1.4\n${extra}---\n\n`;
}

describe('§4 folders that cannot be written', () => {
  const RUNBOOK = `${front()}# One\n\n\`\`\`sh run id=one\ntouch ran.txt\n\`\`\`\n`;

  it('a --record-dir that cannot be made stops before step 1 (exit 2) and says which folder and what to do', async () => {
    const w = workspace({ 'rb/a.md': RUNBOOK, 'a-file': 'not a folder\n' });
    const r = await runCli(['run', 'rb/a.md', '--yes', '--record-dir', 'a-file/records'], { cwd: w.dir, env: w.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/a-file\/records.*--record-dir/);
    expect(r.stderr).not.toMatch(/unexpected error|ENOTDIR: not a directory, mkdir/);
    expect(r.stderr).not.toMatch(STACK);
    expect(existsSync(w.file('rb/ran.txt'))).toBe(false);
  });

  it.skipIf(!existsSync('/proc/self'))(
    'a --record-dir where the system refuses new folders (under /proc) stops before step 1 instead of spinning',
    async () => {
      // Permission bits let root through here; only making the folder shows it cannot exist.
      const w = workspace({ 'rb/a.md': RUNBOOK });
      const r = await runCli(['run', 'rb/a.md', '--yes', '--record-dir', '/proc/handrail-no-such/records'], {
        cwd: w.dir,
        env: w.env,
        timeoutMs: 10_000,
      });
      expect(r.signal).toBeNull();
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/\/proc\/handrail-no-such\/records.*--record-dir/);
      expect(r.stderr).not.toMatch(STACK);
      expect(existsSync(w.file('rb/ran.txt'))).toBe(false);
    },
  );

  it('a state folder that cannot be written stops before step 1 (exit 2) and names XDG_STATE_HOME', async () => {
    const w = workspace({ 'rb/a.md': RUNBOOK, 'state-file': 'not a folder\n' });
    const r = await runCli(['run', 'rb/a.md', '--yes'], { cwd: w.dir, env: { ...w.env, XDG_STATE_HOME: w.file('state-file') } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/state-file.*XDG_STATE_HOME/);
    expect(r.stderr).not.toMatch(STACK);
    expect(existsSync(w.file('rb/ran.txt'))).toBe(false);
  });
});

const FULL = `${front(`inputs:
  TARGET:
    prompt: Target
    default: staging
  FLAG:
    prompt: Optional flag
    default: ''
secrets:
  API_TOKEN:
    prompt: API token
    env: ACC_API_TOKEN
`)}# Check

\`\`\`sh check id=ready
echo "ready for $TARGET"
\`\`\`

# Conditional

\`\`\`sh run id=maybe if="FLAG"
echo flagged
\`\`\`

# Use the token

\`\`\`sh run id=use secrets=API_TOKEN
echo "using $API_TOKEN"
\`\`\`

# Tell people

- [ ] Posted in #ops

# Break

\`\`\`sh run id=boom
echo "about to fail"; exit 7
\`\`\`

# Never reached

\`\`\`sh run id=after
echo after
\`\`\`
`;

describe('§6 the completion record, read with the spec and node:crypto alone', () => {
  it('is a DSSE envelope of an in-toto Statement v1 with every predicate field, signed over PAE by the exported key', async () => {
    const token = `tok-${process.pid}-s3cr3t`;
    const w = workspace({ 'rb/full.md': FULL }, { ACC_API_TOKEN: token });
    const r = await runCli(['run', 'rb/full.md', '--yes', '--record-dir', 'records'], { cwd: w.dir, env: w.env });
    expect(r.code).toBe(1);
    const path = onlyRecord(w.file('records'));
    const raw = readFileSync(path, 'utf8');
    expect(raw).not.toContain(token);
    // The payload is base64: the token would sit in it at one of three alignments.
    for (const form of base64Alignments(token)) expect(raw.includes(form)).toBe(false);

    const envelope = readEnvelope(path);
    expect(envelope.payloadType).toBe('application/vnd.in-toto+json');
    const statement = statementOf(envelope);
    expect(Buffer.from(envelope.payload, 'base64').toString('utf8')).not.toContain(token);
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.subject).toEqual([{ name: 'rb/full.md', digest: { sha256: sha256(readFileSync(w.file('rb/full.md'))) } }]);
    expect(statement.predicateType).toBe('https://handrail.dev/completion-record/v1');

    const p = statement.predicate;
    expect(p.runbook).toMatchObject({ id: 'acc', title: 'Acceptance', version: '3.1.4' });
    expect(p.mode).toBe('live');
    expect(p.outcome).toBe('failed');
    expect(p.operator.user).toEqual(expect.any(String));
    expect(p.operator.host).toEqual(expect.any(String));
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(p.tool).toEqual({ name: 'handrail', version: pkg.version });
    expect(p.start).toMatch(RFC3339);
    expect(p.end).toMatch(RFC3339);
    expect(Date.parse(p.end)).toBeGreaterThanOrEqual(Date.parse(p.start));
    expect(p.inputs).toEqual({ TARGET: 'staging', FLAG: '' });
    expect(p.secrets).toEqual([{ name: 'API_TOKEN', source: 'env' }]);

    const byId = Object.fromEntries((p.steps as Json[]).map((s) => [s.id, s]));
    expect((p.steps as Json[]).map((s) => [s.id, s.kind, s.status])).toEqual([
      ['ready', 'check', 'passed'],
      ['maybe', 'run', 'skipped'],
      ['use', 'run', 'passed'],
      [expect.any(String), 'confirm', 'auto-confirmed'],
      ['boom', 'run', 'failed'],
      ['after', 'run', 'not-run'],
    ]);
    expect(byId.maybe.skipReason).toBe('condition');
    expect(byId.boom.exitCode).toBe(7);
    expect(byId.ready.title).toBe('Check');
    for (const id of ['ready', 'use', 'boom']) {
      expect(byId[id].start).toMatch(RFC3339);
      expect(byId[id].end).toMatch(RFC3339);
      // The outputs are short, so the tail is the whole output: its digest can be checked here.
      expect(byId[id].output.sha256).toBe(sha256(byId[id].output.tail));
    }
    expect(byId.ready.output.tail).toBe('ready for staging\n');
    expect(byId.use.output.tail).toBe('using ••••\n');
    expect(byId.after).not.toHaveProperty('start');

    // The journal's last covered entry, found and hashed here, is what the record pins.
    const [journal] = journals(w);
    const lines = checkChain(journal!);
    expect(p.journal.entries).toBeLessThanOrEqual(lines.length);
    expect(p.journal.lastEntrySha256).toBe(sha256(lines[p.journal.entries - 1]!));
    expect(readFileSync(journal!, 'utf8')).not.toContain(token);

    const pem = await runCli(['keys', 'export'], { cwd: w.dir, env: w.env });
    expect(pem.code).toBe(0);
    const key = createPublicKey(pem.stdout);
    const keyid = sha256(key.export({ type: 'spki', format: 'der' }));
    expect(envelope.signatures).toEqual([{ keyid, sig: expect.any(String) }]);
    const body = Buffer.from(envelope.payload, 'base64');
    const pae = Buffer.concat([Buffer.from(`DSSEv1 ${envelope.payloadType.length} ${envelope.payloadType} ${body.length} `), body]);
    const sig = Buffer.from(envelope.signatures[0]!.sig, 'base64');
    expect(verifySignature(null, pae, key, sig)).toBe(true);
    const changed = Buffer.from(pae.toString('utf8').replace('"outcome":"failed"', '"outcome":"completed"'));
    expect(verifySignature(null, changed, key, sig)).toBe(false);
  });

  it('a rehearsal says rehearsal and records run steps as rehearsed', async () => {
    const w = workspace({ 'rb/full.md': FULL }, { ACC_API_TOKEN: 'x-token-rehearsal' });
    const r = await runCli(['run', 'rb/full.md', '--yes', '--dry-run', '--record-dir', 'records'], { cwd: w.dir, env: w.env });
    expect(r.code).toBe(0);
    const p = statementOf(readEnvelope(onlyRecord(w.file('records')))).predicate;
    expect(p.mode).toBe('rehearsal');
    expect(p.outcome).toBe('completed');
    expect((p.steps as Json[]).map((s) => s.status)).toEqual([
      'passed',
      'skipped',
      'rehearsed',
      'auto-confirmed',
      'rehearsed',
      'rehearsed',
    ]);
  });
});

const LONG = `${front()}# First

\`\`\`sh run id=first
echo first >> ran.txt
\`\`\`

# Name

\`\`\`yaml input
name: WHO
prompt: Who is on call
\`\`\`

# Wait

\`\`\`sh run id=wait
echo waiting >> ran.txt
echo "waiting-now"
touch waiting
while :; do sleep 0.05; done
\`\`\`

# Last

\`\`\`sh run id=last
echo last >> ran.txt
\`\`\`

- [ ] Told the team
`;

describe.skipIf(!hasTmux)('§6 aborted runs still leave a record', () => {
  it('q in the TUI mid-step: aborted, the running step stopped, every later step not-run, and it verifies', async () => {
    const w = workspace({ 'rb/long.md': LONG });
    session = startTmux(`node ${BIN} run rb/long.md --record-dir records`, { cwd: w.dir, env: w.env });
    const t = session;
    await t.waitFor('Press Enter to start');
    t.send('Enter');
    // The prompt itself, not the step list's row (an input is labelled by its prompt there too).
    await t.waitFor('Who is on call (WHO)');
    t.type('alice');
    t.send('Enter');
    await t.waitFor('waiting-now');
    t.send('q');
    await t.waitFor('Abort the run?');
    t.send('y');
    const end = await t.waitFor('Press any key to exit.');
    expect(end).toContain('Run aborted');
    t.send('x');
    expect(await t.waitFor('EXIT=')).toMatch(/EXIT=1/);

    const path = onlyRecord(w.file('records'));
    expect(path).toMatch(/-aborted\.json$/);
    const p = statementOf(readEnvelope(path)).predicate;
    expect(p.outcome).toBe('aborted');
    expect((p.steps as Json[]).map((s) => [s.id, s.status])).toEqual([
      ['first', 'passed'],
      [expect.any(String), 'passed'],
      ['wait', 'failed'],
      ['last', 'not-run'],
      [expect.any(String), 'not-run'],
    ]);
    expect(p.inputs).toEqual({ WHO: 'alice' });
    expect(readFileSync(w.file('rb/ran.txt'), 'utf8')).toBe('first\nwaiting\n');
    const verified = await runCli(['verify', path], { cwd: w.dir, env: w.env });
    expect(verified.code).toBe(0);
  });

  it('Ctrl-C at a line-mode question: aborted with one line, exit 1, a record, no stack trace', async () => {
    const w = workspace({ 'rb/long.md': LONG });
    session = startTmux(`node ${BIN} run rb/long.md --plain --record-dir records`, { cwd: w.dir, env: w.env });
    const t = session;
    await t.waitFor('Start the run?');
    t.send('Enter');
    // The prompt itself, not the step list's row (an input is labelled by its prompt there too).
    await t.waitFor('Who is on call (WHO)');
    t.send('C-c');
    const screen = await t.waitFor('EXIT=');
    expect(screen).toMatch(/EXIT=1/);
    expect(screen).toContain('Run aborted');
    expect(screen).not.toMatch(STACK);
    expect(screen).not.toMatch(/ExitPromptError|unexpected error/);

    const path = onlyRecord(w.file('records'));
    const p = statementOf(readEnvelope(path)).predicate;
    expect(p.outcome).toBe('aborted');
    expect((p.steps as Json[]).map((s) => s.status)).toEqual([
      'passed',
      expect.not.stringMatching(/passed/),
      'not-run',
      'not-run',
      'not-run',
    ]);
    expect(readFileSync(w.file('rb/ran.txt'), 'utf8')).toBe('first\n');
  });
});

const CRASHY = `${front()}# One

\`\`\`sh run id=one
echo one >> ran.txt
\`\`\`

# Two

Blocks on its first attempt until the test kills handrail.

\`\`\`sh run id=two
echo two >> ran.txt
if [ ! -e started-two ]; then
  echo $$ > pid-two
  touch started-two
  exec sleep 600
fi
\`\`\`

# Three

\`\`\`sh run id=three
echo three >> ran.txt
\`\`\`
`;

/** Starts a --yes run and kill -9s it once step two is running; its sleep child is ended too. */
async function crashAtStepTwo(w: Workspace): Promise<void> {
  const child = spawn(process.execPath, [BIN, 'run', 'rb/crashy.md', '--yes', '--record-dir', 'records'], {
    cwd: w.dir,
    env: { ...process.env, ...w.env },
    stdio: 'ignore',
  });
  const started = w.file('rb/started-two');
  for (let i = 0; i < 400 && !existsSync(started); i++) await new Promise((r) => setTimeout(r, 25));
  expect(existsSync(started)).toBe(true);
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
  // kill -9 leaves the step's own process behind (nothing can clean up after SIGKILL).
  const pid = Number(readFileSync(w.file('rb/pid-two'), 'utf8'));
  expect(pid).toBeGreaterThan(1);
  process.kill(pid, 'SIGKILL');
}

describe.skipIf(!hasTmux)('§7 journal and resume', () => {
  it('after kill -9, offers to resume, names the changed runbook and the interrupted step, never reruns a finished one; the chain holds and the record pins it', async () => {
    const w = workspace({ 'rb/crashy.md': CRASHY });
    await crashAtStepTwo(w);
    // The record folder is made before step 1; after kill -9 it must hold no record.
    expect(existsSync(w.file('records')) ? readdirSync(w.file('records')) : []).toEqual([]);
    const [journal] = journals(w);
    // Flushed before the next step: step one's end and step two's start are on disk after kill -9.
    const before = checkChain(journal!).map((l) => JSON.parse(l).event?.type);
    expect(before).toEqual(expect.arrayContaining(['run-started', 'step-finished', 'step-started']));
    expect(before.at(-1)).toBe('step-started');

    writeFileSync(w.file('rb/crashy.md'), CRASHY.replace('echo three >> ran.txt', 'echo three-edited >> ran.txt'));
    session = startTmux(`node ${BIN} run rb/crashy.md --plain --record-dir records`, { cwd: w.dir, env: w.env });
    const t = session;
    const offer = await t.waitFor('unfinished run');
    expect(offer).toMatch(/runbook has changed/i);
    t.send('Enter');
    await t.waitFor('Start the run?');
    t.send('Enter');
    const asked = await t.waitFor(/was running when the last run stopped/);
    expect(asked).toContain('Two');
    t.send('Enter');
    expect(await t.waitFor('EXIT=')).toMatch(/EXIT=0/);

    expect(readFileSync(w.file('rb/ran.txt'), 'utf8')).toBe('one\ntwo\ntwo\nthree-edited\n');
    const lines = checkChain(journal!);
    const p = statementOf(readEnvelope(onlyRecord(w.file('records')))).predicate;
    expect(p.outcome).toBe('completed');
    expect(p.resumes).toHaveLength(1);
    expect((p.steps as Json[]).map((s) => [s.id, s.status, s.attempts])).toEqual([
      ['one', 'passed', 1],
      ['two', 'passed', 2],
      ['three', 'passed', 1],
    ]);
    expect(p.journal.lastEntrySha256).toBe(sha256(lines[p.journal.entries - 1]!));
    expect(JSON.parse(lines[p.journal.entries - 1]!).event.type).not.toBe('record-written');
  });

  it('the TUI resumes at the first unfinished step, shows the finished one as passed in an earlier run, and asks about the interrupted one', async () => {
    const w = workspace({ 'rb/crashy.md': CRASHY });
    await crashAtStepTwo(w);
    session = startTmux(`node ${BIN} run rb/crashy.md --record-dir records`, { cwd: w.dir, env: w.env, columns: 100, rows: 30 });
    const t = session;
    await t.waitFor(/earlier run stopped after 1 finished step; next: Two/);
    t.send('Enter');
    await t.waitFor('Press Enter to start');
    t.send('Enter');
    const asked = await t.waitFor('was running when the last run stopped');
    // The step list must not show step one as waiting to run: it will not run again.
    expect(asked).toMatch(/✓\s+1\. One/);
    expect(asked).toMatch(/○\s+3\. Three/);
    t.send('Enter');
    const end = await t.waitFor('Press any key to exit.');
    expect(end).toContain('Run completed');
    expect(end).toMatch(/One\s+passed \(earlier run\)/);
    t.send('x');
    expect(await t.waitFor('EXIT=')).toMatch(/EXIT=0/);
    expect(readFileSync(w.file('rb/ran.txt'), 'utf8')).toBe('one\ntwo\ntwo\nthree\n');
  });

  it('abort at the resume question runs nothing, says the unfinished run is kept, and offers it again next time', async () => {
    const w = workspace({ 'rb/crashy.md': CRASHY });
    await crashAtStepTwo(w);
    session = startTmux(`node ${BIN} run rb/crashy.md --plain --record-dir records`, { cwd: w.dir, env: w.env });
    const t = session;
    await t.waitFor('unfinished run');
    t.send('Down', 'Down');
    await t.waitFor('❯ Abort');
    t.send('Enter');
    const screen = await t.waitFor('EXIT=');
    expect(screen).toMatch(/EXIT=1/);
    expect(screen).toMatch(/unfinished run is kept/);
    expect(readFileSync(w.file('rb/ran.txt'), 'utf8')).toBe('one\ntwo\n');

    const again = await runCli(['run', 'rb/crashy.md', '--yes', '--record-dir', 'records'], { cwd: w.dir, env: w.env });
    expect(again.code).toBe(0);
    expect(readFileSync(w.file('rb/ran.txt'), 'utf8')).toBe('one\ntwo\ntwo\nthree\n');
  });
});

function secretRunbook(account: string): string {
  return `${front(`secrets:
  TOKEN:
    prompt: Deploy token
    keychain: ${account}
    env: ACC_DEPLOY_TOKEN
`)}# Use

\`\`\`sh run id=use secrets=TOKEN
printf '%s' "$TOKEN" > seen.txt
echo "token is $TOKEN"
\`\`\`

# Other

\`\`\`sh run id=other
printf '%s' "\${TOKEN:-none}" > other.txt
\`\`\`
`;
}

/** Every file under root whose bytes contain the value (raw); the workspace's seen.txt is expected. */
function filesContaining(root: string, value: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((path) => readFileSync(path).includes(value));
}

describe.skipIf(!hasTmux)('§5 no keychain', () => {
  it('without a D-Bus session: says so in one sentence, asks masked, offers no store, and writes the token to no file', async () => {
    const token = `nokc-${process.pid}-typed`;
    const w = workspace({ 'rb/s.md': secretRunbook('acc-nokc') }, { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/handrail-test-bus' });
    session = startTmux(`node ${BIN} run rb/s.md --plain --record-dir records`, { cwd: w.dir, env: w.env, columns: 200 });
    const t = session;
    const asked = await t.waitFor('Deploy token');
    expect(asked).toMatch(/keychain is not available \(no D-Bus session is running\); give the token in ACC_DEPLOY_TOKEN instead/);
    t.type(token);
    const typed = await t.waitFor('••••');
    expect(typed).not.toContain(token);
    t.send('Enter');
    const next = await t.waitFor(/Start the run\?|Store it/);
    expect(next).not.toMatch(/Store it/);
    t.send('Enter');
    const end = await t.waitFor('EXIT=');
    expect(end).toMatch(/EXIT=0/);
    expect(end).not.toContain(token);
    expect(end).not.toMatch(STACK);
    expect(readFileSync(w.file('rb/seen.txt'), 'utf8')).toBe(token);
    expect(readFileSync(w.file('rb/other.txt'), 'utf8')).toBe('none');
    expect(filesContaining(w.root, token)).toEqual([w.file('rb/seen.txt')]);
    const p = statementOf(readEnvelope(onlyRecord(w.file('records')))).predicate;
    expect(p.secrets).toEqual([{ name: 'TOKEN', source: 'prompt' }]);
  });
});

interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

async function keytar(): Promise<KeytarLike> {
  const mod = (await import('@github/keytar')) as unknown as { default?: KeytarLike } & KeytarLike;
  return mod.default ?? mod;
}

describeKeychain('§5 secrets in the real keychain', () => {
  const accounts: string[] = [];
  const account = () => {
    const name = `acc-test-${process.pid}-${accounts.length}`;
    accounts.push(name);
    return name;
  };
  afterEach(async () => {
    const kt = await keytar();
    for (const name of accounts.splice(0)) await kt.deletePassword('handrail', name);
  });

  it('service handrail, account = keychain name, password = the token; the env var wins when set; only the naming step sees it', async () => {
    const name = account();
    const stored = `kc-${process.pid}-stored`;
    const fromEnv = `env-${process.pid}-wins`;
    const w = workspace({ 'rb/s.md': secretRunbook(name) });
    const login = await runCli(['auth', 'login', '--name', name, '--with-token'], { cwd: w.dir, env: w.env, input: stored });
    expect(login.code).toBe(0);
    expect(await (await keytar()).getPassword('handrail', name)).toBe(stored);

    const withEnv = await runCli(['run', 'rb/s.md', '--yes', '--record-dir', 'records'], {
      cwd: w.dir,
      env: { ...w.env, ACC_DEPLOY_TOKEN: fromEnv },
    });
    expect(withEnv.code).toBe(0);
    expect(readFileSync(w.file('rb/seen.txt'), 'utf8')).toBe(fromEnv);
    expect(withEnv.stdout).toContain('token is ••••');
    expect(withEnv.stdout + withEnv.stderr).not.toContain(fromEnv);

    const fromKeychain = await runCli(['run', 'rb/s.md', '--yes', '--record-dir', 'records'], { cwd: w.dir, env: w.env });
    expect(fromKeychain.code).toBe(0);
    expect(readFileSync(w.file('rb/seen.txt'), 'utf8')).toBe(stored);
    expect(readFileSync(w.file('rb/other.txt'), 'utf8')).toBe('none');
    const sources = readdirSync(w.file('records'))
      .map((f) => statementOf(readEnvelope(join(w.file('records'), f))).predicate)
      .sort((a: Json, b: Json) => Date.parse(a.start) - Date.parse(b.start))
      .map((p: Json) => p.secrets);
    expect(sources).toEqual([[{ name: 'TOKEN', source: 'env' }], [{ name: 'TOKEN', source: 'keychain' }]]);
    for (const value of [stored, fromEnv])
      expect(filesContaining(w.root, value)).toEqual([w.file('rb/seen.txt')].filter(() => value === stored));
  });

  it.skipIf(!hasTmux)('a missing token is asked masked and, when the operator agrees, stored for the next run', async () => {
    const name = account();
    const typed = `typed-${process.pid}-token`;
    const w = workspace({ 'rb/s.md': secretRunbook(name) });
    session = startTmux(`node ${BIN} run rb/s.md --plain --record-dir records`, { cwd: w.dir, env: w.env, columns: 200 });
    const t = session;
    await t.waitFor('Deploy token');
    t.type(typed);
    await t.waitFor('••••');
    t.send('Enter');
    await t.waitFor('Store it in the OS keychain');
    t.send('Enter');
    await t.waitFor('Start the run?');
    t.send('Enter');
    const end = await t.waitFor('EXIT=');
    expect(end).toMatch(/EXIT=0/);
    expect(end).not.toContain(typed);
    expect(await (await keytar()).getPassword('handrail', name)).toBe(typed);

    const next = await runCli(['run', 'rb/s.md', '--yes', '--record-dir', 'records'], { cwd: w.dir, env: w.env });
    expect(next.code).toBe(0);
    expect(next.stdout).toMatch(/TOKEN: from keychain/);
  });
});

describe('§5 a token GitHub does not take (loopback GitHub: github.com cannot be reached from tests)', () => {
  const GH = `${front(`secrets:
  GH_PAT:
    prompt: PAT
    keychain: acc-gh-pat
    env: ACC_GH_PAT
    scopes: [read:org]
github:
  token: GH_PAT
`)}# First

\`\`\`sh run id=first
touch ran.txt
\`\`\`

# Who

\`\`\`yaml github
request: GET /user
\`\`\`
`;

  it("a rejected token stops the run before step 1 and names this runbook's env var and keychain account", async () => {
    const github = await startGithubServer({ state: { tokens: { 'good-token': { login: 'alice', scopes: ['read:org'] } } } });
    try {
      const w = workspace({ 'rb/gh.md': GH }, { ACC_GH_PAT: 'revoked-token' });
      const r = await runCli(['run', 'rb/gh.md', '--yes', '--github-api', github.url, '--record-dir', 'records'], {
        cwd: w.dir,
        env: w.env,
      });
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toMatch(
        /401 Bad credentials.*set ACC_GH_PAT to a valid token or store one with `handrail auth login --name acc-gh-pat`/,
      );
      expect(r.stdout + r.stderr).not.toContain('revoked-token');
      expect(existsSync(w.file('rb/ran.txt'))).toBe(false);
    } finally {
      await github.close();
    }
  });

  it('a missing scope stops the run before step 1, lists it, and says where this runbook reads the new token from', async () => {
    const github = await startGithubServer({ state: { tokens: { 'narrow-token': { login: 'alice', scopes: ['repo'] } } } });
    try {
      const w = workspace({ 'rb/gh.md': GH }, { ACC_GH_PAT: 'narrow-token' });
      const r = await runCli(['run', 'rb/gh.md', '--yes', '--github-api', github.url, '--record-dir', 'records'], {
        cwd: w.dir,
        env: w.env,
      });
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toMatch(
        /GH_PAT lacks the scope read:org; make a token with that scope, then set ACC_GH_PAT to a valid token or store one with `handrail auth login --name acc-gh-pat`/,
      );
      expect(existsSync(w.file('rb/ran.txt'))).toBe(false);
    } finally {
      await github.close();
    }
  });

  it('a GitHub that cannot be reached is not blamed on the token', async () => {
    const w = workspace({ 'rb/gh.md': GH }, { ACC_GH_PAT: 'good-token' });
    const r = await runCli(['run', 'rb/gh.md', '--yes', '--github-api', 'http://127.0.0.1:1', '--record-dir', 'records'], {
      cwd: w.dir,
      env: w.env,
    });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/Could not reach GitHub at http:\/\/127\.0\.0\.1:1.*check the network or --github-api/);
    expect(r.stdout + r.stderr).not.toMatch(/did not accept the token/);
  });
});

describe('§6 Ctrl-C pressed twice in line mode', () => {
  const STUBBORN = `${front()}# Stubborn

\`\`\`sh run id=stubborn
trap '' INT TERM
echo $$ > stubborn.pid
echo stubborn-started
while :; do sleep 0.05; done
\`\`\`

# After

\`\`\`sh run id=after
touch after-ran
\`\`\`
`;

  it('the second SIGINT while a step ignores the first still ends the step and writes the aborted record', async () => {
    const w = workspace({ 'rb/stubborn.md': STUBBORN });
    const child = spawn(process.execPath, [BIN, 'run', 'rb/stubborn.md', '--yes', '--record-dir', 'records'], {
      cwd: w.dir,
      env: { ...process.env, ...w.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 400 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
      expect(ok()).toBe(true);
    };
    await until(() => existsSync(w.file('rb/stubborn.pid')));
    child.kill('SIGINT');
    await until(() => out.includes('interrupted: ending the running step'));
    child.kill('SIGINT');
    await until(() => out.includes('still ending the running step'));
    expect(await exited).toBe(1);
    const pid = Number(readFileSync(w.file('rb/stubborn.pid'), 'utf8'));
    expect(pid).toBeGreaterThan(1);
    expect(() => process.kill(pid, 0)).toThrow();
    const p = statementOf(readEnvelope(onlyRecord(w.file('records')))).predicate;
    expect(p.outcome).toBe('aborted');
    expect((p.steps as Json[]).map((s) => s.status)).toEqual(['failed', 'not-run']);
    expect(existsSync(w.file('rb/after-ran'))).toBe(false);
    expect(out).not.toMatch(STACK);
  });
});

describe('§7 resume never mixes live and rehearsal', () => {
  it('a rehearsal does not continue a live run that died (the record would call live work a rehearsal); the live run resumes later', async () => {
    const w = workspace({ 'rb/crashy.md': CRASHY });
    await crashAtStepTwo(w);

    const explicit = await runCli(['run', 'rb/crashy.md', '--yes', '--dry-run', '--resume', '--record-dir', 'records'], {
      cwd: w.dir,
      env: w.env,
    });
    expect(explicit.code).toBe(2);
    expect(explicit.stderr).toMatch(/unfinished live run.*without --dry-run.*--restart/);
    expect(explicit.stderr).not.toMatch(STACK);

    const rehearsal = await runCli(['run', 'rb/crashy.md', '--yes', '--dry-run', '--record-dir', 'records'], { cwd: w.dir, env: w.env });
    expect(rehearsal.code).toBe(0);
    expect(rehearsal.stderr).toMatch(/unfinished live run of this runbook is left as it is/);
    const rehearsed = statementOf(readEnvelope(onlyRecord(w.file('records')))).predicate;
    expect(rehearsed.mode).toBe('rehearsal');
    expect(rehearsed.resumes).toEqual([]);
    expect((rehearsed.steps as Json[]).map((s) => s.status)).toEqual(['rehearsed', 'rehearsed', 'rehearsed']);

    const live = await runCli(['run', 'rb/crashy.md', '--yes', '--record-dir', 'live-records'], { cwd: w.dir, env: w.env });
    expect(live.code).toBe(0);
    const resumed = statementOf(readEnvelope(onlyRecord(w.file('live-records')))).predicate;
    expect(resumed.mode).toBe('live');
    expect(resumed.resumes).toHaveLength(1);
    expect(readFileSync(w.file('rb/ran.txt'), 'utf8')).toBe('one\ntwo\ntwo\nthree\n');
  });
});

describe('§7 a run still going is not an unfinished run', () => {
  it('a second handrail on the same runbook refuses to resume or restart it while the first runs; the first still ends with its record', async () => {
    const w = workspace({ 'rb/crashy.md': CRASHY });
    const first = spawn(process.execPath, [BIN, 'run', 'rb/crashy.md', '--yes', '--record-dir', 'records'], {
      cwd: w.dir,
      env: { ...process.env, ...w.env },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((r) => first.once('exit', (code) => r(code)));
    for (let i = 0; i < 400 && !existsSync(w.file('rb/started-two')); i++) await new Promise((r) => setTimeout(r, 25));
    expect(existsSync(w.file('rb/started-two'))).toBe(true);

    for (const extra of [[], ['--restart']]) {
      const second = await runCli(['run', 'rb/crashy.md', '--yes', '--record-dir', 'records', ...extra], { cwd: w.dir, env: w.env });
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(new RegExp(`being run right now by handrail process ${first.pid}`));
    }
    // Step two ran once, by the first process only.
    expect(readFileSync(w.file('rb/ran.txt'), 'utf8')).toBe('one\ntwo\n');

    first.kill('SIGINT');
    expect(await exited).toBe(1);
    const p = statementOf(readEnvelope(onlyRecord(w.file('records')))).predicate;
    expect(p.outcome).toBe('aborted');
    const [journal] = journals(w);
    checkChain(journal!);
  });
});

/** The base64 text the token's bytes become wherever they start in a base64 payload, edges cut. */
function base64Alignments(secret: string): string[] {
  return [0, 1, 2].map((pad) => {
    const text = Buffer.concat([Buffer.alloc(pad), Buffer.from(secret)]).toString('base64');
    const first = Math.ceil((pad * 8) / 6);
    const last = Math.floor(((pad + Buffer.byteLength(secret)) * 8) / 6);
    return text.slice(first, last);
  });
}
