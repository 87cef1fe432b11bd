/**
 * Who is away, and what they said: per user, shared by all their sessions. One process keeps it in
 * memory (MemoryAway); a cluster keeps it in Redis (RedisAway in cluster/), like presence, so every
 * node answers the same. Away ends when the user goes offline (see session.ts): offline says more
 * than an away text, and a note left for lunch must not greet people the next morning.
 */
export interface AwayBook {
  /** Marks `user` away with `text` ('' for none). */
  set(user: string, text: string): Promise<void>;
  /** Back: forgets `user`'s away. */
  clear(users: readonly string[]): Promise<void>;
  /** Those of `users` who are away, with their text. */
  among(users: readonly string[]): Promise<Map<string, string>>;
}

export class MemoryAway implements AwayBook {
  private readonly texts = new Map<string, string>();

  async set(user: string, text: string): Promise<void> {
    this.texts.set(user, text);
  }

  async clear(users: readonly string[]): Promise<void> {
    for (const user of users) this.texts.delete(user);
  }

  async among(users: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const user of users) {
      const text = this.texts.get(user);
      if (text !== undefined) out.set(user, text);
    }
    return out;
  }
}
