/** `throughput`: a closed loop, every sender keeping `window` messages unacknowledged. */
import type { LiteSocket } from '../lite-socket.js';
import { clientId, clock, once, padText, refusalText, socketOf } from './state.js';

export interface ThroughputArgs {
  pairs: [string, string][];
  window: number;
  durationMs: number;
  textBytes: number;
  /** Stop each sender after this many messages (a fixed count instead of a time). */
  perSender?: number;
  /** Give up waiting for stragglers after this long. */
  drainMs?: number;
}

export interface ThroughputResult {
  sent: number;
  acked: number;
  delivered: number;
  errors: number;
  firstError: string | null;
  start: number;
  /** When the last ack or delivery arrived. */
  end: number;
}

/** Every sender keeps `window` messages in flight until the time is up; then everything drains. */
export function throughput(args: ThroughputArgs): Promise<ThroughputResult> {
  const r: ThroughputResult = { sent: 0, acked: 0, delivered: 0, errors: 0, firstError: null, start: clock(), end: 0 };
  const text = padText('throughput', args.textBytes);
  const stopAt = r.start + args.durationMs;
  let inFlight = 0;
  return new Promise((resolve) => {
    const finish = once(() => {
      for (const [, to] of args.pairs) socketOf(to).off('message:new');
      resolve(r);
    });
    const check = () => {
      if (inFlight === 0 && r.delivered >= r.acked) {
        r.end = clock();
        finish();
      }
    };
    for (const [, to] of args.pairs) {
      socketOf(to).count('message:new', () => {
        r.delivered++;
        r.end = clock();
        if (inFlight === 0) check();
      });
    }
    const limit = args.perSender ?? Infinity;
    const sendFrom = (from: LiteSocket, to: string, count: { n: number }) => {
      if (count.n >= limit) return;
      count.n++;
      inFlight++;
      r.sent++;
      from.emitAck('message:send', { to, text, clientId: clientId() }, (rep) => {
        inFlight--;
        if (rep.ok) r.acked++;
        else {
          r.errors++;
          r.firstError ??= refusalText(rep.error);
        }
        r.end = clock();
        if (clock() < stopAt && from.open && count.n < limit) sendFrom(from, to, count);
        else if (inFlight === 0) check();
      });
    };
    for (const [fromName, to] of args.pairs) {
      const from = socketOf(fromName);
      const count = { n: 0 };
      for (let k = 0; k < args.window; k++) sendFrom(from, to, count);
    }
    setTimeout(finish, args.durationMs + (args.drainMs ?? 30_000)).unref();
  });
}
