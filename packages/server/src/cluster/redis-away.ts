/**
 * Away texts across a cluster: one Redis hash, `{prefix}away` (user -> text), so a user's away is
 * the same on every node. It holds online users only (away ends when they go offline, also when
 * their node dies: the node that reaps it clears theirs), so it stays as small as presence.
 */
import type { Redis } from 'ioredis';
import type { AwayBook } from '../away.js';
import { shared } from './redis.js';

export class RedisAway implements AwayBook {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}away`;
  }

  async set(user: string, text: string): Promise<void> {
    await shared(this.redis, () => this.redis.hset(this.key, user, text));
  }

  async clear(users: readonly string[]): Promise<void> {
    if (users.length === 0) return;
    await shared(this.redis, () => this.redis.hdel(this.key, ...users));
  }

  async among(users: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (users.length === 0) return out;
    const texts = await shared(this.redis, () => this.redis.hmget(this.key, ...users));
    users.forEach((user, i) => {
      const text = texts[i];
      if (text !== null && text !== undefined) out.set(user, text);
    });
    return out;
  }
}
