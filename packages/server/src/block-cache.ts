/**
 * Who blocks whom, kept in memory per user: every private message asks whether its recipient
 * blocks the sender, and a store lookup cost ~10 us a message on SQLite (the writer thread's
 * commits invalidate the main connection's page cache) and a round trip on PostgreSQL.
 *
 * A user's list is dropped whenever it changes here, and in a cluster every node is told over the
 * socket.io adapter (`blocks:changed`), so a block holds on every node within a message's
 * journey through Redis. Lists also expire after `ttlMs`, in case such a notice were lost.
 */
import type { Store } from './store/types.js';

interface Entry {
  blocked: Set<string>;
  until: number;
}

export class BlockCache {
  private readonly lists = new Map<string, Entry>();
  /** Bumped on every change, so a list read before a change is not cached after it. */
  private generation = 0;
  private tellOthers: (user: string) => void = () => undefined;

  constructor(
    private readonly store: Store,
    private readonly ttlMs = 30_000,
    private readonly max = 100_000,
  ) {}

  /** How other nodes hear of a change (cluster mode). */
  announceWith(tell: (user: string) => void): void {
    this.tellOthers = tell;
  }

  /** True when `user` blocks `sender`; at once when `user`'s list is cached (every private message asks). */
  blocks(user: string, sender: string): boolean | Promise<boolean> {
    const now = Date.now();
    const cached = this.lists.get(user);
    if (cached && cached.until > now) return cached.blocked.has(sender);
    return this.lookUp(user, sender, now);
  }

  private async lookUp(user: string, sender: string, now: number): Promise<boolean> {
    const generation = this.generation;
    const blocked = new Set(await this.store.blockedBy(user));
    if (generation === this.generation) {
      if (this.lists.size >= this.max) this.lists.clear();
      this.lists.set(user, { blocked, until: now + this.ttlMs });
    }
    return blocked.has(sender);
  }

  /** `user`'s list changed on this node: forget it here and on the others. */
  changed(user: string): void {
    this.forget(user);
    this.tellOthers(user);
  }

  /** Another node changed `user`'s list. */
  forget(user: string): void {
    this.generation += 1;
    this.lists.delete(user);
  }
}
