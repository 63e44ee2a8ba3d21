// Drives the real CLI in a real terminal: a tmux server of its own (-L) per test, a fixed size,
// keys sent with send-keys, the screen read with capture-pane, polled until text shows up.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export const hasTmux = spawnSync('sh', ['-c', 'command -v tmux'], { stdio: 'ignore' }).status === 0;

export interface TmuxSession {
  socket: string;
  send(...keys: string[]): void;
  /** Types literal text (no key names). */
  type(text: string): void;
  screen(): string;
  /** The screen with the rows the terminal wrapped joined again (`capture-pane -J`), as a copy joins them. */
  joined(): string;
  /** Polls `read` (the screen, unless given) until the predicate holds. */
  waitFor(predicate: string | RegExp | ((screen: string) => boolean), timeoutMs?: number, read?: () => string): Promise<string>;
  kill(): void;
}

export function startTmux(
  command: string,
  options: {
    cwd: string;
    env?: Record<string, string>;
    columns?: number;
    rows?: number;
    /** The command is the terminal's own process (as in a terminal tab or `ssh host cmd`), with no shell after it. */
    exec?: boolean;
  },
): TmuxSession {
  const socket = `handrail-${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const env = Object.entries(options.env ?? {})
    .map(([k, v]) => `${k}=${shellQuote(v)}`)
    .join(' ');
  // The shell stays after the command ends so its exit status can be read from the screen.
  const script = options.exec
    ? `cd ${shellQuote(options.cwd)} && exec env ${env} ${command}`
    : `cd ${shellQuote(options.cwd)} && env ${env} ${command}; echo "EXIT=$?"; sleep 600`;
  tmux(
    '-f',
    '/dev/null',
    'new-session',
    '-d',
    '-s',
    'main',
    '-x',
    String(options.columns ?? 100),
    '-y',
    String(options.rows ?? 30),
    script,
  );
  const session: TmuxSession = {
    socket,
    send: (...keys) => void tmux('send-keys', '-t', 'main', ...keys),
    type: (text) => void tmux('send-keys', '-t', 'main', '-l', text),
    screen: () => tmux('capture-pane', '-p', '-t', 'main'),
    joined: () => tmux('capture-pane', '-p', '-J', '-t', 'main'),
    async waitFor(predicate, timeoutMs = 15_000, read = () => session.screen()) {
      const test =
        typeof predicate === 'function'
          ? predicate
          : typeof predicate === 'string'
            ? (s: string) => s.includes(predicate)
            : (s: string) => predicate.test(s);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const screen = read();
        if (test(screen)) return screen;
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${String(predicate)}; the screen was:\n${screen}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    kill: () => {
      spawnSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
    },
  };
  return session;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
