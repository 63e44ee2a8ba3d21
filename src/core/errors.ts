// Errors an operator can act on. The CLI prints `message` alone (never a stack) and exits with `exitCode`.
export class HandrailError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'HandrailError';
  }
}

/** Bad usage or an invalid runbook: nothing was run (exit 2). */
export class UsageError extends HandrailError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}
