/**
 * Abuse limits: message and request rates, logins and connections per address. Backed by
 * rate-limiter-flexible, whose memory limiters can later be swapped for its Redis ones in a cluster.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

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
async function take(limiter: RateLimiterMemory, key: string): Promise<number> {
  try {
    await limiter.consume(key);
    return 0;
  } catch (res) {
    if (res instanceof RateLimiterRes) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    throw res;
  }
}

export class Limits {
  private readonly messages: RateLimiterMemory;
  private readonly requests: RateLimiterMemory;
  private readonly logins: RateLimiterMemory;
  private readonly connections = new Map<string, number>();

  constructor(readonly options: LimitOptions) {
    this.messages = new RateLimiterMemory({ points: options.messagesPerWindow, duration: options.windowSeconds });
    this.requests = new RateLimiterMemory({ points: options.requestsPerWindow, duration: options.windowSeconds });
    this.logins = new RateLimiterMemory({ points: options.loginsPerMinute, duration: 60 });
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
