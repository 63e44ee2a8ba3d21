// drift=ignore (SPEC §1.3, §6.5): where lint accepts it, and what it refuses with a position.
import { describe, expect, it } from 'vitest';
import { parse, problemsOf, where, withFront } from './runbook-helpers';

const fence = (info: string, body: string) => `\`\`\`${info}\n${body}\n\`\`\`\n\n`;

describe('drift=ignore', () => {
  it('is accepted on a check that captures and on a GET request that captures, and marks those steps', () => {
    const source = withFront(
      fence('sh check id=stamp capture=STAMP drift=ignore', 'date +%s') +
        fence('yaml github id=runs drift=ignore', 'request: GET /repos/{ORG}/x/actions/runs\ncapture:\n  RUN_ID: "workflow_runs[0].id"') +
        fence('sh check id=plain capture=PLAIN', 'echo x'),
    );
    const { runbook, problems } = parse(source);
    expect(problems).toEqual([]);
    expect(runbook!.steps.map((s) => ('driftIgnore' in s ? s.driftIgnore : undefined))).toEqual([true, true, undefined]);
  });

  it('is refused where it could not mean anything, at the attribute', () => {
    const cases: [string, string][] = [
      [fence('sh run drift=ignore', 'echo x'), 'drift is not allowed on a run block'],
      [fence('sh check drift=ignore', 'echo x'), 'drift=ignore has nothing to ignore'],
      [fence('sh check capture=X drift=always', 'echo x'), 'drift= can only be drift=ignore'],
      [
        fence('yaml github drift=ignore', 'request: DELETE /orgs/{ORG}/x\n'),
        'a DELETE request changes things and is always held to the rehearsal',
      ],
      [fence('yaml github drift=ignore', 'request: GET /orgs/{ORG}\n'), 'this request captures nothing'],
    ];
    for (const [body, message] of cases) {
      const source = withFront(body);
      const problems = problemsOf(source);
      expect(problems.map((p) => p.message).join('\n')).toContain(message);
      expect(problems.find((p) => p.message.includes(message.split(' ')[0]!))).toMatchObject({ line: where(source, 'drift=').line });
    }
  });
});
