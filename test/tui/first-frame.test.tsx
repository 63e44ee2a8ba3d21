// The header painted before Ink loads must be the line Ink then draws, on the alternate screen, and
// wiped before Ink's frame so nothing of it is left behind. launchTui wires that to the real App.
import { Console } from 'node:console';
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { render, cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/bus';
import { paintFirstFrame } from '../../src/tui/first-frame';
import { Header } from '../../src/tui/Header';
import { launchTui, loadWithoutFetch } from '../../src/tui/launch';
import { fixtureRunbook } from './fixture';

afterEach(() => cleanup());

/** A stream that looks like a terminal to Ink and keeps everything written to it. */
function fakeTerminal(columns = 100, rows = 30) {
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns, rows, hasColors: () => false });
  const written: string[] = [];
  stdout.on('data', (chunk: Buffer) => written.push(chunk.toString('utf8')));
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    isRaw: false,
    setRawMode: () => stdin,
    ref: () => stdin,
    unref: () => stdin,
  });
  return { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, written };
}

function paint(title: string, mode: 'live' | 'rehearsal', columns: number): { text: string; raw: string; handOver(): string } {
  const term = fakeTerminal(columns);
  const handOver = paintFirstFrame(term.stdout, { title, version: '2.0.1', mode, total: 200 });
  const raw = term.written.join('');
  return {
    raw,
    text: stripVTControlCharacters(raw),
    handOver: () => {
      term.written.length = 0;
      handOver();
      return term.written.join('');
    },
  };
}

describe('first frame', () => {
  for (const [title, mode, columns] of [
    ['GHCR registry provisioning', 'live', 100],
    ['GHCR registry provisioning', 'rehearsal', 100],
    ['A title far too long to fit beside the badge and the step count on a narrow terminal', 'live', 60],
  ] as const) {
    it(`shows the header Ink draws next (${mode}, ${columns} columns)`, () => {
      const first = paint(title, mode, columns);
      const ink = render(<Header title={title} version="2.0.1" mode={mode} current={-1} total={200} width={columns} />);
      expect(first.text).toBe(stripVTControlCharacters(ink.lastFrame() ?? ''));
      expect(first.text).toContain('200 steps');
      expect(first.text.length).toBe(columns);
    });
  }

  it('draws on the alternate screen and wipes it when Ink takes over', () => {
    const first = paint('Rollback', 'live', 80);
    expect(first.raw.startsWith('\x1b[?1049h')).toBe(true);
    expect(first.handOver()).toBe('\x1b[H\x1b[2J');
  });
});

describe('launchTui', () => {
  it('paints the title before Ink, then Ink draws the run screen, and fetch works again afterwards', async () => {
    // Ink patches the console through console.Console, which vitest's own console lacks.
    Object.assign(console, { Console: (console as { Console?: unknown }).Console ?? Console });
    const term = fakeTerminal();
    const runbook = fixtureRunbook();
    const session = await launchTui({ runbook, mode: 'live', bus: new EventBus(), stdin: term.stdin, stdout: term.stdout });
    try {
      const all = term.written.join('');
      const painted = all.indexOf('Rollback drill v1.2.0');
      const wiped = all.indexOf('\x1b[H\x1b[2J', painted);
      expect(painted).toBeGreaterThanOrEqual(0);
      expect(wiped).toBeGreaterThan(painted);
      // Ink's own frame comes after the wipe: the title again, and the preflight body.
      expect(stripVTControlCharacters(all.slice(wiped))).toContain('Rollback drill v1.2.0');
      expect(stripVTControlCharacters(all.slice(wiped))).toContain('4 steps');
      expect(typeof fetch).toBe('function');
    } finally {
      session.unmount();
    }
  });

  it('puts fetch back even when loading fails, and passes the failure on', async () => {
    const before = fetch;
    let seen: unknown = 'not called';
    await expect(
      loadWithoutFetch(async () => {
        seen = (globalThis as { fetch?: unknown }).fetch;
        throw new Error('chunk missing');
      }),
    ).rejects.toThrow('chunk missing');
    expect(seen).toBeUndefined();
    expect(fetch).toBe(before);
  });
});
