/** How the load's clients settle a connection attempt: once, by success, failure or timeout. */

export interface Settle<T> {
  /** Resolves with `value` unless already settled. */
  done(value: T): void;
  /** Rejects with `err` (after `cleanup`) unless already settled. */
  fail(err: Error): void;
  readonly settled: boolean;
}

/** Settles a promise once; after `timeoutMs` it fails with `timedOut()`. `cleanup` runs on a failure. */
export function settleOnce<T>(
  resolve: (value: T) => void,
  reject: (err: Error) => void,
  timeoutMs: number,
  timedOut: () => Error,
  cleanup: () => void,
): Settle<T> {
  let settled = false;
  const timer = setTimeout(() => s.fail(timedOut()), timeoutMs);
  const end = (): boolean => {
    if (settled) return false;
    settled = true;
    clearTimeout(timer);
    return true;
  };
  const s: Settle<T> = {
    done: (value) => void (end() && resolve(value)),
    fail: (err) => {
      if (!end()) return;
      cleanup();
      reject(err);
    },
    get settled() {
      return settled;
    },
  };
  return s;
}
