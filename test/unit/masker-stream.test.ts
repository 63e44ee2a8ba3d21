import { describe, expect, it } from 'vitest';
import { carriesSecret, leakForms, MASK, Masker } from '../../src/core/masker';

const SECRET = 'ghp_R8x/Zq+7Lm2Vt9Wk4Ys1Pa0Nc3Hd5Je6Fb';

function masker(...secrets: string[]): Masker {
  const m = new Masker();
  for (const s of secrets) m.add(s);
  return m;
}

/** A stream masker fed and read as text: it masks output as the UTF-8 bytes it was read as. */
function textStream(m: Masker): { push(text: string): string; flush(): string } {
  const s = m.stream();
  return { push: (text) => s.push(Buffer.from(text)).toString(), flush: () => s.flush().toString() };
}

/** Pushes the chunks through one stream and returns everything it emitted. */
function streamed(m: Masker, chunks: string[]): { out: string; emitted: string[] } {
  const s = textStream(m);
  const emitted = chunks.map((c) => s.push(c));
  emitted.push(s.flush());
  return { out: emitted.join(''), emitted };
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('Masker.mask', () => {
  it('masks the value, its base64, base64url and URL-encoded forms', () => {
    const m = masker(SECRET);
    const text = `raw=${SECRET} b64=${b64(SECRET)} url=${encodeURIComponent(SECRET)} b64url=${Buffer.from(SECRET).toString('base64url')}`;
    const out = m.mask(text);
    expect(out).toBe(`raw=${MASK} b64=${MASK} url=${MASK} b64url=${MASK}`);
  });

  it('masks the secret inside a longer base64 blob at every byte alignment (e.g. basic auth)', () => {
    const m = masker(SECRET);
    for (const prefix of ['', 'u:', 'us:', 'user:']) {
      const blob = b64(`${prefix}${SECRET}@end`);
      const out = m.mask(blob);
      expect(out.split(MASK)).toHaveLength(2);
      // Every base64 character that encodes only the secret's bytes is gone.
      const maskedChars = blob.length - (out.length - MASK.length);
      expect(maskedChars, `prefix ${JSON.stringify(prefix)}`).toBeGreaterThanOrEqual(Math.floor((SECRET.length * 8) / 6) - 1);
    }
  });

  it('masks the JSON-escaped form of a secret with quotes and backslashes', () => {
    const secret = 'pa"ss\\word';
    const m = masker(secret);
    expect(m.mask(JSON.stringify({ token: secret }))).toBe(`{"token":"${MASK}"}`);
  });

  it('masks overlapping secrets as one covered range, leaking neither', () => {
    const m = masker('abcd1234', '1234wxyz');
    expect(m.mask('<abcd1234wxyz>')).toBe(`<${MASK}>`);
    expect(m.mask('<abcd1234> <1234wxyz>')).toBe(`<${MASK}> <${MASK}>`);
  });

  it('leaves text alone when no secret is registered, and ignores values too short to mask', () => {
    const m = masker('abc');
    expect(m.size).toBe(0);
    expect(m.mask('abc abc')).toBe('abc abc');
  });
});

describe('StreamMasker', () => {
  it('masks the secret at every split point across two chunks', () => {
    const m = masker(SECRET);
    const line = `token: ${SECRET} done\n`;
    for (let i = 0; i <= line.length; i++) {
      const { out } = streamed(m, [line.slice(0, i), line.slice(i)]);
      expect(out, `split at ${i}`).toBe(`token: ${MASK} done\n`);
    }
  });

  it('masks the base64 form at every split point across two chunks', () => {
    const m = masker(SECRET);
    const line = `auth ${b64(SECRET)}\n`;
    for (let i = 0; i <= line.length; i++) {
      const { out } = streamed(m, [line.slice(0, i), line.slice(i)]);
      expect(out, `split at ${i}`).toBe(`auth ${MASK}\n`);
    }
  });

  it('masks a secret fed one character at a time', () => {
    const m = masker(SECRET);
    const text = `a${SECRET}b${encodeURIComponent(SECRET)}c`;
    const { out } = streamed(m, [...text]);
    expect(out).toBe(`a${MASK}b${MASK}c`);
  });

  it('masks overlapping secrets split at every point, never emitting a fragment of either', () => {
    const m = masker('abcdef', 'defghi');
    const text = 'xxabcdefghiyy';
    for (let i = 0; i <= text.length; i++) {
      const { out } = streamed(m, [text.slice(0, i), text.slice(i)]);
      expect(out.replace(/•+/g, '•'), `split at ${i}`).toBe('xx•yy');
    }
  });

  it('masks the tail of a secret that straddled the hold point even when the next chunk does not complete another', () => {
    const m = masker('abcdef', 'defghi');
    const { out } = streamed(m, ['xxabcdefgh', 'X']);
    expect(out).not.toMatch(/[a-f]/);
    expect(out.replace(/•+/g, '•')).toBe('xx•ghX');
  });

  it('does not hold back a line that cannot start a secret', () => {
    const m = masker(SECRET);
    const s = textStream(m);
    expect(s.push('build ok\n')).toBe('build ok\n');
    // Only the part that could begin the secret waits for the next chunk.
    expect(s.push('next: ghp_R8')).toBe('next: ');
    expect(s.push('x/Zq nope\n')).toBe('ghp_R8x/Zq nope\n');
    expect(s.flush()).toBe('');
  });

  it('passes chunks straight through when no secret is registered', () => {
    const s = textStream(new Masker());
    expect(s.push('ghp_')).toBe('ghp_');
    expect(s.flush()).toBe('');
  });

  it('never holds back more than the longest form minus one character', () => {
    const m = masker(SECRET);
    const s = textStream(m);
    const prefix = b64(SECRET).slice(0, -1);
    s.push(prefix);
    const emitted = s.push(prefix);
    expect(emitted.length).toBeGreaterThan(0);
    expect(s.flush().length).toBeLessThan(m.longest);
  });

  it('masks a secret registered after the stream began', () => {
    const m = new Masker();
    const s = textStream(m);
    expect(s.push('before ')).toBe('before ');
    m.add(SECRET);
    expect(s.push(`${SECRET.slice(0, 10)}`) + s.push(`${SECRET.slice(10)} after`) + s.flush()).toBe(`${MASK} after`);
  });

  it('masks a secret of multi-byte characters cut at any bytes, exactly as the whole text is masked', () => {
    const secret = 'pässwörd-日本-🔑-token';
    const m = masker(secret, SECRET);
    const text = Buffer.from(`a ${secret} b ${encodeURIComponent(secret)} c ${b64(secret)} d ${SECRET}${secret}\n`);
    const whole = m.mask(text.toString());
    expect(whole).not.toMatch(/pässwörd|token|ghp_/);
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j += 5) {
        const s = m.stream();
        const out = Buffer.concat([s.push(text.subarray(0, i)), s.push(text.subarray(i, j)), s.push(text.subarray(j)), s.flush()]);
        // Two secrets side by side show as one mask, or as two when a read ends between them.
        if (out.toString().replace(/(••••)+/g, MASK) !== whole) expect.fail(`cut at ${i} and ${j}: ${out.toString()}`);
      }
    }
  });

  it('keeps the end of a masked secret masked while it could still begin another secret', () => {
    const m = masker('abcdef', 'efgh12345');
    const { out } = streamed(m, ['xxabcdef', 'g', 'Z']);
    expect(out).not.toMatch(/[a-f]/);
    expect(out).toBe(`xx${MASK}gZ`);
  });

  it('masks a secret beside bytes that are not UTF-8, which pass on as they were', () => {
    const s = masker(SECRET).stream();
    const out = Buffer.concat([
      s.push(Buffer.concat([Buffer.from([0xff, 0xe2]), Buffer.from(SECRET.slice(0, 9))])),
      s.push(Buffer.from(`${SECRET.slice(9)}\x9b`)),
      s.flush(),
    ]);
    expect(out).toEqual(Buffer.concat([Buffer.from([0xff, 0xe2]), Buffer.from(MASK), Buffer.from([0xc2, 0x9b])]));
  });

  it('keeps up with 100 MB of output without holding it back', () => {
    const m = masker(SECRET, 'another-secret-value');
    const s = textStream(m);
    const chunk = `${'x'.repeat(1023)}\n`.repeat(64);
    let emitted = 0;
    for (let i = 0; i < 1600; i++) emitted += s.push(chunk).length;
    emitted += s.flush().length;
    expect(emitted).toBe(chunk.length * 1600);
  });
});

