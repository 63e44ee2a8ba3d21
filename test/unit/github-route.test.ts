// `{NAME}` placeholders in a github step's route and fields, and the one-line view of fields the
// operator confirms: the pieces of SPEC §3.2 (what is shown is what runs) that need no server.
import { describe, expect, it } from 'vitest';
import { describeFields, fillFields, fillRoute, truncate } from '../../src/github/route';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('fillRoute', () => {
  it('URL-encodes each value into its own segment', () => {
    expect(fillRoute('/repos/{ORG}/{REPO}/tags/{TAG}', { ORG: 'acme', REPO: 'web app', TAG: 'v1+rc?' })).toBe(
      '/repos/acme/web%20app/tags/v1%2Brc%3F',
    );
  });

  it('sends a value with a stray % (not %-encoding) encoded, as one segment', () => {
    expect(fillRoute('/repos/{ORG}/{REPO}', { ORG: 'acme', REPO: '100%' })).toBe('/repos/acme/100%25');
  });

  it('names the one placeholder whose value splits a segment, with the value the operator gave', () => {
    const message = refusal(() => fillRoute('/repos/{ORG}/{NAME}-{TAG}', { ORG: 'acme', NAME: 'a/b', TAG: '1' }));
    expect(message).toBe(
      '{NAME} in /repos/{ORG}/{NAME}-{TAG} is "a/b", which is not exactly one path segment (it is empty, "." or "..", or holds "/" or "\\", also %-encoded), so the request was not sent.',
    );
    expect(refusal(() => fillRoute('/repos/{ORG}/{NAME}-{TAG}', { ORG: 'acme', NAME: 'a', TAG: '%5C' }))).toMatch(
      /^\{TAG\} in .* is "%5C",/,
    );
  });

  it('names a lone placeholder with its own value even when text beside it makes the bad segment', () => {
    // `.{HOOK}` with HOOK='.' is the segment '..': the value shown is the one the operator can change.
    expect(refusal(() => fillRoute('/orgs/{ORG}/hooks/.{HOOK}', { ORG: 'acme', HOOK: '.' }))).toMatch(
      /^\{HOOK\} in \/orgs\/\{ORG\}\/hooks\/\.\{HOOK\} is "\.",/,
    );
  });

  // SPEC §3.2: a value can neither add a segment nor remove one, however it is written.
  it('refuses every value that is not exactly one segment: empty, . and .., slashes and backslashes, also %-encoded', () => {
    for (const bad of ['', '.', '..', '%2E', '%2e%2E', 'a/b', 'a\\b', '%2F', 'a%2fb', '%5C']) {
      expect(
        refusal(() => fillRoute('/repos/acme/{REPO}/hooks', { REPO: bad })),
        JSON.stringify(bad),
      ).toBe(
        `{REPO} in /repos/acme/{REPO}/hooks is ${JSON.stringify(bad)}, which is not exactly one path segment (it is empty, "." or "..", or holds "/" or "\\", also %-encoded), so the request was not sent.`,
      );
    }
    // Two values that are fine alone but make '..' together are refused, naming both.
    expect(refusal(() => fillRoute('/repos/acme/{A}{B}', { A: '.', B: '.' }))).toMatch(
      /^\{A\}\{B\} in \/repos\/acme\/\{A\}\{B\} is "\.\.",/,
    );
  });

  it('sends dots and percent signs that do not make a path segment, encoded', () => {
    expect(fillRoute('/repos/acme/{REPO}', { REPO: '...' })).toBe('/repos/acme/...');
    expect(fillRoute('/repos/acme/{REPO}', { REPO: '.github' })).toBe('/repos/acme/.github');
    expect(fillRoute('/repos/acme/{REPO}', { REPO: '%E0%A4%A' })).toBe('/repos/acme/%25E0%25A4%25A');
  });

  it('says which placeholder has no value yet', () => {
    expect(refusal(() => fillRoute('/orgs/{ORG}', {}))).toBe(
      '{ORG} in the request /orgs/{ORG} has no value yet; give it as an input or capture it in an earlier step.',
    );
  });
});

describe('fillFields', () => {
  it('fills every string, as-is, and keeps the JSON shape: arrays stay arrays, other values stay', () => {
    const fields = { names: ['{A}', { inner: 'x-{B}' }, 3], visibility: '{A}', count: 5, on: true, none: null };
    expect(fillFields(fields, { A: 'a/b', B: '"q"' })).toEqual({
      names: ['a/b', { inner: 'x-"q"' }, 3],
      visibility: 'a/b',
      count: 5,
      on: true,
      none: null,
    });
    expect(Array.isArray(fillFields(['{A}'], { A: '1' }))).toBe(true);
  });

  it('says which placeholder in the fields has no value yet', () => {
    expect(refusal(() => fillFields({ ref: ['{REF}'] }, {}))).toBe(
      '{REF} in the request fields has no value yet; give it as an input or capture it in an earlier step.',
    );
  });
});

describe('describeFields', () => {
  it('shows nothing for no fields or empty ones, and any other JSON value as it is sent', () => {
    expect(describeFields(undefined)).toBe('');
    expect(describeFields({})).toBe('');
    expect(describeFields(null)).toBe('null');
    expect(describeFields(5)).toBe('5');
    expect(describeFields('')).toBe('""');
    expect(describeFields({ visibility: 'public' })).toBe('{"visibility":"public"}');
  });

  it('cuts a long view to exactly the width it is given, ending in …', () => {
    const shown = describeFields({ body: 'x'.repeat(500) }, 40);
    expect(shown).toHaveLength(40);
    expect(shown).toBe(`{"body":"${'x'.repeat(30)}…`);
  });
});

describe('truncate', () => {
  it('keeps a text of exactly the width, and cuts one longer to the width with …', () => {
    expect(truncate('abcde', 5)).toBe('abcde');
    expect(truncate('abcdef', 5)).toBe('abcd…');
  });
});
