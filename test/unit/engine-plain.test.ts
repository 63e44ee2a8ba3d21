// Line mode: the printer's lines and the @inquirer/prompts prompter, driven through plain streams.
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { EventBus } from '../../src/core/bus';
import { attachPrinter } from '../../src/plain/printer';
import { createPlainPrompter } from '../../src/plain/prompter';
import { renderProse } from '../../src/plain/prose';
import { createStyle } from '../../src/plain/style';
import { RunAborted } from '../../src/engine';
import { execute, run, runbook, tasks } from '../fixtures/engine/builders';

function sink() {
  const stream = new PassThrough();
  let text = '';
  stream.setEncoding('utf8').on('data', (d: string) => (text += d));
  return { stream, text: () => text };
}

const plain = createStyle({ isTTY: false });

describe('style', () => {
  it('colours only a terminal without NO_COLOR', () => {
    expect(createStyle({ isTTY: true, env: {} }).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(createStyle({ isTTY: true, env: { NO_COLOR: '1' } }).red('x')).toBe('x');
    expect(createStyle({ isTTY: false, env: {} }).red('x')).toBe('x');
  });
});

describe('prose', () => {
  it('renders headings, lists, code and links as plain text', () => {
    const lines = renderProse(
      '## Before you start\n\nRead **this** and [the docs](https://x.test).\n\n- one `thing`\n- [x] done\n\n```sh\necho hi\n```\n',
      plain,
    );
    expect(lines).toEqual([
      'Before you start',
      '',
      'Read this and the docs (https://x.test).',
      '',
      '  • one thing',
      '  ☑ done',
      '',
      '    echo hi',
    ]);
  });
});

describe('printer', () => {
  it('prints headers with n/N, prose with variables, the command, output, results and a summary', async () => {
    const rb = runbook(
      [
        { ...run('echo "hi $WHO"', { id: 'greet', title: 'Greet' }), prose: 'Say hi to **{{WHO}}**.' },
        { ...run('exit 2', { id: 'fail', title: 'Fail' }) },
      ],
      { inputs: { WHO: { prompt: 'Who' } } },
    );
    const out = sink();
    const err = sink();
    const bus = new EventBus();
    attachPrinter(bus, { runbook: rb, out: out.stream, err: err.stream, style: plain });
    await execute({ runbook: rb, bus, yes: true, sets: { WHO: 'ops' } });
    const text = out.text();
    expect(text).toContain('Test runbook v1.0.0 — LIVE — 2 steps');
    expect(text).toContain('[1/2] Greet\n  Say hi to ops.\n  # WHO=ops\n  $ echo "hi $WHO"\nhi ops\n  ✓ passed');
    expect(text).toMatch(/\[2\/2\] Fail\n {2}\$ exit 2\n {2}✗ failed \(exit status 2, \d+ms\)/);
    expect(text).toMatch(/Summary\n {2}1\. Greet\s+passed\s+\d+ms\n {2}2\. Fail\s+failed/);
    expect(text).toMatch(/Run failed: step fail failed: exit status 2/);
    expect(text).not.toContain('\u001b[');
  });
});

describe('plain prompter', () => {
  /** Types each answer only once its question (or message) has been drawn, as a person would. */
  function prompterWith(script: [waitFor: string, keys: string][]) {
    const input = new PassThrough();
    const out = sink();
    // Inquirer ends its output when a prompt closes; a terminal's stdout survives that, so this one must too.
    out.stream.end = (() => out.stream) as typeof out.stream.end;
    const prompter = createPlainPrompter({ input, output: out.stream, style: plain });
    let seen = 0;
    const next = () => {
      const [waitFor, keys] = script[0] ?? [];
      if (waitFor === undefined) return;
      const at = out.text().indexOf(waitFor, seen);
      if (at < 0) return;
      seen = at + waitFor.length;
      script.shift();
      setImmediate(() => input.write(keys!));
    };
    out.stream.on('data', next);
    return { prompter, out };
  }

  it('asks for an input, refuses a value that does not match, and returns the corrected one', async () => {
    const { prompter, out } = prompterWith([
      ['Organisation', 'Bad!\r'],
      ['must match', '\b\b\b\bgood-value\r'],
    ]);
    const value = await prompter.input({ name: 'ORG', spec: { prompt: 'Organisation', pattern: '^[a-z-]+$' } });
    expect(value).toBe('good-value');
    expect(out.text()).toContain('ORG must match ^[a-z-]+$');
  });

  it('maps a select answer and a skip reason to a decision', async () => {
    const { prompter } = prompterWith([
      ['What now?', '\u001b[B'],
      ['❯ Skip', '\r'],
      ['Why skip', 'already done\r'],
    ]);
    const decision = await prompter.failure({ step: run('exit 1', { title: 'Deploy' }), reason: 'exit status 1' });
    expect(decision).toEqual({ action: 'skip', reason: 'already done' });
  });

  it('turns Ctrl-C inside a question into an aborted run, not a crash', async () => {
    const { prompter } = prompterWith([['tick each item', '\u0003']]);
    await expect(prompter.tasks({ step: tasks(['a']), items: [{ text: 'a', checked: false }] })).rejects.toBeInstanceOf(RunAborted);
  });
});
