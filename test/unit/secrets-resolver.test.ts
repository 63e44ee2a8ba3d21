// Secret resolution (env → keychain → ask) with the real OS keychain: the gnome-keyring that
// `npm test` starts in a private D-Bus session. The prompter is a scripted stand-in for the
// operator at a terminal (none exists under test).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HandrailError } from '../../src/core/errors';
import type { Prompter, SecretRequest } from '../../src/core/prompter';
import { createSecretResolver, Masker, MASK, openKeychain, TokenDates } from '../../src/secrets';
import type { Keychain } from '../../src/secrets/keychain';
import type { SecretSpec } from '../../src/core/model';
import { describeKeychain } from '../helpers/keyring';

function scriptedPrompter(answers: { value: string; store: boolean }[]): Prompter & { asked: SecretRequest[] } {
  const asked: SecretRequest[] = [];
  const unexpected = () => {
    throw new Error('not asked in these tests');
  };
  return {
    asked,
    secret: async (request) => {
      asked.push(request);
      const answer = answers.shift();
      if (!answer) throw new Error('asked more often than scripted');
      return answer;
    },
    begin: unexpected,
    input: unexpected,
    confirmStep: unexpected,
    tasks: unexpected,
    failure: unexpected,
    resume: unexpected,
    interrupted: unexpected,
    withTerminal: unexpected,
  };
}

function configEnv(): NodeJS.ProcessEnv {
  return { XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'handrail-secrets-')) };
}

const secretValue = () => `ghp_${randomBytes(16).toString('hex')}`;

