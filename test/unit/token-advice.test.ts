// The one place that says how to give handrail a token: each form's words, as errors print them.
import { describe, expect, it } from 'vitest';
import { authLogin, NO_TOKEN_ADVICE, REJECTED_TOKEN_ADVICE, rotateAdvice, secretWays, storeTokenAdvice } from '../../src/core/token-advice';

describe('token advice', () => {
  const spec = { env: 'ACC_GH_PAT', keychain: 'acc-gh-pat' };

  it('names the account and variable the runbook reads, in each form', () => {
    expect(secretWays(spec)).toBe('set ACC_GH_PAT or store it with `handrail auth login --name acc-gh-pat`');
    expect(secretWays(spec, 'token')).toBe('set ACC_GH_PAT to a valid token or store one with `handrail auth login --name acc-gh-pat`');
    expect(secretWays(spec, 'resolve')).toBe('set $ACC_GH_PAT or run `handrail auth login --name acc-gh-pat`');
    expect(secretWays({ keychain: 'ops' }, 'token')).toBe('store one with `handrail auth login --name ops`');
    expect(secretWays({})).toBe('');
    expect(secretWays(undefined, 'token')).toBe('');
  });

  it('uses the bare command for the default account', () => {
    expect(authLogin()).toBe('`handrail auth login`');
    expect(storeTokenAdvice('github')).toBe('store a token that may do this with `handrail auth login`');
    expect(storeTokenAdvice('ops')).toBe('store a token that may do this with `handrail auth login --name ops`');
    expect(rotateAdvice('ops')).toBe('rotate it and store the new one with `handrail auth login --name ops`');
    expect(REJECTED_TOKEN_ADVICE).toBe('store a valid one with `handrail auth login` or set its env var');
    expect(NO_TOKEN_ADVICE).toMatch(/^set GH_TOKEN, or store a token with `handrail auth login` \(/);
  });
});
