/**
 * Failed-login lockout, kept per (name, address) across connections: after `attempts` wrong
 * passwords in a row, that name is refused from that address for `seconds`. One process keeps the
 * counters in memory (LoginLockout); a cluster keeps them in Redis (RedisLockout in cluster/), so a
 * lock holds on every node.
 */
export interface LockoutOptions {
  attempts: number;
  seconds: number;
}

export interface Lockout {
  /** Seconds left on a lock for this name from this address, or 0 when not locked. */
  secondsLeft(name: string, address: string): Promise<number>;
  /** Records a failure; resolves with the seconds of lock it started (0 when not locked yet). */
  fail(name: string, address: string): Promise<number>;
  /** A right password: the count starts again. */
  succeed(name: string, address: string): Promise<void>;
}

interface Entry {
  failures: number;
  lockedUntil: number;
}

/** The lockout of a single process. */
export class LoginLockout implements Lockout {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly options: LockoutOptions,
    private readonly now: () => number = Date.now,
  ) {}

  private key(name: string, address: string): string {
    return `${name}\u0000${address}`;
  }

  async secondsLeft(name: string, address: string): Promise<number> {
    const entry = this.entries.get(this.key(name, address));
    if (!entry || entry.lockedUntil === 0) return 0;
    const left = entry.lockedUntil - this.now();
    if (left <= 0) {
      this.entries.delete(this.key(name, address));
      return 0;
    }
    return Math.ceil(left / 1000);
  }

  async fail(name: string, address: string): Promise<number> {
    const key = this.key(name, address);
    const entry = this.entries.get(key) ?? { failures: 0, lockedUntil: 0 };
    entry.failures += 1;
    if (entry.failures >= this.options.attempts) {
      entry.failures = 0;
      entry.lockedUntil = this.now() + this.options.seconds * 1000;
    }
    this.entries.set(key, entry);
    this.prune();
    return entry.lockedUntil ? this.options.seconds : 0;
  }

  async succeed(name: string, address: string): Promise<void> {
    this.entries.delete(this.key(name, address));
  }

  /** Keeps memory bounded under a flood of made-up names. */
  private prune(): void {
    if (this.entries.size < 10_000) return;
    const now = this.now();
    for (const [key, e] of this.entries) {
      if (e.lockedUntil !== 0 && e.lockedUntil <= now) this.entries.delete(key);
      else if (e.lockedUntil === 0 && e.failures < this.options.attempts - 1) this.entries.delete(key);
    }
  }
}
