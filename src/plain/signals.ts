// SIGINT / SIGTERM / SIGHUP abort the run: the running step's process group is ended and the run
// ends `aborted`, so the record is still written. Operators press Ctrl-C twice out of habit while a
// stubborn step takes its grace period to die, so only a third SIGINT leaves at once (and without a
// record); a second SIGTERM or SIGHUP (a supervisor escalating, a terminal gone) leaves at once.
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function tell(signal: NodeJS.Signals, line: string): void {
  // Only Ctrl-C has an operator watching stderr; after SIGHUP the terminal may be gone.
  if (signal !== 'SIGINT') return;
  try {
    process.stderr.write(`\nhandrail: ${line}\n`);
  } catch {
    // Nowhere to say it: the abort goes on regardless.
  }
}

export function abortOnSignals(controller: AbortController, onSignal?: (signal: NodeJS.Signals) => void): () => void {
  let interrupts = 0;
  let signalled = false;
  const handlers = SIGNALS.map((signal) => {
    const handler = () => {
      if (signal === 'SIGINT') interrupts += 1;
      // The first signal, even when the run is already ending for another reason: a closed terminal
      // is seen as a failed write (EIO) just before its SIGHUP, which must not cost the record.
      if (!signalled) {
        signalled = true;
        onSignal?.(signal);
        if (!controller.signal.aborted) controller.abort(`interrupted by ${signal}`);
        tell(signal, 'interrupted: ending the running step, then writing the record.');
        return;
      }
      if (signal === 'SIGINT' && interrupts < 3) {
        tell(signal, 'still ending the running step so the record can be written; interrupt again to leave at once, without a record.');
        return;
      }
      tell(signal, 'left at once: no record was written; running the runbook again offers to resume.');
      process.exit(1);
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((off) => off());
}
