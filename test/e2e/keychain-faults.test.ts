// A keychain that is there but cannot be used: a gnome-keyring that never answers (stopped with
// SIGSTOP), and one whose collection is locked. Each test has a real gnome-keyring of its own on a
// D-Bus session of its own, so stopping or locking it touches nothing else. handrail must end
// within its 5 s bound (not when D-Bus gives up, ~50 s later), never crash (keytar itself crashes
// listing locked items), and say in one sentence what to do; nothing is stored and no step runs.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/cli';
import { startGithubServer } from '../helpers/github-server';
import { describeKeychain, startPrivateKeyring, type PrivateKeyring } from '../helpers/keyring';

// Generous against the 5 s bound on a loaded machine, far short of D-Bus's own ~50 s.
const BOUND_MS = 20_000;
const ENV_ADVICE = "give the token in the environment variable the runbook's secrets: env: names instead";
const RUN_NAMES = '(`handrail run` names the variable when the token is missing)';
const STUCK = {
  reason: 'it did not answer within 5s',
  fix: 'make sure its service (e.g. gnome-keyring-daemon) is running and not stuck, then run handrail again',
};
const LOCKED = {
  reason: 'the keyring is locked',
  fix: "unlock it (e.g. in the desktop's Passwords and Keys) and run handrail again",
};

let keyring: PrivateKeyring | undefined;
afterEach(() => {
  keyring?.stop();
  keyring = undefined;
});

async function setup(state: 'stuck' | 'locked') {
  const home = tempHome('handrail-keyring-');
  keyring = await startPrivateKeyring(home.root);
  const env = { ...home.env, ...keyring.env };
  // A token stored while the keyring answers: listing it is what keytar crashes on once it is locked.
  const stored = await runCli(['auth', 'login', '--name', 'deploy', '--with-token'], {
    env,
    input: `ghp_${randomBytes(18).toString('hex')}\n`,
  });
  expect(stored.code).toBe(0);
  const datesPath = join(home.env.XDG_CONFIG_HOME!, 'handrail', 'token-dates.json');
  const dates = readFileSync(datesPath, 'utf8');
  if (state === 'stuck') keyring.freeze();
  else keyring.lock();

  const marker = join(home.root, 'step-ran');
  const runbook = join(home.root, 'deploy.md');
  writeFileSync(
    runbook,
    `---
id: deploy
title: Deploy
version: 1.0.0
secrets:
  DEPLOY_TOKEN:
    prompt: Deploy token
    keychain: deploy
    env: DEPLOY_TOKEN
---

# Deploy

\`\`\`sh run id=deploy secrets=DEPLOY_TOKEN
touch ${marker}
\`\`\`
`,
  );
  const records = join(home.root, 'records');
  const run = (extra: NodeJS.ProcessEnv = {}) =>
    runCli(['run', runbook, '--yes', '--record-dir', records], { cwd: home.root, env: { ...env, ...extra }, timeoutMs: BOUND_MS });
  return {
    env,
    run,
    records,
    ran: () => existsSync(marker),
    /** Nothing new was stored: the token dates are as the first login left them. */
    nothingStored: () => expect(readFileSync(datesPath, 'utf8')).toBe(dates),
  };
}

/** Ended by itself within the bound, with one line on stderr and no trace of a crash. */
function expectEndedWithOneSentence(r: Awaited<ReturnType<typeof runCli>>, code: number) {
  expect(r.signal).toBeNull();
  expect(r.code).toBe(code);
  expect(r.stderr).not.toMatch(/\n\s+at |Segmentation|CRITICAL|core dumped/);
}

