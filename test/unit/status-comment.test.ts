// The status comment on the incident issue (SPEC §6.4), tried as an attacker and as a flaky network:
// runbook text cannot ping people or link issues, a POST whose answer was lost is not made twice,
// and a comment API that never answers cannot hold the run's end.
import markdownIt, { type Token } from 'markdown-it';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/bus';
import type { RunEvent } from '../../src/core/events';
import { credentialLine } from '../../src/core/credential-line';
import { chooseGithubApi } from '../../src/github/hosts';
import { neutralise, renderStatus, startStatusReporter, statusMarker } from '../../src/team/status-comment';
import { teamGithub } from '../../src/team/github';
import { blankState, type RunState, type StepRow } from '../../src/view/run-state';
import { startGithubServer, type GithubServer } from '../helpers/github-server';

const TOKEN = 'ghp_statusComment0123456789abcdef';
const ISSUE = { repo: 'craton-co/incidents', number: 42 };
const HOSTILE =
  'Ping @craton-co/release-managers and @alice about #999, craton-co/infra#12, GH-7, deadbeefcafe1234, https://evil.example/x, www.evil.example, root@example.com';

let gh: GithubServer;
beforeEach(async () => {
  gh = await startGithubServer({ state: { tokens: { [TOKEN]: { login: 'alice' } } } });
  gh.state.team.issues['craton-co/incidents#42'] = [];
  chooseGithubApi(gh.url);
});
afterEach(() => gh.close());

/** What GitHub would act on in a comment body: mentions, references, commit shas, autolinks. */
function actionable(body: string): string[] {
  return [
    ...body.matchAll(/(?:^|[^\w`])@[A-Za-z0-9]/g),
    ...body.matchAll(/(?:^|[^\w&])#\d/g),
    ...body.matchAll(/\bGH-\d/gi),
    ...body.matchAll(/\b[0-9a-f]{7,40}\b/g),
    ...body.matchAll(/https?:\/\//g),
    ...body.matchAll(/\bwww\./g),
  ].map((m) => m[0]);
}

/** A run whose title and one passed step's title are `title`. */
function shown(title: string, operator?: string): RunState {
  const step: StepRow = { id: 'one', index: 0, kind: 'run', title, section: '', status: 'passed', attempt: 1 };
  return { ...blankState(), title, id: 'demo', version: '1.0.0', ...(operator ? { operator } : {}), steps: [step] };
}

describe('runbook text in the comment', () => {
  it('mentions, issue references, shas and links are shown but inert', () => {
    const body = renderStatus(shown(HOSTILE, 'root@example.com'));
    expect(actionable(body)).toEqual([]);
    // The reader still sees the same words: only invisible joiners were added.
    expect(neutralise(HOSTILE).replaceAll('\u200d', '')).toBe(HOSTILE.replace(/[_*[\]<>|`\\]/g, '\\$&'));
  });

  it('HTML character references cannot spell a mention, a reference or a link once GitHub decodes them', () => {
    // GitHub finds mentions and references in the rendered text, after `&commat;` has become `@`: a
    // CommonMark renderer (markdown-it) decodes them the same way, so its text is what GitHub reads.
    const sneaky =
      '&commat;craton-co/release-managers &num;999 &#64;alice &#x40;bob https&colon;//evil.example/x www&period;evil.example &lbrack;x&rbrack;&lpar;https&colon;//evil.example&rpar;';
    const body = renderStatus(shown(sneaky));
    const text: string[] = [];
    const walk = (tokens: Token[]) => {
      for (const t of tokens) {
        if (t.type === 'text' || t.type === 'code_inline') text.push(t.content);
        if (t.children) walk(t.children);
      }
    };
    walk(markdownIt().parse(body, {}));
    expect(actionable(text.join('\n'))).toEqual([]);
    // The reader sees what the runbook wrote, character references and all.
    expect(text.join('\n').replaceAll('\u200d', '')).toContain('&commat;craton-co/release-managers &num;999');
  });
});

function started(bus: EventBus, runId: string) {
  const event: RunEvent = {
    type: 'run-started',
    at: new Date().toISOString(),
    runId,
    runbook: { path: 'demo.md', id: 'demo', title: 'Demo', version: '1.0.0', sha256: 'x' },
    mode: 'rehearsal',
    steps: [{ id: 'one', kind: 'run', title: 'One' } as never],
    operator: { user: 'alice', host: 'laptop' },
    tool: { name: 'handrail', version: '0' },
  };
  bus.emit(event);
}

const credential = { token: TOKEN, source: 'environment variable GH_TOKEN' };

describe('posting', () => {
  it('a POST whose answer was lost is not made again: the marked comment is found and edited', async () => {
    let posts = 0;
    // The first POST lands, then the answer is lost (a proxy's 502); later ones behave.
    gh.route('POST', '/repos/{owner}/{repo}/issues/{number}/comments', ({ body }) => {
      posts += 1;
      const now = new Date().toISOString();
      gh.state.team.issues['craton-co/incidents#42']!.push({
        id: 900 + posts,
        body: (body as { body: string }).body,
        user: 'alice',
        created_at: now,
        updated_at: now,
      });
      return posts === 1 ? { status: 502, body: { message: 'Bad Gateway' } } : { status: 201, body: { id: 900 + posts } };
    });
    const bus = new EventBus();
    const warnings: string[] = [];
    const reporter = startStatusReporter(bus, {
      gh: teamGithub(gh.url, credential),
      issue: ISSUE,
      warn: (m) => warnings.push(m),
      minIntervalMs: 0,
    });
    started(bus, 'run-1234');
    bus.emit({ type: 'run-ended', at: new Date().toISOString(), outcome: 'completed' });
    await reporter.finish();
    const comments = gh.state.team.issues['craton-co/incidents#42']!;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith(statusMarker('run-1234'))).toBe(true);
    expect(comments[0]!.body).toContain('**Outcome:** completed');
    expect(posts).toBe(1);
  });

  it('a comment API that never answers cannot hold the end: finish returns and says so', async () => {
    gh.route('POST', '/repos/{owner}/{repo}/issues/{number}/comments', () => new Promise(() => {}));
    const bus = new EventBus();
    const warnings: string[] = [];
    const reporter = startStatusReporter(bus, {
      gh: teamGithub(gh.url, credential),
      issue: ISSUE,
      warn: (m) => warnings.push(m),
      finishWithinMs: 100,
    });
    started(bus, 'run-hung');
    bus.emit({ type: 'run-ended', at: new Date().toISOString(), outcome: 'completed' });
    await reporter.finish();
    expect(warnings.at(-1)).toBe('the status comment on craton-co/incidents#42 was not brought up to date: GitHub did not answer in time.');
  });
});

describe('the token it carries', () => {
  it('is announced with its source and host before the first request', () => {
    expect(credentialLine({ source: 'environment variable GH_TOKEN', host: 'https://api.github.com', use: 'the status comment' })).toBe(
      'GitHub token from environment variable GH_TOKEN goes to https://api.github.com (the status comment)',
    );
  });
});
