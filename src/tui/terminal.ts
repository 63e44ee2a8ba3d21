// Whatever happens — a normal exit, a crash, a signal — the operator gets their terminal back:
// cursor shown, raw mode off, main screen restored.
const RESTORE = '\x1b[?25h\x1b[?1049l';

type Signal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
const SIGNALS: Signal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export function restoreTerminal(stdin: NodeJS.ReadStream | undefined, stdout: NodeJS.WriteStream | undefined): void {
  try {
    if (stdin?.isTTY && stdin.isRaw) stdin.setRawMode(false);
  } catch {
    // A closed terminal cannot be restored, and needs no restoring.
  }
  try {
    if (stdout?.isTTY) stdout.write(RESTORE);
  } catch {
    // As above.
  }
}

/** Installs the guards; returns a function that removes them. */
export function guardTerminal(stdin: NodeJS.ReadStream | undefined, stdout: NodeJS.WriteStream | undefined): () => void {
  const restore = () => restoreTerminal(stdin, stdout);
  const onSignal = (signal: Signal) => {
    restore();
    // When nobody else (run.ts) handles the signal, behave as if we had never listened: die by it.
    if (process.listenerCount(signal) === 1) {
      remove();
      process.kill(process.pid, signal);
    }
  };
  process.on('exit', restore);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('uncaughtExceptionMonitor', restore);
  const remove = () => {
    process.off('exit', restore);
    for (const signal of SIGNALS) process.off(signal, onSignal);
    process.off('uncaughtExceptionMonitor', restore);
  };
  return remove;
}
