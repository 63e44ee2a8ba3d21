// One picture of a run (#26): the TUI (its end screen and the lines it leaves in the scrollback),
// line mode and the status comment on the incident issue read the same events and say every status
// with the same glyph, the same word and the same duration.
import { PassThrough } from 'node:stream';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/bus';
import type { RunEvent, StepStatus } from '../../src/core/events';
import { chooseGithubApi } from '../../src/github/hosts';
import { attachPrinter } from '../../src/plain/printer';
import { createStyle } from '../../src/plain/style';
import { teamGithub } from '../../src/team/github';
import { startStatusReporter } from '../../src/team/status-comment';
import { RunStore } from '../../src/tui/run-store';
import { Summary } from '../../src/tui/Summary';
import { endLines } from '../../src/view/end-lines';
import { run, runbook } from '../fixtures/engine/builders';
import { startGithubServer, type GithubServer } from '../helpers/github-server';
import { frameText } from '../helpers/ink';

const TOKEN = 'ghp_oneView0123456789abcdef0123456789';
const ISSUE = 'craton-co/incidents#42';

/** Every status a step can end with, its duration, and what every front end must call it. */
const FINISHED: Array<[StepStatus, number, string]> = [
  ['passed', 850, '✓ passed 850ms'],
  ['failed', 1234, '✗ failed 1.2s'],
  ['skipped', 0, '↷ skipped 0ms'],
  ['confirmed', 65_000, '✓ confirmed 1m05s'],
  ['auto-confirmed', 5, '✓ auto-confirmed 5ms'],
  ['rehearsed', 1500, '◇ rehearsed 1.5s'],
  ['not-run', 0, '· not-run 0ms'],
];
/** The run stops in the step after those (interrupted); the last is never reached (not-run). */
const TITLES = [...FINISHED.map(([status]) => `Step ${status}`), 'Step in flight', 'Step never reached'];
const EXPECTED = [...FINISHED.map(([, , said]) => said), '● interrupted', '· not-run'];

let gh: GithubServer;
beforeEach(async () => {
  gh = await startGithubServer({ state: { tokens: { [TOKEN]: { login: 'alice' } } } });
  gh.state.team.issues[ISSUE] = [];
  chooseGithubApi(gh.url);
});
afterEach(async () => {
  cleanup();
  await gh.close();
});

function events(book: ReturnType<typeof runbook>): RunEvent[] {
  const at = (s: number) => new Date(Date.UTC(2026, 11, 7, 3, 0, s)).toISOString();
  const list: RunEvent[] = [
    {
      type: 'run-started',
      at: at(0),
      runId: 'run-one-view',
      runbook: { path: book.path, id: book.meta.id, title: book.meta.title, version: book.meta.version, sha256: book.sha256 },
      mode: 'live',
      steps: book.steps.map((s, index) => ({ id: s.id, index, kind: s.kind, title: s.title, section: s.section })),
      operator: { user: 'alice', host: 'laptop' },
      tool: { name: 'handrail', version: '0' },
    },
  ];
  FINISHED.forEach(([status, durationMs], index) => {
    const stepId = book.steps[index]!.id;
    list.push({ type: 'step-started', at: at(index + 1), stepId, index, attempt: 1, display: 'true', rehearsal: false });
    list.push({ type: 'step-finished', at: at(index + 1), stepId, index, status, startedAt: at(index + 1), durationMs });
  });
  const inFlight = FINISHED.length;
  list.push({
    type: 'step-started',
    at: at(20),
    stepId: book.steps[inFlight]!.id,
    index: inFlight,
    attempt: 1,
    display: 'true',
    rehearsal: false,
  });
  list.push({ type: 'run-ended', at: at(42), outcome: 'aborted', reason: 'stopped by the operator' });
  list.push({ type: 'record-written', at: at(42), path: 'records/one-view.json' });
  return list;
}

