// HandrailError keeps what went wrong apart from what to do, so a caller that knows a better fix
// replaces it without editing the message's text.
import { describe, expect, it } from 'vitest';
import { errorReason, HandrailError, UsageError } from '../../src/core/errors';

describe('HandrailError', () => {
  it('prints what and fix as one sentence, and a plain message as given', () => {
    const error = new HandrailError('GitHub rejected the token (401 Bad credentials) for GET /user', { fix: 'store a valid one' });
    expect(error.message).toBe('GitHub rejected the token (401 Bad credentials) for GET /user; store a valid one.');
    expect(error.exitCode).toBe(1);
    expect(new HandrailError('nothing to do here.', 2).message).toBe('nothing to do here.');
    expect(new HandrailError('nothing to do here.', 2).exitCode).toBe(2);
  });

  it('withFix shows the new fix in the message and leaves what went wrong, the class and the original alone', () => {
    const original = new UsageError('secret X is missing');
    const fixed = original.withFix('set X_TOKEN to a valid token');
    expect(fixed.message).toBe('secret X is missing; set X_TOKEN to a valid token.');
    expect(fixed.what).toBe('secret X is missing');
    expect(fixed.fix).toBe('set X_TOKEN to a valid token');
    expect(fixed).toBeInstanceOf(UsageError);
    expect(fixed.exitCode).toBe(2);
    expect(original.message).toBe('secret X is missing');
    expect(original.fix).toBeUndefined();

    const withFix = new HandrailError('Could not write r.json (ENOSPC)', { fix: 'free space' });
    const replaced = withFix.withFix('pass a --record-dir you can write to.');
    expect(replaced.message).toBe('Could not write r.json (ENOSPC); pass a --record-dir you can write to.');
    expect(withFix.message).toBe('Could not write r.json (ENOSPC); free space.');
  });
});

describe('errorReason', () => {
  it('quotes any thrown value without its final stop', () => {
    expect(errorReason(new HandrailError('Could not write r.json (ENOSPC)', { fix: 'free space' }))).toBe(
      'Could not write r.json (ENOSPC); free space',
    );
    expect(errorReason(new Error('socket hang up.'))).toBe('socket hang up');
    expect(errorReason('plain words')).toBe('plain words');
  });
});
