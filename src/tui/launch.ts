// Starts the TUI as early as it can be seen: the header is painted at once, then Ink is loaded.
// This module stays tiny (no Ink, no React) so `handrail run` can import it up front.
import type { TuiOptions, TuiSession } from './index';
import { paintFirstFrame } from './first-frame';
import { guardTerminal, restoreTerminal } from './terminal';

export async function launchTui(options: TuiOptions): Promise<TuiSession> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  // Until startTui installs its own guards, a signal or a failed load must still give the screen back.
  const unguard = guardTerminal(stdin, stdout);
  try {
    const handOver = stdout.isTTY
      ? paintFirstFrame(stdout, {
          title: options.runbook.meta.title,
          version: options.runbook.meta.version,
          mode: options.mode,
          total: options.runbook.steps.length,
        })
      : () => {};
    const { startTui } = await loadWithoutFetch(() => import('./index'));
    handOver();
    return startTui(options);
  } catch (error) {
    restoreTerminal(stdin, stdout);
    throw error;
  } finally {
    unguard();
  }
}

/**
 * Yoga (Ink's layout engine) asks `typeof fetch` while it loads and, finding Node's, fetches its
 * own inlined wasm through undici: loading undici costs more than the rest of Ink's start-up.
 * Without fetch it decodes the same bytes directly. Nothing else runs fetch during this import
 * (the engine has not started), and fetch is put back before anything could.
 */
export async function loadWithoutFetch<T>(load: () => Promise<T>): Promise<T> {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!descriptor?.configurable) return load();
  Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true, writable: true });
  try {
    return await load();
  } finally {
    Object.defineProperty(globalThis, 'fetch', descriptor);
  }
}
