/** `rate`: an open loop, each sender on a fixed schedule whatever the acks do; latency send -> receipt. */
import { clientId, clock, once, refusalText, socketOf } from './state.js';

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

/** A message's text stamped with its send time: `t=<clock()>;<pad>`. */
export const stampedText = (stamp: number, pad: string): string => `t=${stamp.toFixed(3)};${pad}`;
/** The send time stamped at the start of a message's text. */
export const stampOf = (text: string): number => Number(text.slice(2, text.indexOf(';')));

/**
 * Calls `send(i)` each time sender i (of `count`) is due, `ratePerSender` times a second each,
 * their phases spread so the load is smooth, not a burst every tick; after `durationMs`, stops and
 * calls `stopped()`.
 */
export function paced(count: number, ratePerSender: number, durationMs: number, send: (i: number) => void, stopped: () => void): void {
  const t0 = clock();
  const sent = new Array<number>(count).fill(0);
  const offsets = Array.from({ length: count }, (_, i) => (i / count) * (1000 / ratePerSender));
  const tick = () => {
    const now = clock();
    const elapsed = Math.min(now, t0 + durationMs) - t0;
    for (let i = 0; i < count; i++) {
      const due = Math.floor(((elapsed + offsets[i]!) * ratePerSender) / 1000);
      while (sent[i]! < due) {
        sent[i]!++;
        send(i);
      }
    }
    if (now >= t0 + durationMs) {
      clearInterval(timer);
      stopped();
    }
  };
  const timer = setInterval(tick, 2);
}

/** Open loop: each sender sends on a fixed schedule whatever the acks do. */
export function rate(args: RateArgs): Promise<RateResult> {
  const latencies: number[] = [];
  const ackLatencies: number[] = [];
  const r = { sent: 0, acked: 0, delivered: 0, errors: 0, firstError: null as string | null };
  const measureFrom = clock() + args.warmupMs;
  const pad = 'x'.repeat(Math.max(0, args.textBytes - 24));
  const senders = args.pairs.map(([from, to]) => ({ socket: socketOf(from), to }));
  return new Promise((resolve) => {
    const finish = once(() => {
      for (const [, to] of args.pairs) socketOf(to).off('message:new');
      resolve({ ...r, latencies: Float64Array.from(latencies), ackLatencies: Float64Array.from(ackLatencies) });
    });
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
    const send = (i: number) => {
      const s = senders[i]!;
      r.sent++;
      const stamp = clock();
      s.socket.emitAck('message:send', { to: s.to, text: stampedText(stamp, pad), clientId: clientId() }, (rep) => {
        if (rep.ok) {
          r.acked++;
          if (stamp >= measureFrom) ackLatencies.push(clock() - stamp);
        } else {
          r.errors++;
          r.firstError ??= refusalText(rep.error);
        }
        maybeDone();
      });
    };
    paced(senders.length, args.ratePerSender, args.durationMs, send, () => {
      sending = false;
      setTimeout(finish, args.drainMs ?? 10_000).unref();
      maybeDone();
    });
  });
}
