// A prompt ignores keys until it has been on screen for one turn of the event loop: the Enter that
// answered the previous question must never also answer this one (a `confirm` step above all).
import { useLayoutEffect, useRef } from 'react';

export function useArmed(): { readonly current: boolean } {
  const armed = useRef(false);
  // Counted from the commit that draws the prompt (a layout effect), not from React's later
  // passive-effect pass: on a busy machine that pass can run after the operator's next key, which
  // was then silently dropped.
  useLayoutEffect(() => {
    const timer = setImmediate(() => {
      armed.current = true;
    });
    return () => clearImmediate(timer);
  }, []);
  return armed;
}
