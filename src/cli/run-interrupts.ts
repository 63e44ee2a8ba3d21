// What stops a run from outside: a signal (Ctrl-C, a supervisor's SIGTERM, a closed terminal's SIGHUP)
// or an output that can no longer be written. Each aborts the run's controller; the engine then
// ends the run and the record is still written.
import { abortOnSignals } from '../plain/signals';
import { onOutputFault } from './output-faults';

export interface Interrupts {
  /** After a signal nobody is there to press a key (a closed terminal, a kill): never wait for one. */
  signalled(): boolean;
  /** Settles when a signal arrives: it ends the end screen's wait for a key. */
  arrived: Promise<void>;
  /** Stops listening for signals (output faults are listened to for good). */
  stop(): void;
}

export function abortOnInterrupts(controller: AbortController): Interrupts {
  let signalled = false;
  // The end screen waits for a key; a signal then (a supervisor's SIGTERM, a closed terminal's
  // SIGHUP) ends that wait: the run is over and its record written, so there is nothing left to abort.
  let onSignalled: () => void = () => {};
  const arrived = new Promise<void>((resolve) => (onSignalled = resolve));
  const stop = abortOnSignals(controller, () => {
    signalled = true;
    onSignalled();
  });
  // A reader that goes away (`| head`), a closed terminal (EIO) or a full disk under a redirect
  // (ENOSPC): the run stops as for a signal, the record is still written, and no stack reaches the
  // operator. Never removed: later writes fail the same way.
  onOutputFault((fault) => {
    signalled = true;
    if (!controller.signal.aborted)
      controller.abort(fault.code === 'EPIPE' && fault.stream === 'stdout' ? 'stdout was closed' : fault.sentence);
  });
  return { signalled: () => signalled, arrived, stop };
}
