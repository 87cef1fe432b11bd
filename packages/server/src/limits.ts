/**
 * Abuse limits: message and request rates, logins and connections per address. Message and
 * request rates are counted by LocalWindow (local-window.ts: synchronous, they are checked on
 * every message); in a cluster the message budget is a SharedWindow (cluster/shared-window.ts),
 * counted the same way on each node and added up in Redis every 100 ms, so a user has one message
 * budget across every node (keys {prefix}rl:messages:{user}) without a Redis round trip per
 * message. Logins are counted by rate-limiter-flexible's memory limiter, or in a cluster its Redis
 * limiter (keys {prefix}rl:{limit}:{address}). Should Redis fail, each node counts alone (the
 * shared window's own count, the login limiter's insurance limiter) rather than refuse or wave
 * through everything.
 * The per-session request budget and open connections per address stay per node: a session and
 * a socket live on one node.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { LocalWindow } from './local-window.js';
import { SharedWindow } from './cluster/shared-window.js';

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
  readonly messages: LocalWindow | SharedWindow;
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
      ? new SharedWindow(options.messagesPerWindow, options.windowSeconds * 1000, shared.redis, `${shared.prefix}rl:messages:`)
      : new LocalWindow(options.messagesPerWindow, options.windowSeconds * 1000);
    // A session lives on one node, so its request budget needs no Redis round trip.
    this.requests = new LocalWindow(options.requestsPerWindow, options.windowSeconds * 1000);
    this.typings = new LocalWindow(options.typingPerWindow, options.windowSeconds * 1000);
    this.logins = limiter(options.loginsPerMinute, 60, 'logins', shared);
    this.reconnects = limiter(options.reconnectsPerMinute, 60, 'reconnects', shared);
  }

  /** Seconds to wait before `user` may send again, or 0 (and the message is counted). */
  message(user: string): number {
    return this.messages.take(user);
  }

  /** Stops the message budget's syncing with Redis (the server's close()). */
  close(): void {
    if (this.messages instanceof SharedWindow) this.messages.close();
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
