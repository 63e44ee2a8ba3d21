import { describe, expect, it } from 'vitest';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { IN_TOTO_PAYLOAD_TYPE, keyId, pae, signEnvelope, verifySignature, decodeBase64Strict } from '../../src/record/dsse';
import { verifyRecord } from '../../src/record/verify';
import { buildStatement } from '../../src/record/build';
import type { RunEvent } from '../../src/core/events';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const KEYID = keyId(publicKey);

describe('DSSE pre-authentication encoding', () => {
  it('matches the protocol test vector', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  it('counts bytes, not characters, for multi-byte text', () => {
    expect(pae('t', Buffer.from('é')).toString()).toBe('DSSEv1 1 t 2 é');
  });

  it('encodes an empty body', () => {
    expect(pae('', Buffer.alloc(0)).toString()).toBe('DSSEv1 0  0 ');
  });
});

describe('keyid', () => {
  it('is the hex sha256 of the SPKI DER of the public key', () => {
    const der = publicKey.export({ type: 'spki', format: 'der' });
    expect(KEYID).toBe(createHash('sha256').update(der).digest('hex'));
    expect(KEYID).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('sign and verify', () => {
  const body = Buffer.from(JSON.stringify({ hello: 'world' }));
  const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, body, privateKey, KEYID);

  it('round-trips', () => {
    expect(envelope.payloadType).toBe(IN_TOTO_PAYLOAD_TYPE);
    expect(decodeBase64Strict(envelope.payload)).toEqual(body);
    expect(envelope.signatures).toEqual([{ keyid: KEYID, sig: expect.any(String) }]);
    expect(verifySignature(IN_TOTO_PAYLOAD_TYPE, body, envelope.signatures[0].sig, publicKey)).toBe(true);
  });

  it('refuses another key, another payload type, and a changed body', () => {
    const other = generateKeyPairSync('ed25519').publicKey;
    const sig = envelope.signatures[0].sig;
    expect(verifySignature(IN_TOTO_PAYLOAD_TYPE, body, sig, other)).toBe(false);
    expect(verifySignature('application/json', body, sig, publicKey)).toBe(false);
    expect(verifySignature(IN_TOTO_PAYLOAD_TYPE, Buffer.from('{"hello":"World"}'), sig, publicKey)).toBe(false);
  });

  it('refuses a signature of the wrong length or in non-canonical base64', () => {
    const sig = envelope.signatures[0].sig;
    expect(verifySignature(IN_TOTO_PAYLOAD_TYPE, body, sig.slice(0, -4), publicKey)).toBe(false);
    expect(verifySignature(IN_TOTO_PAYLOAD_TYPE, body, ` ${sig}`, publicKey)).toBe(false);
  });
});

describe('every single-byte change to a signed record is refused', () => {
  // A complete record as handrail writes it, so the untampered envelope verifies and any refusal
  // below comes from the change alone.
  const at = (s: number) => new Date(Date.UTC(2025, 0, 2, 3, 4, s)).toISOString();
  const events: RunEvent[] = [
    {
      type: 'run-started',
      at: at(0),
      runId: 'r1',
      mode: 'live',
      runbook: { path: 'runbooks/x.md', id: 'x', title: 'X', version: '1.0.0', sha256: 'a'.repeat(64) },
      steps: [{ id: 'one', index: 0, kind: 'run', title: 'One', section: 'One' }],
      operator: { user: 'ops', host: 'box' },
      tool: { name: 'handrail', version: '0.1.0' },
    },
    { type: 'step-started', at: at(1), stepId: 'one', index: 0, attempt: 1, display: 'true', rehearsal: false },
    { type: 'step-finished', at: at(2), stepId: 'one', index: 0, status: 'passed', startedAt: at(1), durationMs: 1000, exitCode: 0 },
    { type: 'run-ended', at: at(3), outcome: 'completed' },
  ];
  const statement = buildStatement(events, { entries: 5, lastEntrySha256: 'b'.repeat(64) })!;
  const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), privateKey, KEYID);
  const keys = [{ key: publicKey, label: 'test key' }];

  function flipped(text: string, i: number): string {
    // Replace with a different character from the same base64 alphabet, so only the meaning changes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const c = text[i];
    const replacement = c === '=' ? 'A' : alphabet[(alphabet.indexOf(c) + 1) % 64];
    return text.slice(0, i) + replacement + text.slice(i + 1);
  }

  it('verifies untampered', () => {
    expect(verifyRecord(JSON.stringify(envelope), keys)).toMatchObject({ ok: true, keyid: KEYID });
  });

  it('in the payload', () => {
    const refused: number[] = [];
    for (let i = 0; i < envelope.payload.length; i += 1) {
      const tampered = { ...envelope, payload: flipped(envelope.payload, i) };
      const outcome = verifyRecord(JSON.stringify(tampered), keys);
      if (!outcome.ok && /bad signature|not valid base64/.test(outcome.reason)) refused.push(i);
    }
    expect(refused.length).toBe(envelope.payload.length);
  });

  it('in the decoded payload bytes', () => {
    const bytes = Buffer.from(envelope.payload, 'base64');
    let accepted = 0;
    for (let i = 0; i < bytes.length; i += 1) {
      const copy = Buffer.from(bytes);
      copy[i] ^= 0x01;
      if (verifySignature(IN_TOTO_PAYLOAD_TYPE, copy, envelope.signatures[0].sig, publicKey)) accepted += 1;
    }
    expect(accepted).toBe(0);
  });

  it('in the signature', () => {
    const sig = envelope.signatures[0].sig;
    let accepted = 0;
    for (let i = 0; i < sig.length; i += 1) {
      const tampered = { ...envelope, signatures: [{ keyid: KEYID, sig: flipped(sig, i) }] };
      const outcome = verifyRecord(JSON.stringify(tampered), keys);
      if (outcome.ok) accepted += 1;
      else expect(outcome.reason).toMatch(/bad signature/);
    }
    expect(accepted).toBe(0);
  });
});

describe('what verify refuses before or after the signature', () => {
  const keys = [{ key: publicKey, label: 'test key' }];
  const signed = (value: unknown) =>
    JSON.stringify(
      signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), privateKey, KEYID),
    );

  it('a validly signed statement that is not a handrail record, naming the field that is wrong', () => {
    const foreign = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'x', digest: { sha256: 'a'.repeat(64) } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {},
    };
    const outcome = verifyRecord(signed(foreign), keys);
    expect(outcome).toEqual({
      ok: false,
      reason: expect.stringMatching(/^the signature is valid but the statement is not a handrail record \(predicateType: .+\)\.$/),
    });
    expect(verifyRecord(signed({ hello: 'world' }), keys)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^the signature is valid but the statement is not a handrail record \(\w+: .+\)\.$/),
    });
  });

  it('a signed payload that is not JSON', () => {
    expect(verifyRecord(signed('not json'), keys)).toEqual({ ok: false, reason: 'the signature is valid but the payload is not JSON.' });
  });

  it('an envelope whose signatures are missing or malformed', () => {
    const envelope = JSON.parse(signed({ hello: 'world' }));
    for (const signatures of [[], [{ keyid: KEYID }], [{ sig: envelope.signatures[0].sig }], ['x'], [null], [{ keyid: KEYID, sig: 7 }]]) {
      expect(verifyRecord(JSON.stringify({ ...envelope, signatures }), keys)).toEqual({
        ok: false,
        reason: 'the envelope carries no signature.',
      });
    }
  });

  it('an envelope that is not one, or carries another payload type or bad base64', () => {
    const envelope = JSON.parse(signed({ hello: 'world' }));
    expect(verifyRecord('[1', keys)).toEqual({ ok: false, reason: 'the file is not JSON, so it is not a handrail record.' });
    expect(verifyRecord('null', keys)).toEqual({ ok: false, reason: 'the file is not a DSSE envelope (expected a JSON object).' });
    expect(verifyRecord('42', keys)).toEqual({ ok: false, reason: 'the file is not a DSSE envelope (expected a JSON object).' });
    expect(verifyRecord(JSON.stringify({ ...envelope, signatures: 'x' }), keys)).toEqual({
      ok: false,
      reason: 'the file is not a DSSE envelope (it needs payloadType, payload and signatures).',
    });
    expect(verifyRecord(JSON.stringify({ ...envelope, payload: 1 }), keys)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('it needs payloadType'),
    });
    expect(verifyRecord(JSON.stringify({ ...envelope, payloadType: 1 }), keys)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('it needs payloadType'),
    });
    expect(verifyRecord(JSON.stringify({ ...envelope, payloadType: 'text/plain' }), keys)).toEqual({
      ok: false,
      reason: `the payload type is "text/plain", not ${IN_TOTO_PAYLOAD_TYPE}.`,
    });
    expect(verifyRecord(JSON.stringify({ ...envelope, payload: `${envelope.payload}!` }), keys)).toEqual({
      ok: false,
      reason: 'the payload is not valid base64.',
    });
  });

  it('a key it does not know, naming the keyid; with the keyid of a known key but another signature, a bad signature', () => {
    const other = generateKeyPairSync('ed25519');
    const foreign = signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from('{}'), other.privateKey, 'feed');
    expect(verifyRecord(JSON.stringify(foreign), keys)).toMatchObject({
      ok: false,
      reason:
        "signed by an unknown key (keyid feed); pass its public key with --key, or put it in the trusted-keys folder of handrail's config directory.",
      unknownKey: true,
    });
    const hinted = { ...foreign, signatures: [{ keyid: KEYID, sig: foreign.signatures[0].sig }] };
    // Beside malformed entries, the good signature still verifies.
    const good = JSON.parse(signed({ hello: 'world' }));
    expect(verifyRecord(JSON.stringify({ ...good, signatures: [null, 'x', ...good.signatures] }), keys)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^the signature is valid/),
    });
    expect(verifyRecord(JSON.stringify(hinted), keys)).toEqual({
      ok: false,
      reason: 'bad signature: the record was changed after it was signed, or the signature is damaged.',
    });
  });
});