for (const [state, why] of [
  ['stuck', STUCK],
  ['locked', LOCKED],
] as const) {
  describeKeychain(`a keychain that ${state === 'stuck' ? 'never answers' : 'is locked'}`, () => {
    it('auth login stores nothing and says what to do in one sentence (exit 1)', async () => {
      const s = await setup(state);
      const r = await runCli(['auth', 'login', '--name', 'other', '--with-token'], { env: s.env, input: 'ghp_new\n', timeoutMs: BOUND_MS });
      expectEndedWithOneSentence(r, 1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `handrail: The OS keychain is not available (${why.reason}), so nothing can be stored; ${why.fix}, or ${ENV_ADVICE} ${RUN_NAMES}.\n`,
      );
      s.nothingStored();
    });

    it('auth status says what to do in one sentence (exit 1)', async () => {
      const s = await setup(state);
      const r = await runCli(['auth', 'status'], { env: s.env, timeoutMs: BOUND_MS });
      expectEndedWithOneSentence(r, 1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `handrail: The OS keychain is not available (${why.reason}), so no stored token can be listed; ${why.fix}, or ${ENV_ADVICE} ${RUN_NAMES}.\n`,
      );
    });

    it('a run needing the stored secret names the variable to use instead and runs nothing (exit 2)', async () => {
      const s = await setup(state);
      const r = await s.run();
      expectEndedWithOneSentence(r, 2);
      expect(r.stderr).toContain(
        `The OS keychain is not available (${why.reason}); ${why.fix}, or give the token in DEPLOY_TOKEN instead (read -rs DEPLOY_TOKEN && export DEPLOY_TOKEN, then run handrail again).\n`,
      );
      expect(r.stderr).toContain('DEPLOY_TOKEN');
      expect(s.ran()).toBe(false);
    });

    it('a run given the secret in its variable, as told, completes with its record (exit 0)', async () => {
      const s = await setup(state);
      const r = await s.run({ DEPLOY_TOKEN: 'ghp_from_the_environment' });
      expectEndedWithOneSentence(r, 0);
      expect(s.ran()).toBe(true);
      expect(readdirSync(s.records).filter((f) => f.endsWith('-completed.json'))).toHaveLength(1);
    });
  });
}

describeKeychain('a keychain that answers but refuses to store', () => {
  async function login(state: 'no keyring yet' | 'locked') {
    const home = tempHome('handrail-keyring-');
    keyring = await startPrivateKeyring(home.root, { unlock: state === 'locked' });
    // Locked with nothing of handrail's in it: the first look finds nothing, the store is refused.
    if (state === 'locked') keyring.lock();
    const r = await runCli(['auth', 'login', '--name', 'deploy', '--with-token'], {
      env: { ...home.env, ...keyring.env },
      input: 'ghp_refused\n',
      timeoutMs: BOUND_MS,
    });
    expectEndedWithOneSentence(r, 1);
    expect(r.stdout).toBe('');
    expect(existsSync(join(home.env.XDG_CONFIG_HOME!, 'handrail', 'token-dates.json'))).toBe(false);
    return r.stderr;
  }

  it('a gnome-keyring started without a password, with no keyring yet: says how to make one (exit 1)', async () => {
    expect(await login('no keyring yet')).toBe(
      'handrail: the OS keychain refused to store a token: it has no keyring to keep it in, and could not ask for a password to make one; make one with gnome-keyring-daemon --replace --unlock (type a password for it, then Ctrl-D), then run handrail again.\n',
    );
  });

  it('a locked collection: says to unlock it (exit 1)', async () => {
    expect(await login('locked')).toBe(`handrail: the OS keychain refused to store a token: ${LOCKED.reason}; ${LOCKED.fix}.\n`);
  });
});

describeKeychain('a keychain that stops answering in the middle of a command', () => {
  it('auth status ends within the bound, having said so, instead of waiting for D-Bus (exit 1)', async () => {
    const home = tempHome('handrail-keyring-');
    keyring = await startPrivateKeyring(home.root);
    const k = keyring;
    const env = { ...home.env, ...k.env };
    for (const name of ['a-first', 'b-second']) {
      expect((await runCli(['auth', 'login', '--name', name, '--with-token'], { env, input: `ghp_${name}\n` })).code).toBe(0);
    }
    const gh = await startGithubServer();
    for (const name of ['a-first', 'b-second']) gh.state.tokens[`ghp_${name}`] = { login: 'octo', scopes: ['repo'] };
    try {
      // The keyring stops while GitHub is asked about the first token: reading the second never ends.
      gh.route('GET', '/user', () => {
        k.freeze();
        return { status: 200, body: { login: 'octo' } };
      });
      const r = await runCli(['auth', 'status', '--github-api', gh.url], { env, timeoutMs: BOUND_MS });
      expectEndedWithOneSentence(r, 1);
      expect(r.stdout).toBe('a-first: stored today; GitHub user octo; scopes: repo\n');
      // The first token was announced before it went to GitHub (SPEC §5.1); then the one sentence.
      expect(r.stderr).toBe(
        `handrail: GitHub token from keychain account a-first goes to ${new URL(gh.url).origin} (auth status)\n` +
          `handrail: the OS keychain did not answer within 5s (read a token); ${STUCK.fix}, or ${ENV_ADVICE}.\n`,
      );
    } finally {
      await gh.close();
    }
  });
});
