/** Own messages sent but not yet acknowledged; resent with the same clientId after a reconnect. */

export type OutboxEntry =
  | { kind: 'direct'; clientId: string; to: string; text: string }
  | { kind: 'list'; clientId: string; to: string[]; text: string }
  | { kind: 'all'; clientId: string; text: string };

export class Outbox {
  private readonly entries = new Map<string, OutboxEntry>();
  private readonly inFlight = new Set<string>();

  add(entry: OutboxEntry): void {
    this.entries.set(entry.clientId, entry);
  }

  has(clientId: string): boolean {
    return this.entries.has(clientId);
  }

  /** Acknowledged (or refused): it leaves the outbox. */
  remove(clientId: string): void {
    this.entries.delete(clientId);
    this.inFlight.delete(clientId);
  }

  /** Marks an entry as on its way; returns false when it already is (so it is not sent twice at once). */
  begin(clientId: string): boolean {
    if (this.inFlight.has(clientId)) return false;
    this.inFlight.add(clientId);
    return true;
  }

  /** The attempt ended without an answer; the entry waits for the next reconnect. */
  end(clientId: string): void {
    this.inFlight.delete(clientId);
  }

  /** Entries waiting, oldest first. */
  waiting(): OutboxEntry[] {
    return [...this.entries.values()].filter((e) => !this.inFlight.has(e.clientId));
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.inFlight.clear();
  }
}
