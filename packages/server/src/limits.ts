/**
 * Abuse limits: message and request rates, logins and connections per address. Backed by
 * rate-limiter-flexible: memory limiters in one process; in a cluster its Redis limiters, so a user
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
  /** Requests of any kind one session may make per window. */
  requestsPerWindow: number;
  windowSeconds: number;
  /** Login, registration and reconnect attempts per address per minute. */
  loginsPerMinute: number;
  /** Open connections per address. */
  connectionsPerAddress: number;
}

export const DEFAULT_LIMITS: LimitOptions = {
  messagesPerWindow: 100,
  requestsPerWindow: 300,
  windowSeconds: 10,
  loginsPerMinute: 60,
  connectionsPerAddress: 200,
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
  });
}

export class Limits {
  private readonly messages: RateLimiterAbstract;
  private readonly requests: RateLimiterAbstract;
  private readonly logins: RateLimiterAbstract;
  private readonly connections = new Map<string, number>();

  constructor(
    readonly options: LimitOptions,
    shared?: SharedLimits,
  ) {
    this.messages = limiter(options.messagesPerWindow, options.windowSeconds, 'messages', shared);
    // A session lives on one node, so its request budget needs no Redis round trip.
    this.requests = limiter(options.requestsPerWindow, options.windowSeconds, 'requests');
    this.logins = limiter(options.loginsPerMinute, 60, 'logins', shared);
  }

  message(user: string): Promise<number> {
    return take(this.messages, user);
  }

  request(sessionId: string): Promise<number> {
    return take(this.requests, sessionId);
  }

  login(address: string): Promise<number> {
    return take(this.logins, address);
  }

  /** Counts a new connection; false when the address already has its maximum open. */
  openConnection(address: string): boolean {
    const n = this.connections.get(address) ?? 0;
    if (n >= this.options.connectionsPerAddress) return false;
    this.connections.set(address, n + 1);
    return true;
  }

  closeConnection(address: string): void {
    const n = (this.connections.get(address) ?? 1) - 1;
    if (n <= 0) this.connections.delete(address);
    else this.connections.set(address, n);
  }
}
