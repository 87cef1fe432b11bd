/**
 * Idle means the person is away. The server logs out a session after its idle timeout counted from
 * the last message sent or 'session:active' (never from what the client asks by itself). The
 * client says 'session:active' when a key is pressed, at most once a minute (or a quarter of a
 * short timeout), and warns a minute before the logout (half the timeout when that is shorter):
 * any key then keeps the session.
 */
import { quietly } from './ask.js';
import type { ClientContext } from './context.js';

const WARN_LEAD_MS = 60_000;
const SAY_EVERY_MS = 60_000;

export class IdleWatch {
  private timeoutMs = 0;
  /** When the server last heard of the person (its idle timeout counts from here). */
  private lastSaid = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly ctx: ClientContext) {}

  /** A session started (or came back after a reconnect): the server's count starts now. */
  start(idleTimeoutSeconds: number): void {
    this.timeoutMs = idleTimeoutSeconds * 1000;
    this.lastSaid = this.ctx.now();
    this.arm();
  }

  /** A key was pressed, or a line typed. */
  active(): void {
    if (this.timeoutMs === 0 || !this.ctx.connected()) return;
    const warned = this.ctx.store.get().idleLogoutAt != null;
    const now = this.ctx.now();
    if (!warned && now - this.lastSaid < Math.min(SAY_EVERY_MS, this.timeoutMs / 4)) return;
    this.lastSaid = now;
    void quietly(this.ctx, 'session:active', {});
    if (warned) {
      this.ctx.respond('info', 'Still here: you stay logged in.');
      this.ctx.update((s) => ({ ...s, idleLogoutAt: null }));
    }
    this.arm();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timeoutMs = 0;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    const lead = Math.min(WARN_LEAD_MS, this.timeoutMs / 2);
    const warnAt = this.lastSaid + this.timeoutMs - lead;
    this.timer = setTimeout(() => this.warn(), Math.max(0, warnAt - this.ctx.now()));
    this.timer.unref?.();
  }

  private warn(): void {
    this.timer = null;
    if (!this.ctx.connected()) return;
    const logoutAt = this.lastSaid + this.timeoutMs;
    const seconds = Math.max(1, Math.round((logoutAt - this.ctx.now()) / 1000));
    this.ctx.respond('notice', `No key pressed for a while: you will be logged out in ${seconds} s. Press any key to stay.`);
    this.ctx.update((s) => ({ ...s, idleLogoutAt: logoutAt }));
  }
}