describeKeychain('secret resolver with the real keychain', () => {
  const cleanup: string[] = [];
  let keychain: Keychain;
  const account = () => {
    const name = `test-resolver-${randomBytes(4).toString('hex')}`;
    cleanup.push(name);
    return name;
  };

  afterEach(async () => {
    for (const name of cleanup.splice(0)) await keychain.delete(name);
  });

  async function realKeychain(): Promise<Keychain> {
    const status = await openKeychain();
    if (!status.available) throw new Error(`the test keyring is not usable: ${status.reason}`);
    keychain = status.keychain;
    return keychain;
  }

  it('reads a token from the keychain without asking, and registers it with the masker', async () => {
    const kc = await realKeychain();
    const spec: SecretSpec = { prompt: 'PAT', keychain: account(), env: 'HANDRAIL_TEST_UNSET_VAR' };
    const value = secretValue();
    await kc.set(spec.keychain!, value);
    const prompter = scriptedPrompter([]);
    const masker = new Masker();
    const resolver = createSecretResolver({ prompter, env: configEnv(), masker });
    expect(await resolver.lookup('GH_PAT', spec)).toEqual({ source: 'keychain', ageDays: undefined });
    expect(await resolver.resolve('GH_PAT', spec)).toEqual({ value, source: 'keychain' });
    expect(prompter.asked).toHaveLength(0);
    expect(masker.mask(`x ${value} y`)).toBe(`x ${MASK} y`);
  });

  it('lets the env var win over the keychain', async () => {
    const kc = await realKeychain();
    const spec: SecretSpec = { prompt: 'PAT', keychain: account(), env: 'GH_TOKEN' };
    await kc.set(spec.keychain!, secretValue());
    const resolver = createSecretResolver({ prompter: scriptedPrompter([]), env: { ...configEnv(), GH_TOKEN: 'from-the-env-1234' } });
    expect(await resolver.lookup('GH_PAT', spec)).toEqual({ source: 'env' });
    expect(await resolver.resolve('GH_PAT', spec)).toEqual({ value: 'from-the-env-1234', source: 'env' });
  });

  it('asks for a missing token once, stores it when the operator wants, and records its date', async () => {
    const kc = await realKeychain();
    const spec: SecretSpec = { prompt: 'PAT', keychain: account() };
    const value = secretValue();
    const env = configEnv();
    const prompter = scriptedPrompter([{ value, store: true }]);
    const resolver = createSecretResolver({ prompter, env });
    expect(await resolver.lookup('GH_PAT', spec)).toEqual({ source: 'missing' });
    expect(await resolver.resolve('GH_PAT', spec)).toEqual({ value, source: 'prompt' });
    expect(await resolver.resolve('GH_PAT', spec)).toEqual({ value, source: 'prompt' });
    expect(prompter.asked).toEqual([{ name: 'GH_PAT', spec, canStore: true }]);
    expect(await kc.get(spec.keychain!)).toBe(value);

    const datesFile = new TokenDates(env).path;
    expect(statSync(datesFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(datesFile, 'utf8')).not.toContain(value);
    // A later run finds it in the keychain, stored today.
    const next = createSecretResolver({ prompter: scriptedPrompter([]), env });
    expect(await next.lookup('GH_PAT', spec)).toEqual({ source: 'keychain', ageDays: 0 });
  });

  it('does not store what the operator chose not to keep', async () => {
    const kc = await realKeychain();
    const spec: SecretSpec = { prompt: 'PAT', keychain: account() };
    const resolver = createSecretResolver({ prompter: scriptedPrompter([{ value: secretValue(), store: false }]), env: configEnv() });
    expect((await resolver.resolve('GH_PAT', spec)).source).toBe('prompt');
    expect(await kc.get(spec.keychain!)).toBeUndefined();
  });

  it('warns once, without the value, when the stored token is older than max_age_days', async () => {
    const kc = await realKeychain();
    const spec: SecretSpec = { prompt: 'PAT', keychain: account(), max_age_days: 90 };
    const value = secretValue();
    await kc.set(spec.keychain!, value);
    const env = configEnv();
    const now = new Date('2030-06-01T00:00:00Z');
    new TokenDates(env).set(spec.keychain!, new Date('2030-02-01T00:00:00Z'));
    const warnings: string[] = [];
    const resolver = createSecretResolver({ prompter: scriptedPrompter([]), env, now: () => now, onWarning: (m) => warnings.push(m) });
    expect(await resolver.lookup('GH_PAT', spec)).toEqual({ source: 'keychain', ageDays: 120 });
    await resolver.resolve('GH_PAT', spec);
    await resolver.resolve('GH_PAT', spec);
    expect(warnings).toEqual([
      `GH_PAT: the token stored in the keychain as "${spec.keychain}" is 120 days old (max_age_days is 90); rotate it and store the new one with \`handrail auth login --name ${spec.keychain}\`.`,
    ]);
  });

  it('does not warn about a token within max_age_days', async () => {
    const kc = await realKeychain();
    const spec: SecretSpec = { prompt: 'PAT', keychain: account(), max_age_days: 90 };
    await kc.set(spec.keychain!, secretValue());
    const env = configEnv();
    new TokenDates(env).set(spec.keychain!, new Date(Date.now() - 10 * 86_400_000));
    const warnings: string[] = [];
    await createSecretResolver({ prompter: scriptedPrompter([]), env, onWarning: (m) => warnings.push(m) }).resolve('GH_PAT', spec);
    expect(warnings).toEqual([]);
  });
});

describe('secret resolver without a keychain', () => {
  const noKeychain = async () => ({ available: false as const, reason: 'no D-Bus session is running' });

  it('says so once, asks with no offer to store, and writes nothing', async () => {
    const env = configEnv();
    const warnings: string[] = [];
    const prompter = scriptedPrompter([
      { value: 'typed-secret-1', store: true },
      { value: 'typed-secret-2', store: true },
    ]);
    const resolver = createSecretResolver({ prompter, env, keychain: noKeychain, onWarning: (m) => warnings.push(m) });
    const spec: SecretSpec = { prompt: 'PAT', keychain: 'ghcr-publish-pat', env: 'GHCR_PAT' };
    expect(await resolver.lookup('A', spec)).toEqual({ source: 'missing' });
    expect(await resolver.resolve('A', spec)).toEqual({ value: 'typed-secret-1', source: 'prompt' });
    expect(await resolver.resolve('B', { ...spec, keychain: 'other' })).toEqual({ value: 'typed-secret-2', source: 'prompt' });
    expect(prompter.asked.map((r) => r.canStore)).toEqual([false, false]);
    // One sentence that names the variable this runbook reads, and how to start a keychain.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^The OS keychain is not available \(no D-Bus session is running\); give the token in GHCR_PAT instead \(read -rs GHCR_PAT && export GHCR_PAT, then run handrail again\), or start a (keychain for this shell: dbus-run-session -- bash, then gnome-keyring-daemon --unlock|Secret Service keychain).*\.$/,
    );
    expect(existsSync(join(env.XDG_CONFIG_HOME!, 'handrail'))).toBe(false);
  });

  it('still takes the env var', async () => {
    const resolver = createSecretResolver({ prompter: scriptedPrompter([]), env: { GH_TOKEN: 'env-token-value' }, keychain: noKeychain });
    expect(await resolver.resolve('A', { prompt: 'PAT', keychain: 'x', env: 'GH_TOKEN' })).toEqual({
      value: 'env-token-value',
      source: 'env',
    });
  });

  it('an empty answer is an error that says where a value could come from', async () => {
    const resolver = createSecretResolver({ prompter: scriptedPrompter([{ value: '', store: false }]), env: {}, keychain: noKeychain });
    const error = await resolver
      .resolve('GH_PAT', { prompt: 'PAT', keychain: 'ghcr-publish-pat', env: 'GH_TOKEN' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HandrailError);
    expect((error as Error).message).toBe(
      'No value was given for the secret GH_PAT; set $GH_TOKEN or run `handrail auth login --name ghcr-publish-pat`.',
    );
  });

  it('a secret without `keychain:` never touches the keychain', async () => {
    let opened = 0;
    const resolver = createSecretResolver({
      prompter: scriptedPrompter([{ value: 'typed-value', store: true }]),
      env: {},
      keychain: async () => {
        opened++;
        return noKeychain();
      },
    });
    expect(await resolver.resolve('A', { prompt: 'PAT' })).toEqual({ value: 'typed-value', source: 'prompt' });
    expect(opened).toBe(0);
  });
});
