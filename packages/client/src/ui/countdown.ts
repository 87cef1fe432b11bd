/** Countdowns on screen (a lockout and the next server check on the login screen, the next reconnect and an idle logout in the status bar). */
import { useEffect, useState } from 'react';

/** Whole seconds from `now` until `at`, never below 0. */
export const secondsLeft = (at: number, now: number): number => Math.max(0, Math.ceil((at - now) / 1000));

/**
 * The time, moving on each time the whole seconds left until `until` change (and no more often),
 * so only the component that shows a countdown draws again; it stops at `until`.
 */
export function useCountdownClock(until: number | null): number {
  const [clock, setClock] = useState(() => ({ until, now: Date.now() }));
  const setNow = (now: number) => setClock({ until, now });
  useEffect(() => {
    if (until === null) return;
    setNow(Date.now());
    let timer: NodeJS.Timeout | null = null;
    const schedule = () => {
      const left = until - Date.now();
      if (left <= 0) return;
      // To the next whole second before `until` (+1 ms, so the ceiling has moved).
      timer = setTimeout(
        () => {
          setNow(Date.now());
          schedule();
        },
        (left % 1000 || 1000) + 1,
      );
      timer.unref?.();
    };
    schedule();
    return () => {
      if (timer) clearTimeout(timer);
    };
  }, [until]);
  // A new `until` is drawn once before the effect runs: with the time now, not the time kept for the
  // last one (a lockout said "61 s" for a frame when the clock was a second old).
  return clock.until === until ? clock.now : Date.now();
}
