// The choke point for text bound for a terminal (SPEC §3.2): what a hostile runbook, value or output
// could send the terminal, and what the operator sees instead.
import { describe, expect, it } from 'vitest';
import { terminalSafe, terminalSafeLine } from '../../src/core/terminal-safe';
import { displayEvent, displayRunbook } from '../../src/core/for-display';
import { jsonLine } from '../../src/plain/json-lines';
import type { Runbook } from '../../src/core/model';

// Anything a terminal acts on: C0 but \n and \t, DEL, C1, bidi controls, U+2028/9.
const ACTS_ON = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('terminalSafe', () => {
  it('shows an escape sequence that would hide the rest of a command', () => {
    expect(terminalSafe('echo hello \x1b[8m; touch EVIL \x1b[0m')).toBe('echo hello ␛[8m; touch EVIL ␛[0m');
  });

  it('shows every C0 control but newline and tab as its Control Picture, and DEL as ␡', () => {
    expect(terminalSafe('a\x00b\x07c\x08d\re\x7ff\tg\nh')).toBe('a␀b␇c␈d␍e␡f\tg\nh');
    expect(terminalSafe('\x1b]0;owned\x07')).toBe('␛]0;owned␇');
  });

  it('reads CRLF as a line ending, not as a carriage return', () => {
    expect(terminalSafe('one\r\ntwo\r\n')).toBe('one\ntwo\n');
  });

  it('names C1 controls and bidi overrides, isolates and marks by code point', () => {
    expect(terminalSafe('\u009b8m')).toBe('<U+009B>8m');
    expect(terminalSafe('ok \u202Egnp.exe')).toBe('ok <U+202E>gnp.exe');
    expect(terminalSafe('\u2066x\u2069 \u200e\u200f\u061c \u2028')).toBe('<U+2066>x<U+2069> <U+200E><U+200F><U+061C> <U+2028>');
  });

  it('leaves ordinary text, including other scripts and emoji, untouched (and the same string)', () => {
    const text = 'Déploiement — 部署 ✓ 🚀 \t tab\nnext line';
    expect(terminalSafe(text)).toBe(text);
  });

  it('never lets anything a terminal acts on through, for every code unit below U+3000', () => {
    let all = '';
    for (let c = 0; c < 0x3000; c++) if (c < 0xd800) all += String.fromCharCode(c);
    expect(terminalSafe(all)).not.toMatch(ACTS_ON);
    expect(terminalSafeLine(all)).not.toMatch(/[\n\r]/);
  });
});

describe('terminalSafeLine', () => {
  it('shows a newline in a value as ⏎, so it cannot start a line that poses as handrail’s', () => {
    expect(terminalSafeLine('fix typo\nOutcome:   completed')).toBe('fix typo⏎Outcome:   completed');
    expect(terminalSafeLine('a\r\nb\rc')).toBe('a⏎b␍c');
  });
});

describe('the display boundary', () => {
  it('makes every string of an event safe: values inline, commands and output keep their lines', () => {
    const capture = displayEvent({ type: 'capture', at: 'now', stepId: 's', name: 'PR_TITLE', value: 'ok\n\x1b[2J' });
    expect(capture).toMatchObject({ value: 'ok⏎␛[2J' });
    const output = displayEvent({ type: 'output', stepId: 's', stream: 'stdout', text: 'a\x1b[2J\nb\n' });
    expect(output).toMatchObject({ text: 'a␛[2J\nb\n' });
    const started = displayEvent({
      type: 'step-started',
      at: 'now',
      stepId: 's',
      index: 0,
      attempt: 1,
      display: 'echo a\x1b[8m\nrm b',
      rehearsal: false,
    });
    expect(started).toMatchObject({ display: 'echo a␛[8m\nrm b' });
  });

  it('gives the views a runbook whose titles, prose, scripts and task items are safe, and leaves the engine’s untouched', () => {
    const runbook = {
      path: 'r.md',
      dir: '/',
      source: '',
      sha256: '',
      meta: { id: 'r', title: 'T\x1b]0;x\x07', version: '1' },
      steps: [
        {
          kind: 'run',
          id: 'a',
          title: 'A\x1b[8m',
          section: '',
          prose: 'p\x1b[2J\nq',
          pos: { line: 1, column: 1 },
          shell: 'sh',
          script: 'echo \x1b[8m\n',
          confirm: true,
          secrets: [],
          retries: 0,
          interactive: false,
        },
        {
          kind: 'confirm',
          id: 'b',
          title: 'B',
          section: '',
          prose: '',
          pos: { line: 2, column: 1 },
          items: [{ text: 'x\ny', checked: false, pos: { line: 2, column: 1 } }],
        },
      ],
    } as unknown as Runbook;
    const shown = displayRunbook(runbook);
    expect(shown.meta.title).toBe('T␛]0;x␇');
    expect(shown.steps[0]).toMatchObject({ title: 'A␛[8m', prose: 'p␛[2J\nq', script: 'echo ␛[8m\n' });
    expect(shown.steps[1]).toMatchObject({ items: [{ text: 'x⏎y' }] });
    expect(runbook.steps[0]).toMatchObject({ script: 'echo \x1b[8m\n' });
  });

  it('--json escapes C1 and bidi characters, so the parsed value is exact and the terminal sees none', () => {
    const line = jsonLine({ value: 'a\u009b\u202Eb\x1b' });
    expect(line).not.toMatch(ACTS_ON);
    expect(JSON.parse(line)).toEqual({ value: 'a\u009b\u202Eb\x1b' });
  });
});
