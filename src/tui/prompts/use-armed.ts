// A prompt ignores keys until it has been on screen for one turn of the event loop: the Enter that
// answered the previous question must never also answer this one (a `confirm` step above all).
import { useEffect, useRef } from 'react';

export function useArmed(): { readonly current: boolean } {
  const armed = useRef(false);
  useEffect(() => {
    const timer = setImmediate(() => {
      armed.current = true;
    });
    return () => clearImmediate(timer);
  }, []);
  return armed;
}