describe('shell-quoted forms (SPEC §5)', () => {
  const quoted = `it's a "secret"! $x`;

  it("masks what set -x / ${VAR@Q}, printf %q, dash, double quotes and $'…' print", () => {
    const m = masker(quoted, 'tab\there\nnl');
    for (const text of [
      `+ curl -H 'Authorization: Bearer it'\\''s a "secret"! $x'`,
      `it\\'s\\ a\\ \\"secret\\"\\!\\ \\$x`,
      `'it'"'"'s a "secret"! $x'`,
      `"it's a \\"secret\\"! \\$x"`,
      `$'tab\\there\\nnl'`,
    ]) {
      expect(m.mask(text), text).toContain(MASK);
      expect(m.mask(text)).not.toMatch(/secret|here/);
    }
  });

  it('masks a quoted form split across chunks', () => {
    const form = `it'\\''s a "secret"! $x`;
    const { out } = streamed(masker(quoted), [`+ echo 'pre ${form.slice(0, 5)}`, `${form.slice(5)}' post\n`]);
    expect(out).toBe(`+ echo 'pre ${MASK}' post\n`);
  });
});

// Found by `npm run mutate`: each of these forms or boundaries could be dropped without a test noticing,
// because the secrets tested had another form that happened to cover the same text.
describe('forms a secret leaks in, one at a time', () => {
  it("masks $'…' with octal and \\a escapes, which no other form produces", () => {
    const m = masker("bell\x07it's\x01");
    const text = "+ echo $'bell\\ait\\'s\\001'";
    expect(m.mask(text)).toBe(`+ echo $'${MASK}'`);
  });

  it('masks the JSON-escaped form of a secret whose shell forms differ from it ($ is not escaped in JSON)', () => {
    const secret = 'pa"ss$word';
    expect(masker(secret).mask(JSON.stringify({ token: secret }))).toBe(`{"token":"${MASK}"}`);
  });

  it('masks base64url without padding for a secret that base64 pads with ==', () => {
    const secret = 'ghp_4char'; // 9 bytes: no padding; 10 bytes: two = signs
    const ten = `${secret}X`;
    expect(Buffer.from(ten).toString('base64')).toMatch(/==$/);
    const url = Buffer.from(ten).toString('base64url');
    expect(masker(ten).mask(`u=${url}&x`)).toBe(`u=${MASK}&x`);
  });

  it('masks a 4-character secret as written and its 6-character encodings, but no shorter fragment', () => {
    const m = masker('abcd');
    expect(m.mask('[abcd]')).toBe(`[${MASK}]`);
    expect(m.mask('[YWJjZA]')).toBe(`[${MASK}]`); // base64url of abcd: 6 characters
    expect(
      leakForms('abcd')
        .filter((form) => form !== 'abcd')
        .every((form) => form.length >= 6),
    ).toBe(true);
    expect(m.mask('[YWJjZ]')).toBe('[YWJjZ]'); // a 5-character fragment would shred ordinary text
  });

  it('emits a secret that ends a read at once, masked, instead of holding it back', () => {
    const s = textStream(masker(SECRET));
    expect(s.push(`token ${SECRET}`)).toBe(`token ${MASK}`);
    expect(s.flush()).toBe('');
  });

  it('masks a secret held back whole at the end of the output once, not twice', () => {
    const s = textStream(masker('abcdef', 'efgh12345'));
    expect(s.push('xxabcdef') + s.flush()).toBe(`xx${MASK}`);
  });
});

describe('carriesSecret (a captured value that would hand a secret on)', () => {
  it('finds a secret in any form the masker masks, and never a value too short to mask', () => {
    expect(carriesSecret(`Basic ${b64(`user:${SECRET}`)}`, SECRET)).toBe(true);
    expect(carriesSecret(`x=${encodeURIComponent(SECRET)}`, SECRET)).toBe(true);
    expect(carriesSecret('nothing here', SECRET)).toBe(false);
    expect(carriesSecret('abc', 'abc')).toBe(false);
    expect(carriesSecret('[abcd]', 'abcd')).toBe(true);
  });
});
