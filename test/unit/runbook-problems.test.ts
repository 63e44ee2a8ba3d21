// Every malformed runbook an author can write gets one problem that names what is wrong and where.
import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../src/runbook/parse';
import { FRONT, problemsOf, where, withFront } from './runbook-helpers';

/** Asserts exactly one problem, at the given snippet's position, whose message matches. */
function expectOne(source: string, at: { line: number; column?: number }, message: RegExp): void {
  const problems = problemsOf(source);
  expect(problems, JSON.stringify(problems)).toHaveLength(1);
  expect(problems[0].message).toMatch(message);
  expect(problems[0].line).toBe(at.line);
  if (at.column !== undefined) expect(problems[0].column).toBe(at.column);
}

describe('front matter', () => {
  it('is required', () => {
    expectOne('# Just a document\n', { line: 1, column: 1 }, /no front matter/);
  });

  it('reports broken YAML at the line inside the front matter', () => {
    const source = '---\nid: t\ntitle: [unclosed\nversion: 1.0.0\n---\n';
    // The YAML parser notices the unclosed [ where the sequence should have ended: the next key.
    expectOne(
      source,
      where(source, 'version:'),
      /^invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a \]$/,
    );
  });

  it('names a missing required key', () => {
    const source = '---\nid: t\nversion: 1.0.0\n---\n';
    expectOne(source, { line: 2, column: 1 }, /missing required key "title"/);
  });

  it('rejects an unknown key at that key', () => {
    const source = FRONT.replace('version: 1.0.0', 'version: 1.0.0\nowner: me');
    expectOne(source, where(source, 'owner:'), /unknown key "owner"/);
  });

  it('rejects an unknown key inside an input at that key', () => {
    const source = FRONT.replace('    prompt: Organisation', '    prompt: Organisation\n    help: what org');
    expectOne(source, where(source, 'help:'), /inputs\.ORG: unknown key "help"/);
  });

  it('rejects a bad runbook id', () => {
    const source = FRONT.replace('id: t', 'id: Not_Valid');
    expectOne(source, where(source, 'id:'), /id: must match/);
  });

  it('requires version to be semver', () => {
    const source = FRONT.replace('version: 1.0.0', 'version: one');
    expectOne(source, where(source, 'version:'), /not semver/);
  });

  it('rejects an input pattern that is not a JavaScript regex, at the pattern key', () => {
    const source = FRONT.replace('    prompt: Organisation', '    prompt: Organisation\n    pattern: "[a-z"');
    expectOne(source, where(source, 'pattern:'), /inputs\.ORG\.pattern is not a valid JavaScript regex/);
  });

  it('rejects a default that does not match its own pattern', () => {
    const source = FRONT.replace('    prompt: Organisation', '    prompt: Organisation\n    pattern: ^[a-z]+$\n    default: ACME');
    expectOne(source, where(source, 'default:'), /does not match its pattern/);
  });

  it('rejects a variable name that is not UPPER_CASE', () => {
    const source = FRONT.replace('  ORG:', '  org:');
    const problems = problemsOf(source);
    expect(problems.map((p) => p.line)).toContain(where(source, 'org:').line);
    expect(problems[0].message).toMatch(/\^\[A-Z\]/);
  });

  it('rejects a requires version that is not a semver range', () => {
    const source = FRONT.replace('inputs:', 'requires:\n  - docker\n  - { name: gh, version: "not a range" }\ninputs:');
    expectOne(source, { line: where(source, '{ name: gh').line }, /requires\[1\]\.version .* not a semver range/);
  });

  it('rejects a requires entry with an empty name', () => {
    const source = FRONT.replace('inputs:', 'requires:\n  - { name: "" }\ninputs:');
    expectOne(source, where(source, 'name: ""'), /^front matter: requires\[0\]\.name: must not be empty$/);
  });

  it('requires github.token to name a declared secret', () => {
    const source = FRONT.replace('secrets:', 'github:\n  token: NOPE\nsecrets:');
    expectOne(source, where(source, 'token: NOPE'), /github\.token names NOPE, which is not declared/);
  });

  it('accepts records: and rehearsal: (SPEC 6.2, 6.3)', () => {
    const source = FRONT.replace(
      'secrets:',
      'records:\n  repo: craton-co/ops-records\n  path: ops/records\nrehearsal:\n  required: true\n  within: 14d\nsecrets:',
    );
    expect(problemsOf(source)).toEqual([]);
  });

  it('rejects an unknown key under records: and a records.repo that is not OWNER/REPO', () => {
    const unknown = FRONT.replace('secrets:', 'records:\n  repo: craton-co/ops-records\n  branch: main\nsecrets:');
    expectOne(unknown, where(unknown, 'branch:'), /records: unknown key "branch"/);
    const repo = FRONT.replace('secrets:', 'records:\n  repo: ops-records\nsecrets:');
    expectOne(repo, where(repo, 'repo: ops'), /records\.repo: must be OWNER\/REPO/);
  });

  it('refuses a records.path the outbox or GitHub could not take, or one under .github/ (#23)', () => {
    const long = FRONT.replace('secrets:', `records:\n  repo: craton-co/ops-records\n  path: ${'r'.repeat(250)}\nsecrets:`);
    expectOne(long, where(long, 'path:'), /records\.path: must be 1 to 100 characters long, not 250/);
    const workflows = FRONT.replace('secrets:', 'records:\n  repo: craton-co/ops-records\n  path: .github/workflows\nsecrets:');
    expectOne(workflows, where(workflows, 'path:'), /records\.path: must not be under \.github\//);
    const up = FRONT.replace('secrets:', 'records:\n  repo: craton-co/ops-records\n  path: records/../.github\nsecrets:');
    expectOne(up, where(up, 'path:'), /records\.path: must be a folder path without empty, \. or \.\. segments/);
  });

  it('rejects a rehearsal.within that is not a duration, and records.token naming no secret', () => {
    const within = FRONT.replace('secrets:', 'rehearsal:\n  required: true\n  within: two weeks\nsecrets:');
    expectOne(within, where(within, 'within:'), /rehearsal\.within: must be a duration like 14d/);
    const token = FRONT.replace('secrets:', 'records:\n  token: NOPE\nsecrets:');
    expectOne(token, where(token, 'token: NOPE'), /records\.token names NOPE, which is not declared/);
  });

  it('rejects an empty front matter', () => {
    expectOne('---\n---\n# Hi\n', { line: 2, column: 1 }, /^front matter: must be a mapping \(key: value lines\)$/);
  });
});

