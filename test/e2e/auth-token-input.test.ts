// How a token reaches handrail, through the built CLI: `auth login` with a token piped with the line
// break and spaces a copy or a file leaves around it, with whitespace inside, with nothing piped or no
// terminal, and `--with-token` typed on a terminal (tmux); and a run's secret given in its variable
// with whitespace around it. The keychain is the real gnome-keyring `npm test` starts.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openKeychain, type Keychain } from '../../src/secrets/keychain';
import { BIN, runCli, tempHome } from '../helpers/cli';
import { describeKeychain } from '../helpers/keyring';
import { hasTmux, startTmux, type TmuxSession } from '../helpers/tmux';

const token = () => `ghp_${randomBytes(18).toString('hex')}`;
const account = (label: string) => `test-${label}-${randomBytes(4).toString('hex')}`;

async function keychain(): Promise<Keychain> {
  const status = await openKeychain();
  if (!status.available) throw new Error(`the test keyring is not usable: ${status.reason}`);
  return status.keychain;
}

describeKeychain('auth login: the token as it is piped or typed', () => {
  let session: TmuxSession | undefined;
  const made: string[] = [];
  afterEach(async () => {
    session?.kill();
    session = undefined;
    const k = await keychain();
    for (const name of made.splice(0)) await k.delete(name);
  });

  /** Runs `auth login` with `input` piped; returns what the operator saw and what the keychain holds. */
  async function login(input: string | undefined, ...flags: string[]) {
    const home = tempHome('handrail-token-');
    const name = account('ws');
    made.push(name);
    const r = await runCli(['auth', 'login', '--name', name, ...flags], { env: home.env, input });
    const stored = await (await keychain()).get(name);
    const datesWritten = existsSync(join(home.env.XDG_CONFIG_HOME!, 'handrail', 'token-dates.json'));
    return { ...r, name, stored, datesWritten };
  }

  for (const [label, around] of [
    ['a trailing newline', (t: string) => `${t}\n`],
    ['a trailing CRLF', (t: string) => `${t}\r\n`],
    ['spaces around it', (t: string) => `  ${t}  \n`],
    ['a tab before and CRLF after', (t: string) => `\t${t}\r\n`],
  ] as const) {
    it(`stores the token alone when piped with ${label}`, async () => {
      const t = token();
      const r = await login(around(t), '--with-token');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`Stored the token as "${r.name}" in the OS keychain (service handrail).\n`);
      expect(r.stored).toBe(t);
    });
  }

  for (const [label, inside] of [
    ['a space', (t: string) => `${t.slice(0, 10)} ${t.slice(10)}\n`],
    ['a tab', (t: string) => `${t.slice(0, 10)}\t${t.slice(10)}\n`],
    ['two tokens on two lines', (t: string) => `${t}\n${token()}\n`],
  ] as const) {
    it(`refuses a token with ${label} inside, in one sentence, storing nothing (exit 2)`, async () => {
      const t = token();
      const r = await login(inside(t), '--with-token');
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `handrail: The token has a space, tab or line break inside it (a GitHub token never does), so nothing was stored; give exactly one token, e.g. \`gh auth token | handrail auth login --name ${r.name} --with-token\`.\n`,
      );
      expect(r.stderr).not.toContain(t.slice(10));
      expect(r.stored).toBeUndefined();
      expect(r.datesWritten).toBe(false);
    });
  }

  it('--with-token with nothing piped says how to pipe one, storing nothing (exit 2)', async () => {
    const r = await login('', '--with-token');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `handrail: No token was given on stdin, so nothing was stored; pipe one in, e.g. \`gh auth token | handrail auth login --name ${r.name} --with-token\`.\n`,
    );
    expect(r.stored).toBeUndefined();
    expect(r.datesWritten).toBe(false);
  });

  for (const [label, input] of [
    ['stdin closed and empty', undefined],
    ['a token piped without --with-token', `${token()}\n`],
  ] as const) {
    it(`without a terminal (${label}) says how to pipe a token, storing nothing (exit 2)`, async () => {
      const r = await login(input);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `handrail: There is no terminal to ask for the token on, so nothing was stored; pipe it in with --with-token, e.g. \`gh auth token | handrail auth login --name ${r.name} --with-token\`.\n`,
      );
      expect(r.stored).toBeUndefined();
      expect(r.datesWritten).toBe(false);
    });
  }

  it.skipIf(!hasTmux)('--with-token typed on a terminal asks masked: the token never shows (80x24)', async () => {
    const home = tempHome('handrail-token-');
    const name = account('tty');
    made.push(name);
    const t = token();
    session = startTmux(`node ${BIN} auth login --name ${name} --with-token`, {
      cwd: home.root,
      env: {
        ...(home.env as Record<string, string>),
        DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS ?? '',
        TERM: 'xterm-256color',
      },
      columns: 80,
      rows: 24,
    });
    await session.waitFor(`GitHub token to store as "${name}"`);
    session.type(t);
    await session.waitFor((screen) => (screen.match(/•/g) ?? []).length === t.length);
    session.send('Enter');
    const screen = await session.waitFor('EXIT=');
    expect(screen).toContain(`Stored the token as "${name}" in the OS keychain (service handrail).`);
    expect(screen).toMatch(/EXIT=0/);
    expect(screen).not.toContain(t.slice(4, 12));
    expect(await (await keychain()).get(name)).toBe(t);
  });
});

describe("a run's secret given in its variable with whitespace around it", () => {
  function run(value: string) {
    const home = tempHome('handrail-token-');
    const runbook = join(home.root, 'ws.md');
    writeFileSync(
      runbook,
      `---
id: ws
title: Token with whitespace
version: 1.0.0
secrets:
  GH_PAT:
    prompt: PAT
    env: WS_PAT
---

# Use it

\`\`\`sh run id=use secrets=GH_PAT
printf '%s' "$GH_PAT" > "${join(home.root, 'seen')}"
echo unquoted: $GH_PAT
echo stripped: "$(printf '%s' "$GH_PAT" | tr -d '\\r')"
\`\`\`
`,
    );
    const result = runCli(['run', runbook, '--yes'], { cwd: home.root, env: { ...home.env, HANDRAIL_NO_KEYCHAIN: '1', WS_PAT: value } });
    return { result, seen: () => readFileSync(join(home.root, 'seen'), 'utf8') };
  }

  for (const [label, around] of [
    ['a trailing CR (a CRLF file read with $(cat))', (t: string) => `${t}\r`],
    ['a trailing newline', (t: string) => `${t}\n`],
    ['spaces around it', (t: string) => `  ${t} `],
  ] as const) {
    it(`the step gets the token alone, and its shell cannot print it unmasked: ${label}`, async () => {
      const t = token();
      const { result, seen } = run(around(t));
      const r = await result;
      expect(r.code).toBe(0);
      expect(seen()).toBe(t);
      expect(r.stdout).toContain('unquoted: ••••\n');
      expect(r.stdout).toContain('stripped: ••••\n');
      expect(r.stdout + r.stderr).not.toContain(t.slice(4));
    });
  }

  it('whitespace inside a secret is kept (a passphrase may have spaces)', async () => {
    const { result, seen } = run(' correct horse battery\tstaple\n');
    expect((await result).code).toBe(0);
    expect(seen()).toBe('correct horse battery\tstaple');
  });

  it('a variable holding only whitespace counts as not set (exit 2, nothing run)', async () => {
    const { result, seen } = run(' \r\n');
    const r = await result;
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Run failed: secret GH_PAT was not found and --yes cannot ask for it; set WS_PAT.\n');
    expect(seen).toThrow();
  });
});
