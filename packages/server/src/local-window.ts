/**
 * A fixed window per key, answered synchronously: the per-message and per-request checks sit on
 * the hot path of every message, where rate-limiter-flexible's memory limiter costs two promises
 * per check. Same rule as RateLimiterMemory (at most `points` per `duration` seconds, the window
 * starting at a key's first use). In a cluster the message budget is a SharedWindow
 * (cluster/shared-window.ts), which counts here the same way and tells Redis now and then.
 */
export interface Window {
  used: number;
  endsAt: number;
}

export class LocalWindow<W extends Window = Window> {
  protected readonly windows = new Map<string, W>();
  private sweepAt = 0;

  constructor(
    protected readonly points: number,
    protected readonly durationMs: number,
  ) {}

  /** Seconds to wait, or 0 when the attempt may go ahead (and is counted). */
  take(key: string): number {
    const now = Date.now();
    if (now >= this.sweepAt) this.sweep(now);
    let w = this.windows.get(key);
    if (!w || w.endsAt <= now) {
      w = this.open(now);
      this.windows.set(key, w);
    }
    if (w.used >= this.points) return Math.max(1, Math.ceil((w.endsAt - now) / 1000));
    w.used += 1;
    this.counted(key, w, now);
    return 0;
  }

  /** A new window starting now. */
  protected open(now: number): W {
    return { used: 0, endsAt: now + this.durationMs } as W;
  }

  /** Told of each attempt counted (after `used` went up). */
  protected counted(_key: string, _w: W, _now: number): void {}

  /** Forgets finished windows now and then, so idle keys do not pile up. */
  private sweep(now: number): void {
    this.sweepAt = now + Math.max(this.durationMs, 10_000);
    for (const [key, w] of this.windows) if (w.endsAt <= now) this.windows.delete(key);
  }
}