describe('typed fences', () => {
  it('rejects a run block in a language other than sh or bash, at the language', () => {
    const source = withFront('# A\n\n```python run\nprint(1)\n```\n');
    expectOne(source, where(source, 'python'), /runs in sh or bash, not "python"/);
  });

  it('treats a fence whose second word is not a kind as prose', () => {
    const result = parseRunbook(withFront('# A\n\n```sh title=x\necho hi\n```\n'), 'x.md');
    expect(result.problems).toEqual([]);
    expect(result.runbook?.steps).toEqual([]);
  });

  it('rejects an unknown attribute at its column', () => {
    const source = withFront('# A\n\n```sh run colour=red\necho hi\n```\n');
    expectOne(source, where(source, 'colour='), /unknown attribute "colour"/);
  });

  it('rejects an attribute on a kind that does not take it', () => {
    const source = withFront('# A\n\n```sh run expect="ok"\necho ok\n```\n');
    expectOne(source, where(source, 'expect='), /expect is not allowed on a run block; it applies to check blocks/);
  });

  it('rejects interactive on a check block', () => {
    const source = withFront('# A\n\n```sh check interactive\ntrue\n```\n');
    expectOne(source, where(source, 'interactive'), /interactive is not allowed on a check block/);
  });

  it('rejects a bad timeout', () => {
    const source = withFront('# A\n\n```sh run timeout=soon\ntrue\n```\n');
    expectOne(source, where(source, 'timeout='), /timeout "soon" is not a duration/);
  });

  it('rejects a timeout without a unit', () => {
    const source = withFront('# A\n\n```sh run timeout=30\ntrue\n```\n');
    expectOne(source, where(source, 'timeout='), /not a duration/);
  });

  it('parses timeouts to milliseconds', () => {
    const { runbook } = parseRunbook(withFront('# A\n\n```sh run timeout=1m30s\ntrue\n```\n'), 'x.md');
    expect(runbook?.steps[0]).toMatchObject({ timeoutMs: 90_000 });
  });

  it('rejects negative or fractional retries', () => {
    for (const value of ['-1', '1.5', 'x']) {
      const source = withFront(`# A\n\n\`\`\`sh run retries=${value}\ntrue\n\`\`\`\n`);
      expectOne(source, where(source, 'retries='), /retries must be a whole number/);
    }
  });

  it('refuses more than 10 retries at file:line:col, and reads retry-delay as a duration', () => {
    const many = withFront('# A\n\n```sh run retries=999999\ntrue\n```\n');
    expectOne(many, where(many, 'retries='), /^retries=999999 is more than 10: retry at most 10 times/);
    const ten = parseRunbook(withFront('# A\n\n```sh run retries=10 retry-delay=1m30s\ntrue\n```\n'), 'x.md');
    expect(ten.problems).toEqual([]);
    expect(ten.runbook?.steps[0]).toMatchObject({ retries: 10, retryDelayMs: 90_000 });
    const unit = withFront('# A\n\n```sh run retries=2 retry-delay=5\ntrue\n```\n');
    expectOne(unit, where(unit, 'retry-delay='), /retry-delay "5" is not a duration/);
    const none = withFront('# A\n\n```sh run retry-delay=5s\ntrue\n```\n');
    expectOne(none, where(none, 'retry-delay='), /has none: add retries=N/);
  });

  it('rejects dry-run values other than run and skip', () => {
    const source = withFront('# A\n\n```sh run dry-run=maybe\ntrue\n```\n');
    expectOne(source, where(source, 'dry-run='), /dry-run must be run or skip/);
  });

  it('rejects secrets= naming an undeclared secret', () => {
    const source = withFront('# A\n\n```sh run secrets=PAT,OTHER\ntrue\n```\n');
    expectOne(source, where(source, 'secrets='), /secrets= names OTHER, which is not declared/);
  });

  it('rejects stdin= naming nothing defined', () => {
    const source = withFront('# A\n\n```sh run stdin=NOTHING\ncat\n```\n');
    expectOne(source, where(source, 'NOTHING'), /stdin= uses NOTHING, which is never defined/);
  });

  it('accepts stdin= naming a secret or an input', () => {
    for (const name of ['PAT', 'ORG']) {
      const result = parseRunbook(withFront(`# A\n\n\`\`\`sh run stdin=${name}\ncat\n\`\`\`\n`), 'x.md');
      expect(result.problems).toEqual([]);
    }
  });

  it('rejects capture= that is not a variable name', () => {
    const source = withFront('# A\n\n```sh run capture=lower\necho x\n```\n');
    expectOne(source, where(source, 'capture='), /capture= must be a variable name/);
  });

  it('rejects an expect= that is not a JavaScript regex', () => {
    const source = withFront('# A\n\n```sh check expect="(unclosed"\necho x\n```\n');
    expectOne(source, where(source, 'expect='), /expect= is not a valid JavaScript regex/);
  });

  it('rejects an absolute cwd=', () => {
    const source = withFront('# A\n\n```sh run cwd=/etc\ntrue\n```\n');
    expectOne(source, where(source, 'cwd='), /cwd= must be relative/);
  });

  it('rejects an unterminated quoted value at the quote', () => {
    const source = withFront('# A\n\n```sh run title="never closed\ntrue\n```\n');
    expectOne(source, where(source, '"never'), /opening " without a closing one/);
  });

  it('rejects a flag given a value and a valued attribute given bare', () => {
    const flag = withFront('# A\n\n```sh run confirm=yes\ntrue\n```\n');
    expectOne(flag, where(flag, 'confirm='), /confirm is a flag/);
    const bare = withFront('# A\n\n```sh run timeout\ntrue\n```\n');
    expectOne(bare, where(bare, 'timeout'), /timeout needs a value/);
  });

  it('rejects an attribute given twice', () => {
    const source = withFront('# A\n\n```sh run retries=1 retries=2\ntrue\n```\n');
    expectOne(source, where(source, 'retries=2'), /given twice/);
  });

  it('rejects an empty run block', () => {
    const source = withFront('# A\n\n```sh run\n```\n');
    expectOne(source, where(source, '```sh run'), /run block is empty/);
  });

  it('rejects {{NAME}} inside a script, pointing at it and saying to use $NAME', () => {
    const source = withFront('# A\n\n```sh run\necho {{ORG}}\n```\n');
    expectOne(source, where(source, '{{ORG}}'), /write "\$ORG"/);
  });

  it('rejects capture with interactive', () => {
    const source = withFront('# A\n\n```sh run interactive capture=OUT\ntrue\n```\n');
    expectOne(source, where(source, 'capture='), /capture= cannot be used with interactive/);
  });
});

describe('step ids', () => {
  it('rejects a duplicate id on the duplicate fence line', () => {
    const source = withFront('# A\n\n```sh run id=same\ntrue\n```\n\n```sh run id=same\ntrue\n```\n');
    expectOne(source, where(source, 'id=same', 2), /step id "same" is already used on line \d+/);
  });

  it('rejects an id with spaces or slashes', () => {
    const source = withFront('# A\n\n```sh run id="a b"\ntrue\n```\n');
    expectOne(source, where(source, 'id='), /must be one word/);
  });
});

describe('if= conditions', () => {
  it('reports a syntax error at its column', () => {
    const source = withFront('# A\n\n```sh run if="ORG == "\ntrue\n```\n');
    const problems = problemsOf(source);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/if: expected a quoted value/);
    expect(problems[0].line).toBe(where(source, 'if=').line);
    // The column points past `if="ORG == ` to where the value is missing.
    expect(problems[0].column).toBeGreaterThan(where(source, 'if=').column + 'if="ORG =='.length - 1);
  });

  it('rejects an unknown name at the name', () => {
    const source = withFront('# A\n\n```sh run if="ORG == \'x\' && MISSING"\ntrue\n```\n');
    expectOne(source, where(source, 'MISSING'), /if= uses MISSING, which is never defined/);
  });

  it('rejects a name used before the step that captures it', () => {
    const source = withFront('# A\n\n```sh run if="LATER"\ntrue\n```\n\n```sh run capture=LATER\necho x\n```\n');
    expectOne(source, where(source, 'LATER"'), /if= uses LATER before it is set \(line \d+ sets it\)/);
  });

  it('rejects a secret in a condition', () => {
    const source = withFront('# A\n\n```sh run if="PAT"\ntrue\n```\n');
    expectOne(source, where(source, 'PAT"'), /cannot read PAT: it is a secret/);
  });

  it('accepts a name captured by an earlier step', () => {
    const source = withFront('# A\n\n```sh run capture=OUT\necho x\n```\n\n```sh run if="OUT != \'\'"\ntrue\n```\n');
    expect(problemsOf(source)).toEqual([]);
  });
});

