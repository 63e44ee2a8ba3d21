// `requires` entries with `check:` and `hint:`, and inputs whose choices come from an earlier capture
// (`choices_from`): what the preflight finds, what the operator is offered, and what lint refuses.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventsOf, execute, input, run, runbook, scriptedPrompter, statuses } from '../fixtures/engine/builders';
import { FRONT, problemsOf, where } from './runbook-helpers';
import type { InputRequest } from '../../src/core/prompter';

describe('requires: check and hint', () => {
  it('a check that exits 0 is present, and its output gives the version the range is held to', async () => {
    const rb = runbook([run('touch ran', { id: 'r' })], {
      requires: [
        { name: 'docker buildx', check: 'echo "github.com/docker/buildx v0.19.3 abc"', version: '>=0.12' },
        { name: 'old plugin', check: 'echo "plugin v0.9.1"', version: '>=0.12', hint: 'upgrade the plugin: see the wiki' },
      ],
    });
    const r = await execute({ runbook: rb });
    const tools = eventsOf(r.events, 'preflight')[0].tools;
    expect(tools[0]).toMatchObject({ name: 'docker buildx', ok: true, version: '0.19.3' });
    expect(tools[1]).toMatchObject({ name: 'old plugin', ok: false, version: '0.9.1', hint: 'upgrade the plugin: see the wiki' });
    expect(tools[1].message).toBe(
      'old plugin 0.9.1 is installed but >=0.12 is required; upgrade it and run again. To fix it: upgrade the plugin: see the wiki.',
    );
    expect(r).toMatchObject({ outcome: 'failed', exitCode: 1 });
    expect(existsSync(join(rb.dir, 'ran'))).toBe(false);
  });

  it('a failing check names the command, what it said, and the hint; nothing runs', async () => {
    const rb = runbook([run('touch ran', { id: 'r' })], {
      requires: [
        {
          name: 'docker buildx',
          check: 'echo "docker: \'buildx\' is not a docker command." >&2; exit 1',
          hint: 'install the buildx plugin: https://docs.docker.com/go/buildx/',
        },
      ],
    });
    const r = await execute({ runbook: rb });
    const tool = eventsOf(r.events, 'preflight')[0].tools[0];
    expect(tool).toMatchObject({ ok: false, found: false });
    expect(tool.message).toContain("docker: 'buildx' is not a docker command.");
    expect(tool.message).toContain('(exit 1)');
    expect(tool.message).toMatch(/install the buildx plugin: https:\/\/docs\.docker\.com\/go\/buildx\/\.$/);
    const ended = eventsOf(r.events, 'run-ended')[0];
    expect(ended.reason).toContain('install the buildx plugin');
    expect(existsSync(join(rb.dir, 'ran'))).toBe(false);
  });

  it('a tool missing from PATH shows its hint too', async () => {
    const rb = runbook([], { requires: [{ name: 'handrail-no-such-tool', hint: 'apt-get install handrail-no-such-tool' }] });
    const r = await execute({ runbook: rb });
    expect(eventsOf(r.events, 'preflight')[0].tools[0].message).toBe(
      'handrail-no-such-tool is not on PATH; install it (or add it to PATH) and run again. To fix it: apt-get install handrail-no-such-tool.',
    );
  });

  it('a check sees the step environment only: no secret from handrail’s own environment, no runbook variable', async () => {
    const rb = runbook([], {
      requires: [{ name: 'clean env', check: 'test -z "$GH_TOKEN" && test -z "$ORG" && test -n "$PATH"' }],
      inputs: { ORG: { prompt: 'Org', default: 'acme' } },
    });
    const r = await execute({ runbook: rb, yes: true, env: { ...process.env, GH_TOKEN: 'ghp_should_not_reach_a_check', ORG: 'leak' } });
    expect(eventsOf(r.events, 'preflight')[0].tools[0]).toMatchObject({ ok: true });
  });
});

const CAPTURE = (json: string) => run(`printf '%s' '${json}'`, { id: 'list', capture: 'VERSIONS' });
const PICK = input('DIGEST', { id: 'pick', choices_from: 'VERSIONS' });

