/**
 * Presence changes go out in batches: everything that changed within one short window reaches
 * every client as one packet. Sending one packet per login to every online user costs n² writes
 * as n users log in; batched, a login storm costs one broadcast per window.
 */
import type { PresenceChange } from '@tui-chat/protocol';
import type { ChatIo } from './context.js';

export const PRESENCE_WINDOW_MS = 100;

export class PresenceFeed {
  private readonly changes = new Map<string, PresenceChange>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly io: ChatIo,
    private readonly windowMs = PRESENCE_WINDOW_MS,
  ) {}

  /**
   * Queues a change; the last one for a user within the window wins. `away`: the user's away text
   * ('' without one), or null: not away (coming online or going offline, away starts null).
   */
  push(user: string, online: boolean, away: string | null = null): void {
    this.changes.delete(user); // keep the order of the latest changes
    this.changes.set(user, { user, online, away });
    this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.changes.size === 0) return;
    const changes = [...this.changes.values()];
    this.changes.clear();
    this.io.emit('presence:changes', { changes });
  }
}
