// What listings read from a record file without verifying it, and what they pass over.
import { describe, expect, it } from 'vitest';
import { buildStatement } from '../../src/record/build';
import { operatorName, predicateOf, timeInName } from '../../src/record/read';
import { signStatement } from '../../src/record/write';
import type { RunEvent } from '../../src/core/events';
import { runStarted, testSigningKey } from './record-fixtures';

const key = testSigningKey();

const events: RunEvent[] = [runStarted(), { type: 'run-ended', at: '2025-01-02T03:04:05.000Z', outcome: 'completed' }];
const statement = buildStatement(events, { entries: 2, lastEntrySha256: 'b'.repeat(64) })!;
const record = JSON.stringify(signStatement(statement, key));
const envelope = JSON.parse(record) as { payload: string };

describe('reading a record without verifying it', () => {
  it('gives the predicate of a record, from text or bytes', () => {
    expect(predicateOf(record)).toEqual(statement.predicate);
    expect(predicateOf(Buffer.from(record))).toMatchObject({ runbook: { id: 'deploy' }, outcome: 'completed' });
  });

  it.each([
    ['not JSON', 'not json'],
    ['no payload', JSON.stringify({ ...envelope, payload: undefined })],
    ['a payload that is not text', JSON.stringify({ ...envelope, payload: 42 })],
    ['a payload that is not base64', JSON.stringify({ ...envelope, payload: '!!not base64!!' })],
    ['a payload that is not JSON', JSON.stringify({ ...envelope, payload: Buffer.from('nope').toString('base64') })],
    ['a statement of another shape', JSON.stringify({ ...envelope, payload: Buffer.from('{"a":1}').toString('base64') })],
  ])('passes over a file with %s', (_what, text) => {
    expect(predicateOf(text)).toBeUndefined();
  });

  it('names the operator by GitHub login when the record has one, else user@host', () => {
    expect(operatorName({ operator: { user: 'ops', host: 'box', githubLogin: 'octo' } })).toBe('@octo');
    expect(operatorName({ operator: { user: 'ops', host: 'box' } })).toBe('ops@box');
  });

  it('reads the UTC time from a record file name', () => {
    expect(timeInName('deploy-20250102T030405Z-completed.json')).toBe(Date.UTC(2025, 0, 2, 3, 4, 5));
    expect(timeInName('my-deploy-19991231T235958Z-aborted-2.json')).toBe(Date.UTC(1999, 11, 31, 23, 59, 58));
    expect(timeInName('deploy-2025012T030405Z-completed.json')).toBeUndefined();
    expect(timeInName('deploy-2025-01-02.json')).toBeUndefined();
  });
});
