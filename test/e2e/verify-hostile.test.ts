// `handrail verify` of a record someone else wrote (#23): a record that verifies still chooses the
// runbook path verify compares its digest with. A path that is a device or a FIFO must not hang
// verify or fill its memory. Real CLI, the real keyring's record key.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/cli';
import { describeKeychain } from '../helpers/keyring';
import { buildStatement } from '../../src/record/build';
import { loadSigningKey, type SigningKey } from '../../src/record/keys';
import { signStatement } from '../../src/record/write';
import { runStarted } from '../unit/record-fixtures';

let key: SigningKey;
beforeAll(async () => {
  key = (await loadSigningKey({ create: true }))!;
});

/** A record signed by this machine's key, `edit` applied to its statement first. */
function signedRecord(edit: (statement: NonNullable<ReturnType<typeof buildStatement>>) => void): { path: string; env: NodeJS.ProcessEnv } {
  const home = tempHome('handrail-verify-hostile-');
  const events = [
    runStarted({ steps: [{ id: 'say', index: 0, kind: 'run', title: 'Say hello', section: 'Hello' }] }),
    { type: 'run-ended' as const, at: '2025-01-02T03:04:05.000Z', outcome: 'completed' as const },
  ];
  const statement = buildStatement(events, { entries: 2, lastEntrySha256: 'b'.repeat(64) })!;
  edit(statement);
  const path = join(home.root, 'record.json');
  writeFileSync(path, JSON.stringify(signStatement(statement, key)));
  return { path, env: home.env };
}

describeKeychain('verify of a record whose step title multiplies an input', () => {
  it('a title of 100 000 {{A}} with A 400 000 characters long is shown cut short, not an unexpected error', async () => {
    const { path, env } = signedRecord((s) => {
      s.predicate.inputs = { A: 'x'.repeat(400_000) };
      s.predicate.steps[0]!.title = '{{A}}'.repeat(100_000);
    });
    const r = await runCli(['verify', path], { env });
    expect(r.stderr).not.toContain('unexpected error');
    expect(r.code, r.stderr).toBe(0);
    const step = r.stdout.split('\n').find((l) => / say {2}x/.test(l))!;
    expect(step.length).toBeLessThan(1000);
    expect(step).toContain('…');
  });
});

describeKeychain('verify of a record that names a device as its runbook', () => {
  const fifo = () => {
    const path = join(mkdtempSync(join(tmpdir(), 'handrail-verify-fifo-')), 'runbook.md');
    execFileSync('mkfifo', [path]);
    return path;
  };
  it.each([
    ['/dev/zero', () => '/dev/zero'],
    ['a FIFO', fifo],
  ])('%s as the subject: verify answers, and says the digest was not compared', async (_, subject) => {
    const name = subject();
    const { path, env } = signedRecord((s) => (s.subject[0]!.name = name));
    const r = await runCli(['verify', path], { env });
    expect(r.signal, 'verify hung').toBeNull();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Runbook: .* is not a regular file, so its digest was not compared/);
  });
});
