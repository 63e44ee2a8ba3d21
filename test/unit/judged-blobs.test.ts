// What the rehearsal lookup remembers about team blobs that never count (src/team/judged-blobs.ts):
// a verdict the bytes alone decide is kept, but never one this machine's own key could undo, and a
// damaged or planted file of verdicts is as good as none.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { JudgedBlobs } from '../../src/team/judged-blobs';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

it('remembers across runs, per runbook, and sets a verdict aside when one of its keyids is this machine’s key', () => {
  const state = mkdtempSync(join(tmpdir(), 'handrail-judged-'));
  const first = new JudgedBlobs('deploy', state);
  first.remember(A, 'it is not signed');
  first.remember(B, "it is signed by another machine's key", ['k-stranger']);
  first.save();
  const next = new JudgedBlobs('deploy', state);
  expect(next.known(A, new Set())).toBe('it is not signed');
  expect(next.known(B, new Set(['k-mine']))).toBe("it is signed by another machine's key");
  // The keychain was away when it was judged: now that key is here, the record is read again.
  expect(next.known(B, new Set(['k-stranger']))).toBeUndefined();
  expect(new JudgedBlobs('other-runbook', state).known(A, new Set())).toBeUndefined();
});

it('a damaged or hand-edited file of verdicts is as good as none, and a bad sha is never taken from it', () => {
  const state = mkdtempSync(join(tmpdir(), 'handrail-judged-'));
  new JudgedBlobs('deploy', state).save();
  const first = new JudgedBlobs('deploy', state);
  first.remember(A, 'x');
  first.save();
  const dir = join(state, 'cache', 'github');
  const [file] = readdirSync(dir).filter((n) => n.startsWith('not-rehearsals-'));
  writeFileSync(join(dir, file!), JSON.stringify({ '../../x': ['y'], [B]: 'not a list', [A]: [] }));
  const read = new JudgedBlobs('deploy', state);
  expect(read.verdicts.size).toBe(0);
  writeFileSync(join(dir, file!), '{not json');
  expect(new JudgedBlobs('deploy', state).verdicts.size).toBe(0);
});
