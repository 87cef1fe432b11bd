/**
 * A user's message budget shared by every node of a cluster, without a Redis round trip per
 * message.
 *
 * Each node counts a user's messages itself, synchronously (LocalWindow's rule), and every
 * SYNC_INTERVAL_MS one pipeline adds what it counted since the last sync to the user's counter in
 * Redis ({prefix}rl:messages:{user}, expiring with the window) and reads back the cluster-wide
 * total and what is left of the window, which become the node's own count and window. (The key
 * and its form, a plain integer that INCRBY raises, are those rate-limiter-flexible's
 * RateLimiterRedis used, so nodes of the old and the new kind count together during an upgrade.)
 * A user counted here recently (RECENT_MS) is read back at each sync even when there is nothing
 * new to add, so the node hears of what the user sends through other nodes.
 *
 * The bound: between syncs a node admits on its own count, so across the cluster a user gets the
 * whole budget plus, at most, on each node, what it sent there before that node heard the rest:
 * about two sync intervals' worth (the interval in which the other nodes' counts reached Redis,
 * and the next one, until the node's own sync came back), and never more than the budget per
 * node per window.
 *
 * While Redis is out of reach each node goes on counting alone: nothing is refused for Redis's
 * sake and nothing waved through. What it counted meanwhile is added once Redis is back, unless
 * the window ended first.
 */
import type { Redis } from 'ioredis';
import { LocalWindow, type Window } from '../local-window.js';

export const SYNC_INTERVAL_MS = 100;
/** A user counted here within this long is read back at every sync. */
const RECENT_MS = 1_000;
/** Users per script call: one call holds Redis for its length. */
const CHUNK = 500;

/**
 * KEYS: the users' counters; ARGV: the increment of each (0: only read it), then the window in ms.
 * Returns, per key, the total and the ms left of its window (negative: no such counter).
 */
const SYNC = `
local ms = ARGV[#ARGV]
local out = {}
for i, key in ipairs(KEYS) do
  local n, ttl
  if ARGV[i] == '0' then
    n = tonumber(redis.call('GET', key) or '0')
    ttl = redis.call('PTTL', key)
  else
    n = redis.call('INCRBY', key, ARGV[i])
    ttl = redis.call('PTTL', key)
    if ttl < 0 then
      redis.call('PEXPIRE', key, ms)
      ttl = tonumber(ms)
    end
  end
  out[#out + 1] = n
  out[#out + 1] = ttl
end
return out
`;

interface SharedCount extends Window {
  /** Counted here and not yet added in Redis. */
  unsent: number;
  /** When this node last counted one (ms). */
  lastAt: number;
}

interface Sent {
  key: string;
  w: SharedCount;
  added: number;
}

export class SharedWindow extends LocalWindow<SharedCount> {
  /** Users counted here since they were last left out of a sync. */
  private readonly touched = new Set<string>();
  private readonly timer: NodeJS.Timeout;
  private syncing: Promise<void> | null = null;
  /** Callers of synced() waiting for the next sync to start, and those waiting for the one running. */
  private waiting: (() => void)[] = [];
  private inFlight: (() => void)[] = [];
  private closed = false;

  constructor(
    points: number,
    durationMs: number,
    private readonly redis: Redis,
    /** Each user's counter is this followed by the user's name. */
    private readonly keyPrefix: string,
    intervalMs = SYNC_INTERVAL_MS,
  ) {
    super(points, durationMs);
    this.timer = setInterval(() => void this.sync(), intervalMs);
    this.timer.unref();
  }

  protected override open(now: number): SharedCount {
    return { used: 0, endsAt: now + this.durationMs, unsent: 0, lastAt: now };
  }

  protected override counted(key: string, w: SharedCount, now: number): void {
    w.unsent += 1;
    w.lastAt = now;
    this.touched.add(key);
  }

  /**
   * Resolves once a sync that started after this call has finished (or there was nothing to
   * sync): from then on this node's counts include what Redis held at the call. Not while Redis
   * is out of reach.
   */
  synced(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Adds what was counted here to Redis and reads the totals back; one sync at a time. */
  sync(): Promise<void> {
    if (this.syncing || this.closed || this.redis.status !== 'ready') return this.syncing ?? Promise.resolve();
    const batch = this.due(Date.now());
    this.inFlight = this.waiting;
    this.waiting = [];
    this.syncing = (batch.length > 0 ? this.send(batch) : Promise.resolve()).finally(() => {
      this.syncing = null;
      for (const resolve of this.inFlight.splice(0)) resolve();
    });
    return this.syncing;
  }

  /** Stops syncing (the server's close()); counting goes on locally. */
  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    for (const resolve of [...this.waiting.splice(0), ...this.inFlight.splice(0)]) resolve();
  }

  /** The users to sync now, their unsent counts taken. */
  private due(now: number): Sent[] {
    const batch: Sent[] = [];
    for (const key of this.touched) {
      const w = this.windows.get(key);
      if (!w || w.endsAt <= now || (w.unsent === 0 && w.lastAt < now - RECENT_MS)) {
        this.touched.delete(key);
        continue;
      }
      batch.push({ key, w, added: w.unsent });
      w.unsent = 0;
    }
    return batch;
  }

  private async send(batch: Sent[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (let i = 0; i < batch.length; i += CHUNK) {
      const part = batch.slice(i, i + CHUNK);
      pipeline.eval(SYNC, part.length, ...part.map((s) => this.keyPrefix + s.key), ...part.map((s) => s.added), this.durationMs);
    }
    let replies: [Error | null, unknown][] = [];
    try {
      replies = (await pipeline.exec()) ?? [];
    } catch {
      // Redis went away meanwhile: every count goes back to unsent below.
    }
    const now = Date.now();
    batch.forEach((s, i) => {
      // That window ended meanwhile: its counts are of no use any more.
      if (this.windows.get(s.key) !== s.w) return;
      const [err, reply] = replies[Math.floor(i / CHUNK)] ?? [new Error('no reply')];
      if (err || !Array.isArray(reply)) {
        s.w.unsent += s.added;
        return;
      }
      const at = (i % CHUNK) * 2;
      const total = Number(reply[at]);
      const left = Number(reply[at + 1]);
      if (left < 0) {
        // No counter in Redis: the cluster's window is over (or Redis lost it); what is new here starts the next.
        s.w.used = s.w.unsent;
      } else {
        s.w.used = total + s.w.unsent;
        s.w.endsAt = now + left;
      }
    });
  }
}
