/**
 * Failed-login lockout shared by every node, in Redis:
 *   {prefix}lockout:fails:{name}:{address}   wrong passwords in a row (expires after a day unused)
 *   {prefix}lockout:lock:{name}:{address}    present while locked; its TTL is the time left
 *   {prefix}lockout:flight:{name}:{address}  attempts being checked now, on any node (see lockout.ts)
 * A lock is a key with a TTL, so the Redis clock alone decides when it ends. The in-flight count
 * expires FLIGHT_TTL_MS after its last reservation, so a node killed mid-check cannot hold it.
 */
import type { Redis } from 'ioredis';
import { IN_FLIGHT_RETRY_S, type Lockout, type LockoutOptions, type Outcome, type Reservation } from '../auth/lockout.js';
import { shared } from './redis.js';

const FAILS_TTL_MS = 24 * 3600 * 1000;
const FLIGHT_TTL_MS = 60_000;

/**
 * KEYS: fails, lock, flight. ARGV: attempts, flight ttl ms.
 * Returns the lock's ms left (> 0: locked), -1 when enough attempts are in flight, 0 when reserved.
 */
const RESERVE = `
local left = redis.call('PTTL', KEYS[2])
if left > 0 then return left end
local fails = tonumber(redis.call('GET', KEYS[1]) or '0')
local flight = tonumber(redis.call('GET', KEYS[3]) or '0')
if fails + flight >= tonumber(ARGV[1]) then return -1 end
redis.call('INCR', KEYS[3])
redis.call('PEXPIRE', KEYS[3], ARGV[2])
return 0`;

/**
 * KEYS: fails, lock, flight. ARGV: outcome (failed|succeeded|abandoned), attempts, lock ms, fails ttl ms.
 * Returns 1 when a failure started a lock, else 0.
 */
const SETTLE = `
if tonumber(redis.call('GET', KEYS[3]) or '0') > 0 then redis.call('DECR', KEYS[3]) end
if ARGV[1] == 'succeeded' then
  redis.call('DEL', KEYS[1])
  return 0
end
if ARGV[1] ~= 'failed' then return 0 end
local n = redis.call('INCR', KEYS[1])
if n >= tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return 1
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 0`;

export class RedisLockout implements Lockout {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly options: LockoutOptions,
  ) {}

  private keys(name: string, address: string): [string, string, string] {
    const id = `${name}:${address}`;
    return [`${this.prefix}lockout:fails:${id}`, `${this.prefix}lockout:lock:${id}`, `${this.prefix}lockout:flight:${id}`];
  }

  async secondsLeft(name: string, address: string): Promise<number> {
    const ms = await shared(this.redis, () => this.redis.pttl(this.keys(name, address)[1]));
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  async reserve(name: string, address: string): Promise<Reservation> {
    const result = Number(
      await shared(this.redis, () => this.redis.eval(RESERVE, 3, ...this.keys(name, address), this.options.attempts, FLIGHT_TTL_MS)),
    );
    if (result > 0) return { ok: false, seconds: Math.ceil(result / 1000), inFlight: false };
    if (result < 0) return { ok: false, seconds: IN_FLIGHT_RETRY_S, inFlight: true };
    return { ok: true };
  }

  async settle(name: string, address: string, outcome: Outcome): Promise<number> {
    const locked = await shared(this.redis, () =>
      this.redis.eval(SETTLE, 3, ...this.keys(name, address), outcome, this.options.attempts, this.options.seconds * 1000, FAILS_TTL_MS),
    );
    return locked === 1 ? this.options.seconds : 0;
  }
}