describe('choices_from', () => {
  it('offers the capture’s values with their labels, and the chosen value is the variable', async () => {
    const rb = runbook([
      CAPTURE(
        '[{"value":"sha256:aaa","label":"prod, sha-1 (2026-11-29)"},{"value":"sha256:bbb","label":"sha-0 (2026-11-28)"},"sha256:ccc"]',
      ),
      PICK,
      run('printf %s "$DIGEST" > picked', { id: 'use' }),
    ]);
    const prompter = scriptedPrompter({ input: ['sha256:bbb'] });
    const r = await execute({ runbook: rb, prompter });
    const asked = prompter.asked.find((a) => a.kind === 'input')?.request as InputRequest;
    expect(asked.spec.choices).toEqual(['sha256:aaa', 'sha256:bbb', 'sha256:ccc']);
    expect(asked.options).toEqual([
      { value: 'sha256:aaa', label: 'prod, sha-1 (2026-11-29)' },
      { value: 'sha256:bbb', label: 'sha-0 (2026-11-28)' },
      { value: 'sha256:ccc', label: 'sha256:ccc' },
    ]);
    expect(statuses(r.events)).toEqual({ list: 'passed', pick: 'passed', use: 'passed' });
  });

  it('an answer outside the list is asked again', async () => {
    const rb = runbook([CAPTURE('["a","b"]'), PICK]);
    const prompter = scriptedPrompter({ input: ['c', 'b'] });
    await execute({ runbook: rb, prompter });
    const asked = prompter.asked.filter((a) => a.kind === 'input').map((a) => (a.request as InputRequest).error);
    expect(asked).toEqual([undefined, 'DIGEST must be one of a, b; got "c".']);
  });

  it('under --yes the given value must be one of them: the step fails, nothing after it runs', async () => {
    const rb = runbook([CAPTURE('["a","b"]'), PICK, run('touch after', { id: 'after' })]);
    const ok = await execute({ runbook: rb, yes: true, sets: { DIGEST: 'b' } });
    expect(statuses(ok.events)).toEqual({ list: 'passed', pick: 'passed', after: 'passed' });
    const bad = await execute({
      runbook: runbook([CAPTURE('["a","b"]'), PICK, run('touch after2', { id: 'after' })]),
      yes: true,
      sets: { DIGEST: 'z' },
    });
    expect(bad).toMatchObject({ outcome: 'failed', exitCode: 1 });
    expect(statuses(bad.events)).toEqual({ list: 'passed', pick: 'failed' });
    expect(eventsOf(bad.events, 'run-ended')[0].reason).toBe('--set DIGEST must be one of a, b; got "z".');
  });

  it('a default outside the list under --yes fails the step the same way', async () => {
    const rb = runbook([CAPTURE('["a","b"]'), input('DIGEST', { id: 'pick', choices_from: 'VERSIONS', default: 'skip' })]);
    const r = await execute({ runbook: rb, yes: true });
    expect(eventsOf(r.events, 'run-ended')[0].reason).toBe('the default: DIGEST must be one of a, b; got "skip".');
  });

  const OFFERS = 'DIGEST offers the values of VERSIONS, but';
  it.each([
    ['[]', `${OFFERS} VERSIONS is an empty list: there is nothing to choose from.`],
    ['{"value":"a"}', `${OFFERS} VERSIONS holds an object without a string "value", not a JSON array; capture a list there.`],
    ['not json', `${OFFERS} VERSIONS is not a JSON array; capture a list there.`],
    [
      '["a",{"label":"no value"}]',
      `${OFFERS} its item 2 is an object without a string "value"; each item must be a string or {"value": …, "label": …}.`,
    ],
    ['[null]', `${OFFERS} its item 1 is null; each item must be a string or {"value": …, "label": …}.`],
  ])('a capture of %s is a clear step failure, and the operator is not asked', async (json, reason) => {
    const prompter = scriptedPrompter();
    const r = await execute({ runbook: runbook([CAPTURE(json), PICK]), prompter });
    expect(r).toMatchObject({ outcome: 'failed', exitCode: 1 });
    expect(statuses(r.events)).toEqual({ list: 'passed', pick: 'failed' });
    expect(eventsOf(r.events, 'run-ended')[0].reason).toBe(reason);
    expect(prompter.asked.filter((a) => a.kind === 'input')).toEqual([]);
  });

  it('a capture that never ran (its step skipped) says so', async () => {
    const rb = runbook([run('echo "[1]"', { id: 'list', capture: 'VERSIONS', if: 'NEVER' }), PICK], {
      inputs: { NEVER: { prompt: 'n', default: 'no' } },
    });
    const r = await execute({ runbook: rb, yes: true, sets: { DIGEST: '1' } });
    expect(eventsOf(r.events, 'run-ended')[0].reason).toBe(
      'DIGEST offers the values of VERSIONS, but VERSIONS was never set (was the step that captures it skipped?).',
    );
  });
});

