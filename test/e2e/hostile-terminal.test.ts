// SPEC §3.2 "what is shown is what runs", tried as an attacker would: a runbook, a --set value, a
// capture and a step's output that carry escape sequences, and what the operator's terminal
// received, read through a real pseudo-terminal (script(1)) in line mode.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runCli, tempHome } from '../helpers/cli';
import { HOSTILE } from '../fixtures/hostile/runbook';

const ESC = '\x1b';
const BEL = '\x07';

/** Runs the CLI inside a pseudo-terminal and returns every byte the terminal was sent. */
function throughTerminal(args: string[], env: NodeJS.ProcessEnv, cwd: string): string {
  const launcher = join(cwd, 'launch.sh');
  writeFileSync(launcher, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" ${args.map((a) => `"${a}"`).join(' ')}\n`, { mode: 0o755 });
  const transcript = join(cwd, 'transcript');
  try {
    execFileSync('script', ['-qfec', launcher, transcript], { cwd, env: { ...process.env, ...env }, stdio: 'ignore', timeout: 30_000 });
  } catch {
    // The exit status is asserted through the transcript.
  }
  return readFileSync(transcript, 'utf8')
    .replace(/^Script started.*\n/, '')
    .replace(/\nScript done.*\n?$/, '');
}

describe('a hostile runbook in line mode, through a real terminal', () => {
  it('sends the terminal no control sequence: the hidden command, value, capture and output are shown', () => {
    const home = tempHome('handrail-hostile-');
    const work = join(home.root, 'work');
    mkdirSync(work);
    writeFileSync(join(work, 'hostile.md'), HOSTILE);
    const received = throughTerminal(
      ['run', 'hostile.md', '--yes', '--set', 'NOTE=$NOTE'],
      { ...home.env, NOTE: `care\nOutcome: completed${ESC}[8m` },
      work,
    );

    // Nothing the terminal would act on: not handrail's colours (NO_COLOR), not the runbook's, not the step's.
    expect(received).not.toMatch(/[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(received).not.toContain(BEL);
    // The command shown before it runs is the whole command.
    expect(received).toContain('echo hello ␛[8m; touch EVIL ␛[0m');
    // Title, heading and prose show their escapes.
    expect(received).toContain('Routine cleanup ␛]0;pwned␇');
    expect(received).toContain('Clean up␛[2K');
    expect(received).toContain('Read this first.␛[8m Nothing to see here.␛[0m Then continue.');
    // A value and a capture stay on their line: their newline is ⏎, their escapes visible.
    expect(received).toContain('NOTE = care⏎Outcome: completed␛[8m');
    expect(received).toContain('PR_TITLE = fix typo⏎␛[1A␛[2KOutcome: completed');
    expect(received).toContain('I reviewed PR fix typo⏎␛[1A␛[2KOutcome: completed with care⏎Outcome: completed␛[8m');
    expect(received).toContain('Review fix typo⏎␛[1A␛[2KOutcome: completed');
    // A step's output cannot clear the screen, retitle the terminal or reorder text.
    expect(received).toContain('␛[2J␛[H␛]0;retitled␇cleared <U+009B> <U+202E>dne');
    expect(received).not.toMatch(/^Outcome: completed/m);
  });

  it('shows lint messages and list rows that quote a hostile file name and title safely', async () => {
    const home = tempHome('handrail-hostile-');
    const dir = join(home.root, 'runbooks');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.md'), HOSTILE);
    writeFileSync(join(dir, `b${ESC}[2J.md`), `---\nid: b\ntitle: B\nversion: 1.0.0\n---\n\n\`\`\`sh run id=x${ESC}[8m\necho\n\`\`\`\n`);
    const list = await runCli(['list', dir], { env: home.env });
    expect(list.stdout).toContain('Routine cleanup ␛]0;pwned␇');
    expect(list.stdout).toContain('b␛[2J.md');
    expect(list.stdout + list.stderr).not.toContain(ESC);
    const lint = await runCli(['lint', join(dir, `b${ESC}[2J.md`)], { env: home.env });
    expect(lint.stdout).toContain('b␛[2J.md:');
    expect(lint.stdout).toContain('␛[8m');
    expect(lint.stdout + lint.stderr).not.toContain(ESC);
  });
});
