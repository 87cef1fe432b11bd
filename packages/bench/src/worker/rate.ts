/** `rate`: an open loop, each sender on a fixed schedule whatever the acks do; latency send -> receipt. */
import { clientId, clock, refusalText, socketOf } from './state.js';

export interface RateArgs {
  pairs: [string, string][];
  /** Messages per second per sender. */
  ratePerSender: number;
  durationMs: number;
  /** Receipts of messages sent in the first `warmupMs` are not recorded. */
  warmupMs: number;
  textBytes: number;
  drainMs?: number;
}

export interface RateResult {
  sent: number;
  acked: number;
  delivered: number;
  errors: number;
  firstError: string | null;
  /** Send -> recipient's receipt, ms, for messages after the warm-up. */
  latencies: Float64Array;
  /** Send -> sender's ack, ms. */
  ackLatencies: Float64Array;
}

/** The send time stamped at the start of a message's text (`t=<clock()>;...`). */
export const stampOf = (text: string): number => Number(text.slice(2, text.indexOf(';')));

/** Open loop: each sender sends on a fixed schedule whatever the acks do. */
export function rate(args: RateArgs): Promise<RateResult> {
  const latencies: number[] = [];
  const ackLatencies: number[] = [];
  const r = { sent: 0, acked: 0, delivered: 0, errors: 0, firstError: null as string | null };
  const t0 = clock();
  const measureFrom = t0 + args.warmupMs;
  const pad = 'x'.repeat(Math.max(0, args.textBytes - 24));
  const senders = args.pairs.map(([from, to], i) => ({
    socket: socketOf(from),
    to,
    sent: 0,
    // Spread the senders' phases so the load is smooth, not a burst every tick.
    offset: (i / args.pairs.length) * (1000 / args.ratePerSender),
  }));
  return new Promise((resolve) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      for (const [, to] of args.pairs) socketOf(to).off('message:new');
      resolve({ ...r, latencies: Float64Array.from(latencies), ackLatencies: Float64Array.from(ackLatencies) });
    };
    let sending = true;
    const maybeDone = () => {
      if (!sending && r.delivered >= r.sent - r.errors && r.acked + r.errors >= r.sent) finish();
    };
    for (const [, to] of args.pairs) {
      socketOf(to).on('message:new', (message) => {
        const now = clock();
        const stamp = stampOf(message.text);
        r.delivered++;
        if (stamp >= measureFrom) latencies.push(now - stamp);
        maybeDone();
      });
    }
    const tick = () => {
      const now = clock();
      const elapsed = Math.min(now, t0 + args.durationMs) - t0;
      for (const s of senders) {
        const due = Math.floor(((elapsed + s.offset) * args.ratePerSender) / 1000);
        while (s.sent < due) {
          s.sent++;
          r.sent++;
          const stamp = clock();
          s.socket.emitAck('message:send', { to: s.to, text: `t=${stamp.toFixed(3)};${pad}`, clientId: clientId() }, (rep) => {
            if (rep.ok) {
              r.acked++;
              if (stamp >= measureFrom) ackLatencies.push(clock() - stamp);
            } else {
              r.errors++;
              r.firstError ??= refusalText(rep.error);
            }
            maybeDone();
          });
        }
      }
      if (now >= t0 + args.durationMs) {
        sending = false;
        clearInterval(timer);
        setTimeout(finish, args.drainMs ?? 10_000).unref();
        maybeDone();
      }
    };
    const timer = setInterval(tick, 2);
  });
}
