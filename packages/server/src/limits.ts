/**
 * Abuse limits: message and request rates, logins and connections per address. Message and
 * request rates in one process are counted by LocalWindow below (synchronous: they are checked on
 * every message); logins by rate-limiter-flexible's memory limiter; in a cluster messages and
 * logins use rate-limiter-flexible's Redis limiters, so a user
 * or an address has one message and login budget across every node (keys {prefix}rl:{limit}:{key}). Should Redis
 * fail, each node falls back to a memory limiter of its own (the library's insurance limiter)
 * rather than refuse or wave through everything.
 * The per-session request budget and open connections per address stay per node: a session and
 * a socket live on one node.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface LimitOptions {
  /** Messages (private, broadcast, list broadcast) one user may send per window. */
  messagesPerWindow: number;
  /**
   * Typing notices one user may send per window (a client sends one per conversation every 3 s
   * at most, and a stop). Counted per node: they are never stored and cost one emit each.
   */
  typingPerWindow: number;
  /** Requests of any kind one session may make per window. */
  requestsPerWindow: number;
  windowSeconds: number;
  /** Password logins and registrations per address per minute. */
  loginsPerMinute: number;
  /**
   * Reconnects with a session token per address per minute: a budget of their own, so that the
   * clients behind one address coming back together after a server restart are not refused by
   * the password logins' budget (a token login costs a hash and one lookup, not a password hash).
   */
  reconnectsPerMinute: number;
  /**
   * Bytes of pages (history, catch-up, inbox, broadcasts) one user may be sent per window, all
   * sessions together: a steady rate (this over windowSeconds) with bursts of at most READ_BURST_BYTES.
   */
  readBytesPerWindow: number;
  /** Open TCP connections per address (an IPv6 /64 counts as one address), logged in or not. */
  connectionsPerAddress: number;
  /** Of those, connections that have not logged in yet. */
  pendingPerAddress: number;
  /** Seconds a connection has to finish its login; then it is closed. */
  loginDeadlineSeconds: number;
  /** IPv6 addresses count by their first this many bits (64: one /64 is one address). */
  ipv6Prefix: number;
}

/** The most page bytes a user is sent in one burst (four pages of REPLY_PAGE_MAX_BYTES), however long it waited. */
export const READ_BURST_BYTES = 1024 * 1024;

export const DEFAULT_LIMITS: LimitOptions = {
  messagesPerWindow: 100,
  typingPerWindow: 20,
  requestsPerWindow: 300,
  windowSeconds: 10,
  readBytesPerWindow: 8 * 1024 * 1024,
  loginsPerMinute: 60,
  reconnectsPerMinute: 600,
  connectionsPerAddress: 200,
  pendingPerAddress: 32,
  loginDeadlineSeconds: 10,
  ipv6Prefix: 64,
};

/** Seconds to wait, or 0 when the attempt may go ahead. */
async function take(limiter: RateLimiterAbstract, key: string): Promise<number> {
  try {
    await limiter.consume(key);
    return 0;
  } catch (res) {
    if (res instanceof RateLimiterRes) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    throw res;
  }
}

/**
 * A fixed window per key, answered synchronously: the per-message and per-request checks sit on
 * the hot path of every message, where rate-limiter-flexible's memory limiter costs two promises
 * per check. Same rule as RateLimiterMemory (at most `points` per `duration` seconds, the window
 * starting at a key's first use); used where no other node has to share the count.
 */
class LocalWindow {
  private readonly windows = new Map<string, { used: number; endsAt: number }>();
  private sweepAt = 0;

  constructor(
    private readonly points: number,
    private readonly durationMs: number,
  ) {}

  /** Seconds to wait, or 0 when the attempt may go ahead (and is counted). */
  take(key: string): number {
    const now = Date.now();
    if (now >= this.sweepAt) this.sweep(now);
    let w = this.windows.get(key);
    if (!w || w.endsAt <= now) {
      w = { used: 0, endsAt: now + this.durationMs };
      this.windows.set(key, w);
    }
    if (w.used >= this.points) return Math.max(1, Math.ceil((w.endsAt - now) / 1000));
    w.used += 1;
    return 0;
  }

