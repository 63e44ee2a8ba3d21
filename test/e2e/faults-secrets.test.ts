// Secrets under the forms they really leak in, through the built CLI and real bash: a secret with a
// quote printed by `set -x`, `printf %q` and `${VAR@Q}` (SPEC §5), and a capture that would carry a
// secret on to steps that never named it, also after resume.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventBus, runEngine } from '../../src/engine';
import type { RunEvent } from '../../src/core/events';
import { Masker } from '../../src/core/masker';
import { runCli, tempHome } from '../helpers/cli';
import { eventsOf, run, runbook, scriptedPrompter } from '../fixtures/engine/builders';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** What a record says, decoded from its DSSE envelope. */
function recordPayload(path: string): string {
  const envelope = JSON.parse(readFileSync(path, 'utf8')) as { payload: string };
  return Buffer.from(envelope.payload, 'base64').toString('utf8');
}

const front = (id: string) => `---
id: ${id}
title: ${id}
version: 1.0.0
secrets:
  TOKEN:
    prompt: The token
    env: FAULTS_TOKEN
---
`;

describe('a secret with a quote in it', () => {
  const secret = `it's a secret! ${randomBytes(4).toString('hex')}`;
  const quoted = [
    `'${secret.replace(/'/g, `'\\''`)}'`, // set -x and ${VAR@Q}
    secret.replace(/[ '!]/g, '\\$&'), // printf %q
  ];

  it('is masked as `set -x`, `printf %q` and `${VAR@Q}` print it: screen, log, journal, record', async () => {
    const home = tempHome('handrail-quoted-');
    const path = join(home.root, 'quoted.md');
    writeFileSync(
      path,
      `${front('quoted')}
# Print it quoted

\`\`\`bash run id=quoted secrets=TOKEN
set -x
curl_header="Authorization: Bearer $TOKEN"
: "$curl_header"
set +x
printf '%q\\n' "$TOKEN"
echo "\${TOKEN@Q}"
\`\`\`
`,
    );
    const r = await runCli(['run', path, '--yes', '--record-dir', join(home.root, 'records')], {
      cwd: home.root,
      env: { ...home.env, FAULTS_TOKEN: secret },
    });
    expect(r.code).toBe(0);
    // The step did print the quoted forms: each is masked where it stood.
    expect(r.stderr + r.stdout).toContain(`: 'Authorization: Bearer ••••'`);
    expect(r.stdout).toMatch(/^\s*•••• *$/m);
    expect(r.stdout).toMatch(/^\s*'••••' *$/m);

    const record = filesUnder(join(home.root, 'records'))[0]!;
    const sources: [string, string][] = [
      ['screen', r.stdout + r.stderr],
      ['record', recordPayload(record)],
      ...filesUnder(home.env.XDG_STATE_HOME!).map((f): [string, string] => [f, readFileSync(f, 'utf8')]),
    ];
    expect(sources.some(([where]) => where.endsWith('.jsonl'))).toBe(true);
    expect(sources.some(([where]) => where.endsWith('quoted.log'))).toBe(true);
    expect(recordPayload(record)).toContain('Bearer ••••');
    // Names where a form was found, never the secret itself.
    const forms = [secret, ...quoted];
    const leaks = sources.flatMap(([where, text]) => forms.flatMap((form, i) => (text.includes(form) ? [`${where} (form ${i})`] : [])));
    expect(leaks).toEqual([]);
  });
});

describe('a capture that contains a secret', () => {
  const secret = `tok_${randomBytes(12).toString('hex')}`;

  it('fails its step with a clear sentence, and no later step gets the value, reversed, in hex or masked', async () => {
    const home = tempHome('handrail-derived-');
    const path = join(home.root, 'derived.md');
    writeFileSync(
      path,
      `${front('derived')}
# Make a header

\`\`\`sh run id=header secrets=TOKEN capture=HEADER
echo "Bearer $TOKEN"
\`\`\`

# Use it

\`\`\`sh run id=use
echo "got:$HEADER"
printf '%s' "$HEADER" | rev
printf '%s' "$HEADER" | od -An -tx1
\`\`\`
`,
    );
    const r = await runCli(['run', path, '--yes', '--record-dir', join(home.root, 'records')], {
      cwd: home.root,
      env: { ...home.env, FAULTS_TOKEN: secret },
    });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/capture=HEADER would hold the secret TOKEN/);
    expect(r.stdout).not.toContain('got:');
    const everything = [r.stdout, r.stderr, ...filesUnder(home.root).map((f) => readFileSync(f, 'utf8'))].join('\n');
    const reversed = [...`Bearer ${secret}`].reverse().join('');
    expect(everything.includes(secret) || everything.includes(reversed)).toBe(false);
    const record = JSON.parse(recordPayload(filesUnder(join(home.root, 'records'))[0]!)) as {
      predicate: { outcome: string; steps: { id: string; status: string }[] };
    };
    expect(record.predicate.outcome).toBe('failed');
    expect(record.predicate.steps.map((s) => [s.id, s.status])).toEqual([
      ['header', 'failed'],
      ['use', 'not-run'],
    ]);
  });

  it('is never passed on as `••••` on resume: a journal holding it only masked stops the run before step 1', async () => {
    const rb = runbook([run('echo "Bearer x"', { id: 'header', capture: 'HEADER' }), run('echo "got:$HEADER" > got.txt', { id: 'use' })]);
    const events: RunEvent[] = [];
    const bus = new EventBus();
    bus.subscribe((e) => events.push(e));
    const result = await runEngine({
      runbook: rb,
      bus,
      prompter: scriptedPrompter(),
      mode: 'live',
      yes: true,
      masker: new Masker(),
      runId: 'resumed',
      tool: { name: 'handrail', version: 'test' },
      operator: { user: 'tester', host: 'localhost' },
      resume: {
        journalPath: '/dev/null',
        runId: 'resumed',
        finished: new Map([['header', 'passed']]),
        variables: { HEADER: 'Bearer ••••' },
        runbookChanged: false,
      },
    });
    expect(result.exitCode).toBe(2);
    expect(eventsOf(events, 'step-started')).toEqual([]);
    expect(eventsOf(events, 'run-ended')[0]?.reason).toMatch(/holds HEADER only masked .* start over with --restart/);
  });
});
