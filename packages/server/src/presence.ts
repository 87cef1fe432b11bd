/** Who is online in this process: the sessions of each user. */
export class Presence {
  private readonly sessions = new Map<string, Set<string>>();

  /** Returns true when this is the user's first session (they just came online). */
  add(user: string, socketId: string): boolean {
    let set = this.sessions.get(user);
    const first = !set;
    if (!set) {
      set = new Set();
      this.sessions.set(user, set);
    }
    set.add(socketId);
    return first;
  }

  /** Returns true when that was the user's last session (they just went offline). */
  remove(user: string, socketId: string): boolean {
    const set = this.sessions.get(user);
    if (!set) return false;
    set.delete(socketId);
    if (set.size === 0) {
      this.sessions.delete(user);
      return true;
    }
    return false;
  }

  isOnline(user: string): boolean {
    return this.sessions.has(user);
  }

  online(): string[] {
    return [...this.sessions.keys()].sort();
  }

  sessionCount(user: string): number {
    return this.sessions.get(user)?.size ?? 0;
  }
}