describe('input blocks', () => {
  it('requires name and prompt', () => {
    const source = withFront('# A\n\n```yaml input\nname: DIGEST\n```\n');
    expectOne(source, where(source, 'name: DIGEST'), /input block: missing required key "prompt"/);
  });

  it('reports broken YAML at the body line', () => {
    const source = withFront('# A\n\n```yaml input\nname: DIGEST\nprompt: [broken\n```\n');
    const problems = problemsOf(source);
    expect(problems[0].message).toMatch(/invalid YAML/);
    expect(problems[0].line).toBeGreaterThanOrEqual(where(source, 'prompt: [broken').line);
  });

  it('rejects an unknown key', () => {
    const source = withFront('# A\n\n```yaml input\nname: DIGEST\nprompt: Digest\ncolour: red\n```\n');
    expectOne(source, where(source, 'colour:'), /input block: unknown key "colour"/);
  });

  it('rejects a bad pattern at the pattern key', () => {
    const source = withFront('# A\n\n```yaml input\nname: DIGEST\nprompt: Digest\npattern: "(x"\n```\n');
    expectOne(source, where(source, 'pattern:'), /pattern is not a valid JavaScript regex/);
  });

  it('rejects a name that is not a variable name', () => {
    const source = withFront('# A\n\n```yaml input\nname: digest\nprompt: Digest\n```\n');
    expectOne(source, where(source, 'name: digest'), /name: must match/);
  });

  it('rejects an empty body at the fence', () => {
    const source = withFront('# A\n\n```yaml input\n```\n');
    expectOne(source, where(source, '```yaml input'), /input block is empty/);
  });

  it('keeps columns right for a block indented inside a list item', () => {
    const source = withFront('# A\n\n1. Ask:\n\n   ```yaml input\n   name: DIGEST\n   prompt: Digest\n   colour: red\n   ```\n');
    expectOne(source, where(source, 'colour:'), /unknown key "colour"/);
  });
});