/** `glyph word duration` as a front end wrote it for the step with this title, squeezed to single spaces. */
function said(lines: string[], title: string, pattern: (title: string) => RegExp): string {
  const found = lines.map((line) => pattern(title).exec(line)).find(Boolean);
  if (!found) throw new Error(`no line for "${title}" in:\n${lines.join('\n')}`);
  return found[1]!.trim().replace(/\s+/g, ' ');
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('one view of a run', () => {
  it('the TUI, line mode and the status comment give each status the same glyph, word and duration', async () => {
    const book = runbook(TITLES.map((title, i) => run('true', { id: `s${i}`, title })));
    const bus = new EventBus();
    const out = new PassThrough();
    let printed = '';
    out.setEncoding('utf8').on('data', (d: string) => (printed += d));
    attachPrinter(bus, { runbook: book, out, err: new PassThrough(), style: createStyle({ isTTY: false }) });
    const store = new RunStore(book, 'live', bus);
    const reporter = startStatusReporter(bus, {
      gh: teamGithub(gh.url, { token: TOKEN, source: 'environment variable GH_TOKEN' }),
      issue: { repo: 'craton-co/incidents', number: 42 },
      warn: (message) => {
        throw new Error(message);
      },
      minIntervalMs: 0,
    });
    for (const event of events(book)) bus.emit(event);
    await reporter.finish();
    const state = store.getSnapshot().state;
    store.dispose();

    // The TUI's scrollback: `  ✓ passed 850ms      1. Step passed`.
    const endRow = (title: string) => new RegExp(`^ {2}(\\S+ \\S+(?: \\S+)?) +\\d+\\. ${escape(title)}$`);
    // Line mode's table, read down a log: `  1. Step passed   passed         850ms` (no glyph column).
    const lineMode = printed.slice(printed.indexOf('Summary')).trimEnd().split('\n');
    const tableRow = (title: string) => new RegExp(`^ +\\d+\\. ${escape(title)} +(\\S+ *\\S*)$`);
    const scrollback = endLines(state);
    // The comment's table: `| 1 | Step passed | ✓ passed | 850ms |`.
    const comment = gh.state.team.issues[ISSUE]![0]!.body.split('\n');
    const commentRow = (title: string) => new RegExp(`^\\| \\d+ \\| ${escape(title)} \\| ([^|]+) \\| ([^|]*) \\|$`);
    const commentSaid = (title: string) => {
      const m = comment.map((line) => commentRow(title).exec(line)).find(Boolean)!;
      return `${m[1]!.trim()} ${m[2]!.trim()}`.trim();
    };
    // The TUI's end screen: `✓ Step passed …  passed 850ms`, glyph first and word last.
    const screen = frameText(render(<Summary state={state} width={100} height={30} top={0} />)).split('\n');
    const screenRow = (title: string) => new RegExp(`^(\\S+) ${escape(title)} +(\\S+(?: \\S+)?)$`);
    const screenSaid = (title: string) => {
      const m = screen.map((line) => screenRow(title).exec(line.trimEnd())).find(Boolean)!;
      return `${m[1]} ${m[2]}`;
    };

    TITLES.forEach((title, i) => {
      const expected = EXPECTED[i]!;
      expect(said(lineMode, title, tableRow), `line mode, ${title}`).toBe(expected.slice(expected.indexOf(' ') + 1));
      expect(said(scrollback, title, endRow), `TUI scrollback, ${title}`).toBe(expected);
      expect(commentSaid(title), `status comment, ${title}`).toBe(expected);
      expect(screenSaid(title), `TUI end screen, ${title}`).toBe(expected);
    });

    // The same outcome, in each layout's words: the scrollback's sentence and line mode's last line.
    expect(lineMode.at(-4)).toBe('Run aborted: stopped by the operator');
    expect(lineMode.slice(-3)).toEqual(scrollback.slice(-3));
    expect(scrollback[0]).toBe('handrail: Test runbook — Run aborted (live) in 00:42: stopped by the operator.');
    expect(scrollback.slice(-3)).toEqual([
      'Record: records/one-view.json',
      'Verify it with:',
      expect.stringMatching(/ verify records\/one-view\.json$/),
    ]);
  });
});
