// SIGINT / SIGTERM / SIGHUP abort the run: the running step's process group is ended and the run
// ends `aborted`, so the record is still written. A second signal while that happens leaves at once.
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function abortOnSignals(controller: AbortController, onSignal?: (signal: NodeJS.Signals) => void): () => void {
  const handlers = SIGNALS.map((signal) => {
    const handler = () => {
      if (controller.signal.aborted) process.exit(1);
      onSignal?.(signal);
      controller.abort(`interrupted by ${signal}`);
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((off) => off());
}
