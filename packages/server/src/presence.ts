/**
 * Who is online. One process keeps it in memory (MemoryPresence); a cluster keeps it in Redis
 * (RedisPresence in cluster/), so `whoelse`, online flags and `presence:changes` see every node.
 */
export interface Presence {
  /** Records a session; true when it is the user's first one anywhere (they just came online). */
  add(user: string, sessionId: string): Promise<boolean>;
  /** Forgets a session; true when it was the user's last one anywhere (they just went offline). */
  remove(user: string, sessionId: string): Promise<boolean>;
  /** At once when this process knows (every private message's reply says it). */
  isOnline(user: string): boolean | Promise<boolean>;
  /** Those of `users` that are online. */
  onlineAmong(users: readonly string[]): Promise<Set<string>>;
  /** Everyone online, sorted. */
  online(): Promise<string[]>;
  /** Users with a session in this process (their last-seen time is kept fresh by this process). */
  local(): string[];
  /** Starts background work (a cluster presence's heartbeat); called before the server listens. */
  start?(): Promise<void>;
  /** Stops background work and forgets this process's sessions. */
  close(): Promise<void>;
}

/** The sessions of each user in this process (also the local mirror a cluster presence keeps). */
export class SessionTable {
  private readonly sessions = new Map<string, Set<string>>();

  /** True when this is the user's first session here. */
  add(user: string, sessionId: string): boolean {
    let set = this.sessions.get(user);
    const first = !set;
    if (!set) {
      set = new Set();
      this.sessions.set(user, set);
    }
    set.add(sessionId);
    return first;
  }

  /** True when that was the user's last session here. */
  remove(user: string, sessionId: string): boolean {
    const set = this.sessions.get(user);
    if (!set?.delete(sessionId)) return false;
    if (set.size > 0) return false;
    this.sessions.delete(user);
    return true;
  }

  contains(user: string, sessionId: string): boolean {
    return this.sessions.get(user)?.has(sessionId) ?? false;
  }

  has(user: string): boolean {
    return this.sessions.has(user);
  }

  users(): string[] {
    return [...this.sessions.keys()].sort();
  }

  /** user -> number of sessions here. */
  counts(): Map<string, number> {
    return new Map([...this.sessions].map(([u, s]) => [u, s.size]));
  }
}

/** Presence for a single process. */
export class MemoryPresence implements Presence {
  private readonly table = new SessionTable();

  async add(user: string, sessionId: string): Promise<boolean> {
    return this.table.add(user, sessionId);
  }

  async remove(user: string, sessionId: string): Promise<boolean> {
    return this.table.remove(user, sessionId);
  }

  isOnline(user: string): boolean {
    return this.table.has(user);
  }

  async onlineAmong(users: readonly string[]): Promise<Set<string>> {
    return new Set(users.filter((u) => this.table.has(u)));
  }

  async online(): Promise<string[]> {
    return this.table.users();
  }

  local(): string[] {
    return this.table.users();
  }

  async close(): Promise<void> {}
}
