// The confirm of a changing step carries what the checks since the last change established: the
// text expect= matched (its first group), else the capture, labelled with the check's title; in a
// rehearsal the walk-through shows the same. A change starts the facts afresh.
import { describe, expect, it } from 'vitest';
import { check, execute, run, runbook, scriptedPrompter } from '../fixtures/engine/builders';

const steps = () => [
  check('echo "Name: app"; echo "Digest:    sha256:abc"; echo "Platform: linux/amd64"', {
    id: 'good',
    title: 'Good digest of {{IMAGE}}',
    expect: '^Digest: +(sha256:[a-z0-9]+)$',
  }),
  check('echo sha256:bad', { id: 'now', title: 'prod points at', capture: 'NOW' }),
  check('seq 1 300 | tr "\\n" " "', { id: 'long', capture: 'LIST' }),
  run('echo retag', { id: 'retag', confirm: true }),
  check('echo after', { id: 'after', title: 'After', expect: 'after' }),
  run('echo second', { id: 'second', confirm: true }),
];

describe('facts at a confirm', () => {
  it('a live confirm lists each check’s established value, labelled, and a change resets them', async () => {
    const prompter = scriptedPrompter({ confirmStep: [{ action: 'proceed' }, { action: 'proceed' }] });
    await execute({
      runbook: runbook(steps(), { inputs: { IMAGE: { prompt: 'Image', default: 'app' } } }),
      prompter,
      sets: { IMAGE: 'app' },
    });
    const asked = prompter.asked.filter((a) => a.kind === 'confirmStep').map((a) => (a.request as { facts?: unknown }).facts);
    expect(asked[0]).toEqual([
      { label: 'Good digest of app', value: 'sha256:abc' },
      { label: 'prod points at', value: 'sha256:bad' },
    ]);
    expect(asked[1]).toEqual([{ label: 'After', value: 'after' }]);
  });

  it('a rehearsal’s walk-through shows them at the step that would ask', async () => {
    const seen: unknown[] = [];
    const prompter = { ...scriptedPrompter(), rehearse: async (r: { facts?: unknown }) => (seen.push(r.facts), 'next' as const) };
    await execute({
      runbook: runbook(steps(), { inputs: { IMAGE: { prompt: 'Image', default: 'app' } } }),
      prompter,
      sets: { IMAGE: 'app' },
      mode: 'rehearsal',
    });
    expect(seen[0]).toEqual([
      { label: 'Good digest of app', value: 'sha256:abc' },
      { label: 'prod points at', value: 'sha256:bad' },
    ]);
    expect(seen[1]).toEqual([{ label: 'After', value: 'after' }]);
  });
});
