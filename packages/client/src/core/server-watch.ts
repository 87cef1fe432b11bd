/**
 * The login screen's server check: asks the server's info endpoint (server-check.ts) while the
 * login screen shows, again after 1, 2, 4, then every 5 s while nothing answers, so the screen
 * says at once when nothing does (and whether it takes sign-ups when it does).
 */
import { probeServer } from './server-check.js';
import type { StateStore } from './state-store.js';

export class ServerWatch {
  private readonly abort = new AbortController();
  /** An info request is on its way. */
  private checking = false;
  private closed = false;

  constructor(
    private readonly store: StateStore,
    private readonly url: () => string,
    private readonly ca: string | Buffer | undefined,
  ) {}

  async check(attempt = 0): Promise<void> {
    if (this.closed || this.checking) return;
    this.checking = true;
    if (!this.store.get().serverCheck) this.store.update((s) => ({ ...s, serverCheck: { state: 'checking' } }));
    const probe = await probeServer(this.url(), { ca: this.ca, signal: this.abort.signal });
    this.checking = false;
    if (this.closed) return;
    if (probe.ok) {
      const open = probe.registrationOpen;
      this.store.update((s) => ({ ...s, registrationOpen: open, serverCheck: { state: 'answers' } }));
      return;
    }
    const delay = Math.min(5000, 1000 * 2 ** attempt);
    this.store.update((s) => ({ ...s, serverCheck: { state: 'silent', problem: probe.problem, retryAt: Date.now() + delay } }));
    const timer = setTimeout(() => {
      if (this.store.get().screen === 'login') void this.check(attempt + 1);
    }, delay);
    timer.unref();
  }

  close(): void {
    this.closed = true;
    this.abort.abort();
  }
}
