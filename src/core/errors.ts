// Errors an operator can act on. The CLI prints `message` alone (never a stack) and exits with `exitCode`.
// An error may carry what went wrong and what to do about it apart (as Shopify cli-kit's AbortError
// carries its message and tryMessage): the message reads "what; fix." as one sentence, and a caller
// that knows a better fix swaps it with `withFix` instead of editing the message's text.

export interface HandrailErrorOptions {
  exitCode?: 1 | 2;
  /** What to do about it, without a final stop: "set GH_TOKEN to a valid token". */
  fix?: string;
}

export class HandrailError extends Error {
  readonly exitCode: 1 | 2;
  /** What went wrong. With no fix it is the whole message, as given. */
  readonly what: string;
  readonly fix: string | undefined;

  /** `options` may be the exit code alone, as most callers give it. */
  constructor(what: string, options: 1 | 2 | HandrailErrorOptions = {}) {
    const { exitCode = 1, fix } = typeof options === 'number' ? { exitCode: options } : options;
    super(sentence(what, fix));
    this.name = 'HandrailError';
    this.exitCode = exitCode;
    this.what = what;
    this.fix = fix;
  }

  /** The same error (same class, exit code and fields) with `fix` as what to do. */
  withFix(fix: string): this {
    const copy = Object.assign(Object.create(Object.getPrototypeOf(this) as object) as this, this);
    Object.assign(copy, { fix, message: sentence(this.what, fix) });
    return copy;
  }
}

function sentence(what: string, fix: string | undefined): string {
  if (!fix) return what;
  const stop = what.endsWith('.') ? what.slice(0, -1) : what;
  return `${stop}; ${fix.endsWith('.') ? fix.slice(0, -1) : fix}.`;
}

/** Bad usage or an invalid runbook: nothing was run (exit 2). */
export class UsageError extends HandrailError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/**
 * Any thrown value as a clause for another sentence ("… was not updated: <reason>; the run goes on"):
 * its message without the final stop, so callers never trim error text themselves.
 */
export function errorReason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.endsWith('.') ? text.slice(0, -1) : text;
}
