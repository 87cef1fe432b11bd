/**
 * Which names have accounts, remembered for a short while: a private message checks its
 * recipient, and asking the store every time cost ~7 us a message on SQLite (a round trip on
 * PostgreSQL). Only "exists" is remembered, never a password hash, and only for `ttlMs`, so an
 * account removed with `tui-chat user remove` while the server runs stops receiving within that
 * time (until then its messages are stored and wait, as for any offline user).
 */
import type { Store } from './store/types.js';

export class KnownUsers {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly ttlMs = 10_000,
    private readonly max = 100_000,
  ) {}

  /** At once when the name is remembered (every message checks its recipient: no promise for it then). */
  exists(name: string): boolean | Promise<boolean> {
    const now = Date.now();
    const until = this.until.get(name);
    if (until !== undefined && until > now) return true;
    return this.lookUp(name, now);
  }

  private async lookUp(name: string, now: number): Promise<boolean> {
    const found = (await this.store.getUser(name)) !== null;
    if (found) this.remember(name, now);
    else this.until.delete(name);
    return found;
  }

  /** A name that has just been registered or has logged in. */
  remember(name: string, now = Date.now()): void {
    // A crude bound on memory: forgetting everything only costs a few store lookups.
    if (this.until.size >= this.max) this.until.clear();
    this.until.set(name, now + this.ttlMs);
  }
}
