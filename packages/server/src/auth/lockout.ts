/**
 * Failed-login lockout, kept per (name, address) across connections: after `attempts` wrong
 * passwords in a row, that name is refused from that address for `seconds`. One process keeps the
 * counters in memory (LoginLockout); a cluster keeps them in Redis (RedisLockout in cluster/), so a
 * lock holds on every node.
 *
 * An attempt is reserved before its (slow) password hash and settled after it: attempts in flight
 * count with the failures, so however many wrong guesses are sent at once, only `attempts` of them
 * are ever hashed, and a right password sent after them finds the name locked (checking the lock
 * first and counting the failure after the hash let eleven guesses at once all be hashed).
 */
export interface LockoutOptions {
  attempts: number;
  seconds: number;
}

/** A reservation: go ahead and check the password, or refused (locked, or enough attempts already in flight). */
export type Reservation = { ok: true } | { ok: false; seconds: number; inFlight: boolean };

/** How an attempt ended: a wrong password, a right one, or neither (the check itself failed). */
export type Outcome = 'failed' | 'succeeded' | 'abandoned';

/** Seconds a refusal for attempts in flight asks the client to wait (they settle within a hash or two). */
export const IN_FLIGHT_RETRY_S = 2;

export interface Lockout {
  /** Seconds left on a lock for this name from this address, or 0 when not locked. */
  secondsLeft(name: string, address: string): Promise<number>;
  /** Before the password is hashed: counts the attempt as in flight, unless the name is locked or would be by those in flight. */
  reserve(name: string, address: string): Promise<Reservation>;
  /** After the hash: gives the reservation back and records the outcome; resolves with the seconds of lock a failure started (0 otherwise). */
  settle(name: string, address: string, outcome: Outcome): Promise<number>;
}

interface Entry {
  failures: number;
  lockedUntil: number;
  inFlight: number;
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

  async reserve(name: string, address: string): Promise<Reservation> {
    const seconds = await this.secondsLeft(name, address);
    if (seconds > 0) return { ok: false, seconds, inFlight: false };
    const key = this.key(name, address);
    const entry = this.entries.get(key) ?? { failures: 0, lockedUntil: 0, inFlight: 0 };
    if (entry.failures + entry.inFlight >= this.options.attempts) return { ok: false, seconds: IN_FLIGHT_RETRY_S, inFlight: true };
    entry.inFlight += 1;
    this.entries.set(key, entry);
    this.prune();
    return { ok: true };
  }

  async settle(name: string, address: string, outcome: Outcome): Promise<number> {
    const key = this.key(name, address);
    const entry = this.entries.get(key) ?? { failures: 0, lockedUntil: 0, inFlight: 1 };
    entry.inFlight = Math.max(0, entry.inFlight - 1);
    let locked = 0;
    if (outcome === 'succeeded') {
      entry.failures = 0;
    } else if (outcome === 'failed') {
      entry.failures += 1;
      if (entry.failures >= this.options.attempts) {
        entry.failures = 0;
        entry.lockedUntil = this.now() + this.options.seconds * 1000;
        locked = this.options.seconds;
      }
    }
    if (entry.failures === 0 && entry.inFlight === 0 && entry.lockedUntil === 0) this.entries.delete(key);
    else this.entries.set(key, entry);
    return locked;
  }

  /** Keeps memory bounded under a flood of made-up names. */
  private prune(): void {
    if (this.entries.size < 10_000) return;
    const now = this.now();
    for (const [key, e] of this.entries) {
      if (e.inFlight > 0) continue;
      if (e.lockedUntil !== 0 && e.lockedUntil <= now) this.entries.delete(key);
      else if (e.lockedUntil === 0 && e.failures < this.options.attempts - 1) this.entries.delete(key);
    }
  }
}
