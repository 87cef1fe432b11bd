/**
 * Own messages not yet acknowledged, in the order they were typed. They go out one at a time, so
 * the server stores each sender's messages in the order they were written, and a resend (after a
 * reconnect, a missing answer or a rate limit) reuses the clientId, so the server stores it once.
 * The sending itself is in send.ts; this is the queue, its retry wait and who is waiting on it.
 */

export type OutboxEntry =
  | { kind: 'direct'; clientId: string; to: string; text: string }
  | { kind: 'list'; clientId: string; to: string[]; text: string }
  | { kind: 'all'; clientId: string; text: string };

export interface Queued {
  readonly entry: OutboxEntry;
  /** Whether the responses pane hears about this message's success (/msg does; plain text does not). */
  readonly announce: boolean;
  /** Attempts that got no answer while connected. */
  timeouts: number;
  /** Attempts answered `rate_limited`. */
  rateLimited: number;
  /** Attempts answered `unavailable` (the server's database or Redis out of reach); not limited. */
  unavailable: number;
  /** Set once the user was told this message waits for the connection, so it is said once. */
  toldOffline: boolean;
}

/** Why the head of the queue waits before its next attempt. */
export type WaitReason = 'timeout' | 'rate_limited' | 'unavailable';

export class Outbox {
  private readonly queue = new Map<string, Queued>();
  private readonly waiters = new Map<string, (() => void)[]>();
  private wait: { timer: NodeJS.Timeout; reason: WaitReason } | null = null;
  private draining: Promise<void> | null = null;
  private again = false;
  private epoch = 0;

  /**
   * `attempts`: how often a message that gets no answer, or `rate_limited`, is tried before it is
   * shown failed. `saved`: told the whole queue whenever a message joins or leaves it (the file on
   * disk, outbox-file.ts); clear() does not tell it, so what is unsent stays for the next login.
   */
  constructor(
    readonly attempts = 5,
    private readonly saved: ((entries: OutboxEntry[]) => void) | null = null,
  ) {}

  add(entry: OutboxEntry, announce: boolean): void {
    this.queue.set(entry.clientId, { entry, announce, timeouts: 0, rateLimited: 0, unavailable: 0, toldOffline: false });
    this.saved?.(this.entries());
  }

  /** What the queue holds, oldest first. */
  entries(): OutboxEntry[] {
    return [...this.queue.values()].map((q) => q.entry);
  }

  has(clientId: string): boolean {
    return this.queue.has(clientId);
  }

  /** The oldest message, unless it waits for a retry. */
  head(): Queued | undefined {
    if (this.wait) return undefined;
    return this.queue.values().next().value;
  }

  /** Acknowledged, refused or given up: it leaves the queue. */
  remove(clientId: string): void {
    if (this.queue.delete(clientId)) this.saved?.(this.entries());
    this.release(clientId);
  }

  /** Resolves once `clientId` has left the queue or the queue has stopped moving (offline, waiting). */
  settled(clientId: string): Promise<void> {
    if (!this.queue.has(clientId)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.set(clientId, [...(this.waiters.get(clientId) ?? []), resolve]));
  }

  /** Holds the head back for `ms`, then calls `resume`. */
  pause(ms: number, reason: WaitReason, resume: () => void): void {
    this.cancelWait();
    const epoch = this.epoch;
    const timer = setTimeout(() => {
      this.wait = null;
      if (epoch === this.epoch) resume();
    }, ms);
    timer.unref();
    this.wait = { timer, reason };
  }

  /** Ends a wait of this kind at once (a fresh connection need not wait out a missing answer). */
  cancelWait(...reasons: WaitReason[]): void {
    if (!this.wait || (reasons.length > 0 && !reasons.includes(this.wait.reason))) return;
    clearTimeout(this.wait.timer);
    this.wait = null;
  }

  get waiting(): boolean {
    return this.wait !== null;
  }

  /**
   * Runs `loop` unless one is running already (then returns that one). When it stops, whoever waits
   * on a message still queued is released: that message stays pending.
   */
  drain(loop: (epoch: number) => Promise<void>): Promise<void> {
    if (this.draining) {
      // Asked while running: run once more at the end, so a message added meanwhile is not missed.
      this.again = true;
      return this.draining;
    }
    const epoch = this.epoch;
    let self: Promise<void> | null = null;
    const run: Promise<void> = (async () => {
      try {
        do {
          this.again = false;
          await loop(epoch);
        } while (this.again && epoch === this.epoch);
      } finally {
        // In the same step as the last look at `again`: a drain asked a moment later (a .finally()
        // would leave one microtask between) starts a new loop instead of joining one that ended.
        if (this.draining === self) this.draining = null;
        if (epoch === this.epoch) for (const id of [...this.waiters.keys()]) this.release(id);
      }
    })();
    self = run;
    this.draining = run;
    return run;
  }

  /** False once clear() ran after `epoch` was taken (a new session): an old loop must stop. */
  current(epoch: number): boolean {
    return epoch === this.epoch;
  }

  get size(): number {
    return this.queue.size;
  }

  /** Forgets everything (logout, a new login, close). */
  clear(): void {
    this.epoch++;
    this.cancelWait();
    this.draining = null;
    this.queue.clear();
    for (const id of [...this.waiters.keys()]) this.release(id);
  }

  private release(clientId: string): void {
    const list = this.waiters.get(clientId);
    this.waiters.delete(clientId);
    for (const resolve of list ?? []) resolve();
  }
}
