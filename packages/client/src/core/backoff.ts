/**
 * When to try again after the connection is lost: at once, then after a random delay under a
 * ceiling that doubles from `baseMs` up to `capMs`. The cap is short so that a server back after
 * an outage has its clients back within about `capMs` (a longer cap only makes people wait);
 * the jitter spreads the clients that lost the server at the same moment over that window,
 * instead of sending them back all together.
 */
export interface Backoff {
  /** The ceiling of the second retry's delay; it doubles with each retry after. */
  baseMs: number;
  /** The largest delay. */
  capMs: number;
}

export const RECONNECT_BACKOFF: Backoff = { baseMs: 500, capMs: 2000 };

/**
 * The delay before retry `attempt` (0: the first after the loss, at once): uniform between a
 * tenth of the ceiling and the ceiling ("full jitter", with a floor so no client retries in a
 * tight loop). `random` returns a number in [0, 1).
 */
export function retryDelay(attempt: number, backoff: Backoff = RECONNECT_BACKOFF, random: () => number = Math.random): number {
  if (attempt <= 0) return 0;
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(ceiling * (0.1 + 0.9 * random()));
}

/**
 * Several servers: the retry step of move `k` (0: the first after the loss). Each server of a
 * round is tried before the delay grows: the first move is at once, the others of a round share
 * one step.
 */
export function stepOf(k: number, servers: number): number {
  return k <= 0 ? 0 : 1 + Math.floor((k - 1) / Math.max(1, servers));
}

/**
 * A session lost sooner than this after it came up continues the backoff where it was, instead
 * of starting again at once: a server that takes the token and drops the connection straight
 * away is not hammered.
 */
export const STABLE_MS = 5000;