describe('github blocks', () => {
  const block = (body: string, info = '') => withFront(`# A\n\n\`\`\`yaml github${info}\n${body}\n\`\`\`\n`);

  it('rejects a request that is not METHOD /route', () => {
    for (const request of ['FETCH /user', 'GET user', 'GET']) {
      const source = block(`request: ${request}`);
      expectOne(source, where(source, 'request:'), /request must be "METHOD \/route"/);
    }
  });

  it('rejects an unknown key', () => {
    const source = block('request: GET /user\nheaders: {}');
    expectOne(source, where(source, 'headers:'), /github block: unknown key "headers"/);
  });

  it('rejects an expect that is not JMESPath, at its item', () => {
    const source = block('request: GET /user\nexpect:\n  - "login"\n  - "[?broken"');
    expectOne(source, where(source, '"[?broken"'), /expect "\[\?broken" is not valid JMESPath/);
  });

  it('rejects a capture that is not JMESPath, at its name', () => {
    const source = block('request: GET /user\ncapture:\n  LOGIN: "a.["');
    expectOne(source, where(source, 'LOGIN:'), /capture LOGIN is not valid JMESPath/);
  });

  it('reports the same broken expression in every step that writes it, and accepts a good one everywhere', () => {
    const body = (n: number, expect: string) => `## S${n}\n\n\`\`\`yaml github\nrequest: GET /user\nexpect:\n  - "${expect}"\n\`\`\`\n\n`;
    const source = withFront(`${body(1, '[?broken')}${body(2, 'login')}${body(3, '[?broken')}${body(4, 'login')}`);
    const problems = problemsOf(source);
    expect(problems.map((p) => p.line)).toEqual([where(source, '"[?broken"').line, where(source, '"[?broken"', 2).line]);
    for (const p of problems) expect(p.message).toMatch(/expect "\[\?broken" is not valid JMESPath/);
  });

  it('rejects a capture name that is not a variable name', () => {
    const source = block('request: GET /user\ncapture:\n  login: login');
    expectOne(source, where(source, 'login: login'), /must match/);
  });

  it('rejects an undefined route placeholder at the placeholder', () => {
    const source = block('request: GET /orgs/{ORG}/packages/{PACKAGE}');
    expectOne(source, where(source, '{PACKAGE}'), /github request uses PACKAGE, which is never defined/);
  });

  it('rejects a lowercase placeholder', () => {
    const source = block('request: GET /orgs/{org}');
    expectOne(source, where(source, '{org}'), /placeholder \{org\} must name a variable/);
  });

  it('rejects a secret in the route or fields', () => {
    const route = block('request: GET /x/{PAT}');
    expectOne(route, where(route, '{PAT}'), /cannot use PAT: it is a secret/);
    const fields = block('request: POST /x\nfields:\n  token: "{PAT}"');
    expectOne(fields, where(fields, 'token:'), /cannot use PAT: it is a secret/);
  });

  it('rejects an undefined variable in fields at its key', () => {
    const source = block('request: POST /orgs/{ORG}/teams\nfields:\n  name: "{TEAM}"');
    expectOne(source, where(source, 'name:'), /github fields uses TEAM, which is never defined/);
  });

  it('rejects a status outside 100-599', () => {
    const source = block('request: GET /user\nstatus: 42');
    expectOne(source, where(source, 'status:'), /^github block: status: expected number to be >=100$/);
  });

  it('rejects run-only attributes', () => {
    const source = block('request: GET /user', ' capture=X');
    expectOne(source, where(source, 'capture='), /capture is not allowed on a github block/);
  });
});

