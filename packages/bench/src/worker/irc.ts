/**
 * The IRC load path (the InspIRCd anchor): `irc-connect`, `irc-throughput` and `irc-rate`, the
 * same load shapes as `throughput` and `rate` on IRC's PRIVMSG. IRC has no acknowledgements, so
 * a receipt is the PRIVMSG arriving at the recipient; the recipient is in this same process (as
 * with our server), and its receipt is what frees the sender's slot in the closed loop.
 */
import { IrcSocket } from '../irc-socket.js';
import type { RateArgs } from './rate.js';
import { paced, stampedText, stampOf } from './rate.js';
import { clock, inLanes, once, padText } from './state.js';
import type { ThroughputArgs } from './throughput.js';

const ircSockets = new Map<string, IrcSocket>();

export interface IrcConnectArgs {
  host: string;
  port: number;
  users: string[];
  concurrency: number;
  localAddresses?: string[];
}

export interface IrcConnectResult {
  connected: number;
  failed: number;
  firstError: string | null;
}

/** Registers every user (NICK/USER), `concurrency` at a time, and keeps the connections. */
export async function ircConnect(args: IrcConnectArgs): Promise<IrcConnectResult> {
  const t = await inLanes(args.users, args.concurrency, async (nick, i) => {
    const localAddress = args.localAddresses?.length ? args.localAddresses[i % args.localAddresses.length] : undefined;
    ircSockets.set(nick, await IrcSocket.connect({ host: args.host, port: args.port, nick, localAddress, timeoutMs: 60_000 }));
  });
  return { connected: t.done, failed: t.failed, firstError: t.firstError };
}

function ircOf(nick: string): IrcSocket {
  const s = ircSockets.get(nick);
  if (!s) throw new Error(`${nick} is not connected to the IRC server`);
  return s;
}

export interface IrcThroughputResult {
  sent: number;
  delivered: number;
  start: number;
  /** When the last receipt arrived. */
  end: number;
}

/**
 * Closed loop: every sender keeps `window` messages sent and not yet received by its recipient
 * until the time is up; then what is in flight drains (or `drainMs` passes).
 */
export function ircThroughput(args: ThroughputArgs): Promise<IrcThroughputResult> {
  const r: IrcThroughputResult = { sent: 0, delivered: 0, start: clock(), end: 0 };
  const text = padText('throughput', args.textBytes);
  const stopAt = r.start + args.durationMs;
  const limit = args.perSender ?? Infinity;
  return new Promise((resolve) => {
    const finish = once(() => {
      for (const [, to] of args.pairs) ircOf(to).handle(null);
      resolve(r);
    });
    let inFlight = 0;
    for (const [fromName, to] of args.pairs) {
      const from = ircOf(fromName);
      let sent = 0;
      const send = () => {
        sent++;
        inFlight++;
        r.sent++;
        from.privmsg(to, text);
      };
      ircOf(to).handle(() => {
        inFlight--;
        r.delivered++;
        r.end = clock();
        if (clock() < stopAt && sent < limit) send();
        else if (inFlight === 0) finish();
      });
      for (let k = 0; k < args.window && sent < limit; k++) send();
    }
    setTimeout(finish, args.durationMs + (args.drainMs ?? 30_000)).unref();
  });
}

export interface IrcRateResult {
  sent: number;
  delivered: number;
  /** Send -> recipient's receipt, ms, for messages after the warm-up. */
  latencies: Float64Array;
}

/** Open loop: each sender on the fixed schedule of `rate`; latency from the stamp in the text to the receipt. */
export function ircRate(args: RateArgs): Promise<IrcRateResult> {
  const latencies: number[] = [];
  const r = { sent: 0, delivered: 0 };
  const measureFrom = clock() + args.warmupMs;
  const pad = 'x'.repeat(Math.max(0, args.textBytes - 24));
  const senders = args.pairs.map(([from, to]) => ({ socket: ircOf(from), to }));
  return new Promise((resolve) => {
    let sending = true;
    const finish = once(() => {
      for (const [, to] of args.pairs) ircOf(to).handle(null);
      resolve({ ...r, latencies: Float64Array.from(latencies) });
    });
    for (const [, to] of args.pairs) {
      ircOf(to).handle((text) => {
        const now = clock();
        const stamp = stampOf(text);
        r.delivered++;
        if (stamp >= measureFrom) latencies.push(now - stamp);
        if (!sending && r.delivered >= r.sent) finish();
      });
    }
    const send = (i: number) => {
      const s = senders[i]!;
      r.sent++;
      s.socket.privmsg(s.to, stampedText(clock(), pad));
    };
    paced(senders.length, args.ratePerSender, args.durationMs, send, () => {
      sending = false;
      setTimeout(finish, args.drainMs ?? 10_000).unref();
      if (r.delivered >= r.sent) finish();
    });
  });
}

/** Closes every IRC connection of this worker (`close-all`). */
export async function closeIrc(): Promise<number> {
  const all = [...ircSockets.values()];
  ircSockets.clear();
  await Promise.all(all.map((s) => s.closeAndWait()));
  return all.length;
}
