/**
 * Failed-login lockout shared by every node, in Redis:
 *   {prefix}lockout:fails:{name}:{address}  wrong passwords in a row (expires after a day unused)
 *   {prefix}lockout:lock:{name}:{address}   present while locked; its TTL is the time left
 * A lock is a key with a TTL, so the Redis clock alone decides when it ends.
 */
import type { Redis } from 'ioredis';
import type { Lockout, LockoutOptions } from '../auth/lockout.js';
import { shared } from './redis.js';

const FAILS_TTL_MS = 24 * 3600 * 1000;

/** KEYS: fails, lock. ARGV: attempts, lock ms, fails ttl ms. The seconds of lock started, or 0. */
const FAIL = `
local n = redis.call('INCR', KEYS[1])
if n >= tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
  return 1
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 0`;

export class RedisLockout implements Lockout {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly options: LockoutOptions,
  ) {}

  private keys(name: string, address: string): [string, string] {
    const id = `${name}:${address}`;
    return [`${this.prefix}lockout:fails:${id}`, `${this.prefix}lockout:lock:${id}`];
  }

  async secondsLeft(name: string, address: string): Promise<number> {
    const ms = await shared(this.redis, () => this.redis.pttl(this.keys(name, address)[1]));
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  async fail(name: string, address: string): Promise<number> {
    const locked = await shared(this.redis, () =>
      this.redis.eval(FAIL, 2, ...this.keys(name, address), this.options.attempts, this.options.seconds * 1000, FAILS_TTL_MS),
    );
    return locked === 1 ? this.options.seconds : 0;
  }

  async succeed(name: string, address: string): Promise<void> {
    await shared(this.redis, () => this.redis.del(...this.keys(name, address)));
  }
}