describe('task lists and prose', () => {
  it('reports a step nested too deep to read instead of skipping it silently', () => {
    let body = '# A\n\n';
    for (let depth = 0; depth < 25; depth++) body += `${'  '.repeat(depth)}- level ${depth}\n`;
    body += `${'  '.repeat(25)}\`\`\`sh run id=hidden\n${'  '.repeat(25)}rm -rf /srv/app\n${'  '.repeat(25)}\`\`\`\n`;
    const source = withFront(body);
    expectOne(source, where(source, 'level 19'), /nested too deep/);
  });

  it('counts a lone CR as a line ending, as CommonMark does, so positions follow the lines an editor shows', () => {
    const source = withFront('# A\n\nRead this.\rThen {{NOBODY}}.\n');
    const problems = problemsOf(source);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: where(source, 'Read this.').line + 1, column: 6 });
  });

  it('rejects a list that mixes task items and plain items, at the plain item', () => {
    const source = withFront('# A\n\n- [ ] one\n- two\n');
    expectOne(source, where(source, '- two'), /mixes plain items with task items/);
  });

  it('rejects {{NAME}} in prose before anything defines it', () => {
    const source = withFront('# A\n\nThe digest is {{DIGEST}}.\n\n```yaml input\nname: DIGEST\nprompt: Digest\n```\n');
    expectOne(source, where(source, '{{DIGEST}}'), /uses DIGEST before it is set/);
  });

  it('rejects {{NAME}} of an unknown variable in a task item', () => {
    const source = withFront('# A\n\n- [ ] tell {{NOBODY}}\n');
    expectOne(source, where(source, '{{NOBODY}}'), /uses NOBODY, which is never defined/);
  });

  it('rejects {{NAME}} in trailing prose that names nothing', () => {
    const source = withFront('# A\n\n```sh run\ntrue\n```\n\nDone, {{WHO}}.\n');
    expectOne(source, where(source, '{{WHO}}'), /never defined/);
  });

  it('allows {{SECRET}} in prose (it is shown masked)', () => {
    expect(problemsOf(withFront('# A\n\nToken: {{PAT}}\n\n- [ ] ok\n'))).toEqual([]);
  });
});

