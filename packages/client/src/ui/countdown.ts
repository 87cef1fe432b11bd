/** Countdowns on screen (a lockout, the next server check, an idle logout): whole seconds, ticking. */
import { useEffect, useState } from 'react';

/** Whole seconds from `now` until `at`, never below 0. */
export const secondsLeft = (at: number, now: number): number => Math.max(0, Math.ceil((at - now) / 1000));

/** The time, ticking each second while `until` is ahead, so a lockout's countdown moves. */
export function useCountdownClock(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    setNow(Date.now());
    const timer = setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (t >= until) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [until]);
  return now;
}
