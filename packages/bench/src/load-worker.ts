/**
 * A load generator process: holds many simulated users (LiteSocket each) and runs what the
 * harness asks over IPC. Senders and their recipients live in the same worker, so send and
 * receipt are stamped by one clock.
 */
import { performance } from 'node:perf_hooks';
import { ConnectError, LiteSocket } from './lite-socket.js';
import { emitToParent, serve } from './procs.js';

/** Milliseconds on a clock shared by every process on this machine. */
export const clock = (): number => performance.timeOrigin + performance.now();

const sockets = new Map<string, LiteSocket>();
let clientSeq = 0;
const worker = process.argv[2] ?? '0';
const clientId = (): string => `b${worker}x${(++clientSeq).toString(36).padStart(7, '0')}`;

function padText(prefix: string, bytes: number): string {
  return prefix.length >= bytes ? prefix : prefix + ' ' + 'x'.repeat(bytes - prefix.length - 1);
}

export interface ConnectArgs {
  url: string;
  users: string[];
  password: string;
  register?: boolean;
  concurrency: number;
  localAddresses?: string[];
  /** Start no new login after this time (clock()); the rest are counted as not attempted. */
  deadline?: number;
}

export interface ConnectResult {
  connected: number;
  failed: number;
  /** Users not tried because the deadline passed. */
  skipped: number;
  firstError: string | null;
  start: number;
  end: number;
}

function describe(err: unknown): string {
  if (err instanceof ConnectError && err.data) return `${err.message} ${JSON.stringify(err.data)}`;
  return err instanceof Error ? err.message : String(err);
}

async function connectAll(args: ConnectArgs): Promise<ConnectResult> {
  const start = clock();
  let next = 0;
  let connected = 0;
  let failed = 0;
  let firstError: string | null = null;
  const lane = async () => {
    while (next < args.users.length) {
      if (args.deadline !== undefined && clock() > args.deadline) return;
      const i = next++;
      const user = args.users[i]!;
      const localAddress = args.localAddresses?.length ? args.localAddresses[i % args.localAddresses.length] : undefined;
      try {
        const s = await LiteSocket.connect({
          url: args.url,
          auth: { user, password: args.password, ...(args.register ? { register: true } : {}) },
          localAddress,
          readyEvent: 'session:ready',
          timeoutMs: 120_000,
        });
        sockets.set(user, s);
        connected++;
      } catch (err) {
        failed++;
        firstError ??= describe(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, args.concurrency) }, lane));
  return { connected, failed, skipped: args.users.length - next, firstError, start, end: clock() };
}

function socketOf(user: string): LiteSocket {
  const s = sockets.get(user);
  if (!s) throw new Error(`worker ${worker}: ${user} is not connected`);
  return s;
}