describe('several problems', () => {
  it('reports all of them, in file order', () => {
    const source = withFront('# A\n\n```sh run colour=red\ntrue\n```\n\n```sh check timeout=x\ntrue\n```\n');
    const problems = problemsOf(source);
    expect(problems.map((p) => p.line)).toEqual([where(source, 'colour').line, where(source, 'timeout=x').line]);
  });
});

describe('YAML mistakes', () => {
  it('suggests quoting a value that contains ": "', () => {
    const source = FRONT.replace('title: Test runbook', 'title: Test: runbook');
    expectOne(source, { line: where(source, 'title:').line }, /invalid YAML: .* put the value in quotes/);
  });

  it('names a duplicate key', () => {
    const source = FRONT.replace('title: Test runbook', 'title: Test runbook\ntitle: Again');
    expectOne(source, { line: where(source, 'title: Again').line }, /invalid YAML: Map keys must be unique/);
  });
});

describe('did you mean (a slip must not pass silently)', () => {
  it.each([
    ['```sh chek\ntrue\n```', 'chek', 'check'],
    ['```sh rnu\ntrue\n```', 'rnu', 'run'],
    ['```yaml githib\nGET /user\n```', 'githib', 'github'],
    ['```yaml inptu\nname: X\nprompt: x\n```', 'inptu', 'input'],
  ])('a fence whose kind is one slip from a step kind is an error, not prose: %s', (fence, word, kind) => {
    const source = withFront(`# A\n\n${fence}\n`);
    expectOne(source, where(source, word), new RegExp(`"${word}" is not a step kind: did you mean "${kind}"\\?`));
  });

  it('leaves a fence with an ordinary second word, or none, as prose', () => {
    for (const fence of ['```sh\ntrue\n```', '```sh copy\ntrue\n```', '```text output\nx\n```', '```sh title=x\ntrue\n```']) {
      expect(problemsOf(withFront(`# A\n\n${fence}\n`)), fence).toEqual([]);
    }
  });

  it('names the attribute an unknown one is close to', () => {
    const source = withFront('# A\n\n```sh run confrim\necho hi\n```\n');
    expectOne(source, where(source, 'confrim'), /unknown attribute "confrim": did you mean "confirm"\?/);
  });

  it('names the variable an undefined name is close to', () => {
    const source = withFront('# A\n\n```sh run if="OGR == \'x\'"\necho hi\n```\n');
    expectOne(source, where(source, 'OGR'), /if= uses OGR, which is never defined: did you mean ORG\?/);
  });
});