describe('lint', () => {
  const withRequires = (entry: string) => FRONT.replace('inputs:', `requires:\n  - ${entry}\ninputs:`);

  it('accepts check and hint on a requires entry', () => {
    expect(
      problemsOf(withRequires('{ name: docker buildx, check: "docker buildx version", version: ">=0.12", hint: "install buildx" }')),
    ).toEqual([]);
  });

  it('refuses a check that reads an input, a secret or {{…}}, at the check', () => {
    for (const [check, message] of [
      ['"gh api /orgs/$ORG"', /requires\[0\]\.check cannot read ORG: a check runs before inputs are given/],
      ['"echo ${PAT}"', /requires\[0\]\.check cannot read the secret PAT/],
      ['"echo {{ORG}}"', /requires\[0\]\.check cannot use \{\{ORG\}\}: it runs before any input is given/],
    ] as const) {
      const source = withRequires(`{ name: x, check: ${check} }`);
      const problems = problemsOf(source);
      expect(problems, check).toHaveLength(1);
      expect(problems[0].message).toMatch(message);
      expect(problems[0]).toMatchObject(where(source, 'check:'));
    }
  });

  it('allows the environment a check does see ($HOME, $DOCKER_CONFIG) and a Go template', () => {
    expect(problemsOf(withRequires(`{ name: login, check: 'test -f "\${DOCKER_CONFIG:-$HOME/.docker}/config.json"' }`))).toEqual([]);
    expect(problemsOf(withRequires(`{ name: docker daemon, check: "docker info --format '{{.ServerVersion}}'" }`))).toEqual([]);
  });

  const body = (yaml: string) => `${FRONT}\n\`\`\`sh run capture=LIST\necho '["a"]'\n\`\`\`\n\n\`\`\`yaml input\n${yaml}\n\`\`\`\n`;

  it('accepts choices_from naming an earlier capture', () => {
    expect(problemsOf(body('name: PICK\nprompt: Pick\nchoices_from: LIST'))).toEqual([]);
  });

  it('refuses choices_from naming something never set, a later capture, or a secret', () => {
    const never = body('name: PICK\nprompt: Pick\nchoices_from: NOPE');
    expect(problemsOf(never).map((p) => p.message)).toEqual([
      'choices_from uses NOPE, which is never defined: declare it under inputs: in the front matter, or set it with an input block or capture= in an earlier step',
    ]);
    expect(problemsOf(body('name: PICK\nprompt: Pick\nchoices_from: PAT')).map((p) => p.message)).toEqual([
      'choices_from cannot read PAT: it is a secret',
    ]);
    const later = `${FRONT}\n\`\`\`yaml input\nname: PICK\nprompt: Pick\nchoices_from: LIST\n\`\`\`\n\n\`\`\`sh run capture=LIST\necho '["a"]'\n\`\`\`\n`;
    expect(problemsOf(later).map((p) => p.message)).toEqual([
      expect.stringMatching(/^choices_from uses LIST before it is set \(line \d+ sets it\)/),
    ]);
  });

  it('refuses choices with choices_from, and a confirm input with choices_from, at the key', () => {
    const both = body('name: PICK\nprompt: Pick\nchoices: [a]\nchoices_from: LIST');
    expect(problemsOf(both)).toEqual([
      { ...where(both, 'choices_from:'), message: 'input block: choices and choices_from cannot both be given: keep one' },
    ]);
    const yesNo = body('name: PICK\nprompt: Pick\ntype: confirm\nchoices_from: LIST');
    expect(problemsOf(yesNo)).toEqual([
      { ...where(yesNo, 'choices_from:'), message: 'input block: a confirm input is yes/no: remove choices_from or use type: select' },
    ]);
  });

  it('refuses choices_from in front matter, where nothing is captured yet', () => {
    const source = FRONT.replace('    prompt: Organisation', '    prompt: Organisation\n    choices_from: LIST');
    expect(problemsOf(source)).toEqual([
      {
        ...where(source, 'choices_from:'),
        message:
          'front matter: inputs.ORG.choices_from: front-matter inputs are asked before step 1, before any capture; ask ORG in an input block after the step that captures LIST',
      },
    ]);
  });
});