interface Reply {
  ok?: boolean;
  error?: { code?: string; message?: string };
}

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
function throughput(args: ThroughputArgs): Promise<ThroughputResult> {
  const r: ThroughputResult = { sent: 0, acked: 0, delivered: 0, errors: 0, firstError: null, start: clock(), end: 0 };
  const text = padText('throughput', args.textBytes);
  const stopAt = r.start + args.durationMs;
  let inFlight = 0;
  return new Promise((resolve) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      for (const [, to] of args.pairs) socketOf(to).off('message:new');
      resolve(r);
    };
    const check = () => {
      if (inFlight === 0 && r.delivered >= r.acked) {
        r.end = clock();
        finish();
      }
    };
    for (const [, to] of args.pairs) {
      socketOf(to).on(
        'message:new',
        () => {
          r.delivered++;
          r.end = clock();
          if (inFlight === 0) check();
        },
        false,
      );
    }
    const limit = args.perSender ?? Infinity;
    const sendFrom = (from: LiteSocket, to: string, count: { n: number }) => {
      if (count.n >= limit) return;
      count.n++;
      inFlight++;
      r.sent++;
      from.emitAck('message:send', { to, text, clientId: clientId() }, (reply) => {
        inFlight--;
        const rep = reply as Reply;
        if (rep.ok) r.acked++;
        else {
          r.errors++;
          r.firstError ??= `${rep.error?.code}: ${rep.error?.message}`;
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

/** Open loop: each sender sends on a fixed schedule whatever the acks do. */
function rate(args: RateArgs): Promise<RateResult> {
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
      socketOf(to).on('message:new', (payload) => {
        const now = clock();
        const text = (payload as { text: string }).text;
        const stamp = Number(text.slice(2, text.indexOf(';')));
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
          s.socket.emitAck('message:send', { to: s.to, text: `t=${stamp.toFixed(3)};${pad}`, clientId: clientId() }, (reply) => {
            const rep = reply as Reply;
            if (rep.ok) {
              r.acked++;
              if (stamp >= measureFrom) ackLatencies.push(clock() - stamp);
            } else {
              r.errors++;
              r.firstError ??= `${rep.error?.code}: ${rep.error?.message}`;
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

// ---- broadcasts ----

interface BroadcastState {
  expected: number;
  received: Map<number, number[]>;
}
const bcast: BroadcastState = { expected: 0, received: new Map() };

/** Every socket of this worker except `except` listens for broadcasts and reports each once all have it. */
function listenBroadcasts({ except }: { except?: string }): { listening: number } {
  bcast.expected = 0;
  bcast.received.clear();
  for (const [name, s] of sockets) {
    if (name === except) continue;
    bcast.expected++;
    s.on('broadcast:new', (payload) => {
      const now = clock();
      const text = (payload as { text: string }).text;
      const id = Number(text.slice(2, text.indexOf(';')));
      const stamp = Number(text.slice(text.indexOf(';') + 3, text.indexOf(';', text.indexOf(';') + 1)));
      let list = bcast.received.get(id);
      if (!list) bcast.received.set(id, (list = []));
      list.push(now - stamp);
      if (list.length === bcast.expected) emitToParent('bcast-done', { id, latencies: Float64Array.from(list) });
    });
  }
  return { listening: bcast.expected };
}

async function sendBroadcast({ from, id, textBytes }: { from: string; id: number; textBytes: number }) {
  const s = socketOf(from);
  const stamp = clock();
  const text = padText(`b=${id};t=${stamp.toFixed(3)};`, textBytes);
  const reply = (await s.emitWithAck('broadcast:send', { text, clientId: clientId() })) as Reply & { recipients?: string[] };
  if (!reply.ok) throw new Error(`broadcast refused: ${reply.error?.code}: ${reply.error?.message}`);
  return { ackMs: clock() - stamp, recipients: reply.recipients?.length ?? 0 };
}

// ---- login flood ----

export interface FloodArgs {
  url: string;
  users: string[];
  password: string;
  concurrency: number;
  durationMs: number;
}

/** Logs in, waits for the session, disconnects, again, on `concurrency` lanes until the time is up. */
async function loginFlood(args: FloodArgs) {
  const start = clock();
  const stopAt = start + args.durationMs;
  let logins = 0;
  let failed = 0;
  let firstError: string | null = null;
  const times: number[] = [];
  let next = 0;
  const lane = async () => {
    while (clock() < stopAt) {
      const user = args.users[next++ % args.users.length]!;
      const t = clock();
      try {
        const s = await LiteSocket.connect({ url: args.url, auth: { user, password: args.password }, readyEvent: 'session:ready', timeoutMs: 120_000 });
        logins++;
        times.push(clock() - t);
        await s.closeAndWait();
      } catch (err) {
        failed++;
        firstError ??= describe(err);
      }
    }
  };
  await Promise.all(Array.from({ length: args.concurrency }, lane));
  return { logins, failed, firstError, seconds: (clock() - start) / 1000, times: Float64Array.from(times) };
}

serve(
  {
    connect: connectAll,
    throughput,
    rate,
    'bcast-listen': listenBroadcasts,
    'bcast-send': sendBroadcast,
    'login-flood': loginFlood,
    count: () => ({ open: [...sockets.values()].filter((s) => s.open).length }),
    'close-all': async () => {
      const all = [...sockets.values()];
      sockets.clear();
      await Promise.all(all.map((s) => s.closeAndWait()));
      return { closed: all.length };
    },
    memory: () => process.memoryUsage(),
  },
  async () => {
    for (const s of sockets.values()) s.close();
  },
);
emitToParent('ready', { pid: process.pid });
