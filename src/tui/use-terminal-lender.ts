// Interactive steps get the real terminal through Ink, which releases raw mode and the cursor.
import { useApp } from 'ink';
import { useEffect } from 'react';
import type { TerminalLender } from './prompter';

/** Installs the lender's `lend` while the screen is mounted. */
export function useTerminalLender(lender: TerminalLender): void {
  const { suspendTerminal } = useApp();
  useEffect(() => {
    lender.lend = async <T>(fn: () => Promise<T>): Promise<T> => {
      let result: T | undefined;
      // Ink turns raw mode off but keeps its 'readable' listener, so handrail would go on reading the
      // terminal and could take the operator's Enter away from the command. Stop reading until it ends.
      const stdin = process.stdin;
      const readers = stdin.listeners('readable') as ((...args: unknown[]) => void)[];
      for (const reader of readers) stdin.removeListener('readable', reader);
      stdin.pause();
      // pause() alone keeps the descriptor in libuv's read set until 16 KB are buffered; a line the
      // operator types for the command could still land in handrail. Stop the read itself.
      const handle = (stdin as unknown as { _handle?: { reading?: boolean; readStop?: () => number; readStart?: () => number } })._handle;
      const stopped = handle?.reading === true && typeof handle.readStop === 'function' && typeof handle.readStart === 'function';
      if (stopped) {
        handle.readStop!();
        handle.reading = false;
      }
      try {
        await suspendTerminal(async () => {
          process.stdout.write('\x1b[2J\x1b[H');
          result = await fn();
        });
      } finally {
        for (const reader of readers) stdin.on('readable', reader);
        // The stream still believes a read is under way, so it would never ask again: restart it.
        if (stopped && !handle.reading) {
          handle.reading = true;
          handle.readStart!();
        }
      }
      return result as T;
    };
    return () => {
      lender.lend = undefined;
    };
  }, [lender, suspendTerminal]);
}