  /** Forgets finished windows now and then, so idle keys do not pile up. */
  private sweep(now: number): void {
    this.sweepAt = now + Math.max(this.durationMs, 10_000);
    for (const [key, w] of this.windows) if (w.endsAt <= now) this.windows.delete(key);
  }
}

export interface SharedLimits {
  redis: Redis;
  prefix: string;
}

function limiter(points: number, duration: number, name: string, shared?: SharedLimits): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ points, duration });
  if (!shared) return memory;
  return new RateLimiterRedis({
    storeClient: shared.redis,
    keyPrefix: `${shared.prefix}rl:${name}`,
    points,
    duration,
    insuranceLimiter: memory,
    // Straight to the insurance limiter while Redis is down, not after ioredis's reconnect retries.
    rejectIfRedisNotReady: true,
  });
}

export class Limits {
  /** Shared through Redis in a cluster; local otherwise. */
  private readonly messages: RateLimiterAbstract | LocalWindow;
  private readonly requests: LocalWindow;
  private readonly typings: LocalWindow;
  private readonly logins: RateLimiterAbstract;
  private readonly reconnects: RateLimiterAbstract;
  /** Per user: page bytes it may still be sent now (a token bucket; below 0 after a page that crossed it). */
  private readonly reads = new Map<string, { tokens: number; at: number }>();
  private readsSweepAt = 0;
  private readonly connections = new Map<string, number>();

  constructor(
    readonly options: LimitOptions,
    shared?: SharedLimits,
  ) {
    this.messages = shared
      ? limiter(options.messagesPerWindow, options.windowSeconds, 'messages', shared)
      : new LocalWindow(options.messagesPerWindow, options.windowSeconds * 1000);
    // A session lives on one node, so its request budget needs no Redis round trip.
    this.requests = new LocalWindow(options.requestsPerWindow, options.windowSeconds * 1000);
    this.typings = new LocalWindow(options.typingPerWindow, options.windowSeconds * 1000);
    this.logins = limiter(options.loginsPerMinute, 60, 'logins', shared);
    this.reconnects = limiter(options.reconnectsPerMinute, 60, 'reconnects', shared);
  }

  /** Seconds to wait before `user` may send again, or 0; a number at once unless the count lives in Redis. */
  message(user: string): number | Promise<number> {
    return this.messages instanceof LocalWindow ? this.messages.take(user) : take(this.messages, user);
  }

  /** Seconds before `user` may say 'typing' again, or 0. */
  typing(user: string): number {
    return this.typings.take(user);
  }

  request(sessionId: string): number {
    return this.requests.take(sessionId);
  }

  private get readRate(): number {
    return this.options.readBytesPerWindow / this.options.windowSeconds;
  }

  private readBucket(user: string, now: number): { tokens: number; at: number } {
    const burst = Math.min(READ_BURST_BYTES, this.options.readBytesPerWindow);
    let b = this.reads.get(user);
    if (!b) {
      b = { tokens: burst, at: now };
      this.reads.set(user, b);
    }
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * this.readRate);
    b.at = now;
    return b;
  }

  /** Seconds before `user` may be sent another page, or 0. */
  readWait(user: string): number {
    const b = this.readBucket(user, Date.now());
    return b.tokens > 0 ? 0 : Math.max(1, Math.ceil(-b.tokens / this.readRate));
  }

  /** Counts the bytes of a page sent to `user`. */
  chargeRead(user: string, bytes: number): void {
    const now = Date.now();
    if (now >= this.readsSweepAt) {
      // Full buckets hold nothing worth keeping.
      this.readsSweepAt = now + 60_000;
      for (const [key, b] of this.reads) if (b.tokens + ((now - b.at) / 1000) * this.readRate >= READ_BURST_BYTES) this.reads.delete(key);
    }
    this.readBucket(user, now).tokens -= bytes;
  }

  /** A password login or a registration from `address`: seconds to wait, or 0. */
  login(address: string): Promise<number> {
    return take(this.logins, address);
  }

  /** A reconnect with a session token from `address`: seconds to wait, or 0. */
  reconnect(address: string): Promise<number> {
    return take(this.reconnects, address);
  }
}
