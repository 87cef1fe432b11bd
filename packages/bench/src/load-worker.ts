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
/** Session tokens from 'session:ready' (users connected with `keepTokens`), for token reconnects. */
const tokens = new Map<string, { token: string; localAddress?: string }>();
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
  /** Keep each session's token (from 'session:ready') for `move` and `failover-arm`. */
  keepTokens?: boolean;
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
          keepReady: args.keepTokens,
          timeoutMs: 120_000,
        });
        sockets.set(user, s);
        if (args.keepTokens) tokens.set(user, { token: (s.readyData as { token: string }).token, localAddress });
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
        const s = await LiteSocket.connect({
          url: args.url,
          auth: { user, password: args.password },
          readyEvent: 'session:ready',
          timeoutMs: 120_000,
        });
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

// ---- history: a conversation filled with large messages, and a user reading it ----

export interface FillArgs {
  from: string;
  to: string;
  count: number;
  text: string;
  /** Messages kept unacknowledged. */
  window: number;
}

export interface FillResult {
  acked: number;
  errors: number;
  firstError: string | null;
  seconds: number;
}

/** Sends `count` messages of `text` from one user to another, `window` in flight. */
function fill(args: FillArgs): Promise<FillResult> {
  const from = socketOf(args.from);
  const start = clock();
  const r: FillResult = { acked: 0, errors: 0, firstError: null, seconds: 0 };
  let sent = 0;
  return new Promise((resolve) => {
    const next = () => {
      if (sent >= args.count) {
        if (r.acked + r.errors === args.count) resolve({ ...r, seconds: (clock() - start) / 1000 });
        return;
      }
      sent++;
      from.emitAck('message:send', { to: args.to, text: args.text, clientId: clientId() }, (reply) => {
        const rep = reply as Reply;
        if (rep.ok) r.acked++;
        else {
          r.errors++;
          r.firstError ??= `${rep.error?.code}: ${rep.error?.message}`;
        }
        next();
      });
    };
    for (let k = 0; k < Math.min(args.window, args.count); k++) next();
  });
}

export interface HistoryReadArgs {
  user: string;
  with: string;
  limit: number;
  /** Start after this long; send no new request `durationMs` after the start. */
  delayMs: number;
  durationMs: number;
  /** On a refusal that says `retryAfter`, wait that long before asking again (false: ask at once). */
  waitRetryAfter: boolean;
}

export interface HistoryReadResult {
  pages: number;
  messages: number;
  /** Bytes of every frame the reader's socket received while reading. */
  bytes: number;
  /** Refusals: the session's page-byte budget used up / the connection still owed its last answers / other rate_limited. */
  refusedBudget: number;
  refusedOwed: number;
  refusedOther: number;
  firstRefusal: string | null;
  /** Answers that were neither a page nor rate_limited, or none came. */
  errors: number;
  firstError: string | null;
  /** Request -> answer of each page, ms. */
  pageMs: Float64Array;
  /** Time spent waiting on `retryAfter`, ms. */
  waitedMs: number;
  start: number;
  end: number;
}

interface PageReply {
  ok: boolean;
  messages?: unknown[];
  before?: number | null;
  error?: { code?: string; message?: string; retryAfter?: number };
}

/**
 * One user reading a conversation's history as fast as the server answers: the next request goes
 * out as soon as the previous is answered, each asking for `limit` messages from the newest page
 * back (`before`) to the start, then from the newest again.
 */
async function historyRead(args: HistoryReadArgs): Promise<HistoryReadResult> {
  const s = socketOf(args.user);
  const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
  await wait(args.delayMs);
  const r: HistoryReadResult = {
    pages: 0,
    messages: 0,
    bytes: 0,
    refusedBudget: 0,
    refusedOwed: 0,
    refusedOther: 0,
    firstRefusal: null,
    errors: 0,
    firstError: null,
    pageMs: new Float64Array(0),
    waitedMs: 0,
    start: clock(),
    end: 0,
  };
  const stopAt = r.start + args.durationMs;
  const pageMs: number[] = [];
  const count = (data: Buffer) => void (r.bytes += data.length);
  s.ws.on('message', count);
  let before: number | null = null;
  try {
    while (clock() < stopAt) {
      if (!s.open) {
        r.errors++;
        r.firstError ??= 'the connection closed';
        break;
      }
      const t = clock();
      const request: { with: string; limit: number; before?: number } =
        before === null ? { with: args.with, limit: args.limit } : { with: args.with, limit: args.limit, before };
      let timer: NodeJS.Timeout | undefined;
      const reply: PageReply | null = await Promise.race([
        s.emitWithAck<PageReply>('history:fetch', request),
        new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 60_000))),
      ]);
      clearTimeout(timer);
      if (reply === null) {
        r.errors++;
        r.firstError ??= 'no answer within 60 s';
        break;
      }
      if (reply.ok) {
        r.pages++;
        r.messages += reply.messages?.length ?? 0;
        pageMs.push(clock() - t);
        before = reply.before ?? null;
      } else if (reply.error?.code === 'rate_limited') {
        const text = reply.error.message ?? '';
        if (text.startsWith('You are reading faster')) r.refusedBudget++;
        else if (text.startsWith('Your connection has not taken')) r.refusedOwed++;
        else r.refusedOther++;
        r.firstRefusal ??= text;
        const after = reply.error.retryAfter;
        if (args.waitRetryAfter && after) {
          const ms = Math.min(after * 1000, stopAt - clock());
          r.waitedMs += Math.max(0, ms);
          await wait(ms);
        }
      } else {
        r.errors++;
        r.firstError ??= `${reply.error?.code}: ${reply.error?.message}`;
      }
    }
  } finally {
    s.ws.off('message', count);
  }
  r.end = clock();
  r.pageMs = Float64Array.from(pageMs);
  return r;
}

// ---- token reconnects: a planned move between nodes, and failover when a node dies ----

/** Handshake refusals a later try may get past, as the real client counts them (connection.ts). */
const TRANSIENT = new Set(['internal', 'rate_limited', 'unavailable']);
/** Wait before trying again after a transient failure (the real client's first backoff step). */
const RETRY_MS = 1000;

interface Reconnected {
  /** clock() when its 'session:ready' came. */
  readyAt: number;
  retries: number;
}

/**
 * Connects `user` to `url` with its session token (a socket.io handshake with auth {user, token}),
 * trying again after RETRY_MS on a transient failure (unreachable, timed out, or a refusal the
 * real client retries) until `until`; a lasting refusal (session_expired, ...) throws at once.
 * `stillWanted` false (the run gave up) closes the new socket instead of keeping it.
 */
async function reconnect(
  user: string,
  url: string,
  until: number,
  onRetry: () => void,
  stillWanted: () => boolean = () => true,
): Promise<Reconnected> {
  const t = tokens.get(user);
  if (!t) throw new Error(`worker ${worker}: no session token for ${user}`);
  let retries = 0;
  for (;;) {
    try {
      const s = await LiteSocket.connect({
        url,
        auth: { user, token: t.token },
        localAddress: t.localAddress,
        readyEvent: 'session:ready',
        keepReady: true,
        timeoutMs: Math.max(1000, Math.min(30_000, until - clock())),
      });
      const readyAt = clock();
      if (!stillWanted()) {
        s.close();
        throw new Error('given up');
      }
      t.token = (s.readyData as { token: string }).token;
      sockets.set(user, s);
      return { readyAt, retries };
    } catch (err) {
      const code = err instanceof ConnectError ? (err.data as { code?: string } | undefined)?.code : undefined;
      if (code !== undefined && !TRANSIENT.has(code)) throw new Error(describe(err));
      if (clock() + RETRY_MS > until || !stillWanted()) throw new Error(`${describe(err)} (gave up after ${retries} retries)`);
      retries++;
      onRetry();
      const retryAfter = (err instanceof ConnectError ? (err.data as { retryAfter?: number } | undefined)?.retryAfter : undefined) ?? 0;
      await new Promise((r) => setTimeout(r, Math.max(RETRY_MS, retryAfter * 1000)));
    }
  }
}

export interface MoveArgs {
  /** The node to move to. */
  url: string;
  timeoutMs: number;
}

export interface MoveResult {
  users: number;
  /** clock() just before the first socket was closed. */
  start: number;
  /** clock() of each user's 'session:ready' on the new node. */
  readyAt: Float64Array;
  failed: number;
  retries: number;
  firstError: string | null;
}

/**
 * A planned move: every user of this worker with a token leaves its node on purpose (closes its
 * socket) and at once connects to `url` with its token, all at the same time.
 */
async function move(args: MoveArgs): Promise<MoveResult> {
  const names = [...tokens.keys()];
  const until = clock() + args.timeoutMs;
  const readyAt: number[] = [];
  let failed = 0;
  let retries = 0;
  let firstError: string | null = null;
  const start = clock();
  await Promise.all(
    names.map(async (user) => {
      sockets.get(user)?.close();
      try {
        readyAt.push((await reconnect(user, args.url, until, () => retries++)).readyAt);
      } catch (err) {
        failed++;
        firstError ??= `${user}: ${(err as Error).message}`;
      }
    }),
  );
  return { users: names.length, start, readyAt: Float64Array.from(readyAt), failed, retries, firstError };
}

/** The failover in progress: armed sockets reconnect to `url` when they lose their connection. */
interface Failover {
  armed: boolean;
  url: string;
  until: number;
  users: number;
  lostAt: number[];
  readyAt: number[];
  failed: number;
  retries: number;
  firstError: string | null;
  /** When a client first heard 'sync:needed' (node_lost) on the new node, if one did. */
  syncNeededAt: number | null;
  settled(): void;
}
let failover: Failover | null = null;

/**
 * Arms every user of this worker with a token: when its connection is lost (its node killed),
 * it reconnects at once to `url` with its token, as the real client does with an address list.
 */
function failoverArm(args: { url: string; timeoutMs: number }): { armed: number } {
  const f: Failover = {
    armed: true,
    url: args.url,
    until: Infinity,
    users: 0,
    lostAt: [],
    readyAt: [],
    failed: 0,
    retries: 0,
    firstError: null,
    syncNeededAt: null,
    settled: () => undefined,
  };
  failover = f;
  const wanted = () => f.armed && failover === f;
  for (const user of tokens.keys()) {
    const s = sockets.get(user);
    if (!s) continue;
    f.users++;
    s.onClose(() => {
      if (!wanted()) return;
      const lost = clock();
      f.lostAt.push(lost);
      // The give-up time counts from the loss (the parent's timeout bounds it too).
      reconnect(user, f.url, lost + args.timeoutMs, () => f.retries++, wanted).then(
        (r) => {
          if (!wanted()) return;
          f.readyAt.push(r.readyAt);
          sockets.get(user)?.on('sync:needed', () => void (f.syncNeededAt ??= clock()), false);
          f.settled();
        },
        (err: unknown) => {
          if (!wanted()) return;
          f.failed++;
          f.firstError ??= `${user}: ${(err as Error).message}`;
          f.settled();
        },
      );
    });
  }
  return { armed: f.users };
}

export interface FailoverResult {
  users: number;
  lostAt: Float64Array;
  readyAt: Float64Array;
  failed: number;
  retries: number;
  firstError: string | null;
  syncNeededAt: number | null;
}

/**
 * Waits until every armed user is back or failed, or `timeoutMs` passed; then disarms (a late
 * reconnect is closed, not kept) and reports. Users neither back nor failed never came back.
 * `graceMs` more is waited after the last is back, for 'sync:needed'.
 */
async function failoverWait(args: { timeoutMs: number; syncGraceMs?: number }): Promise<FailoverResult> {
  const f = failover;
  if (!f) throw new Error(`worker ${worker}: failover-wait before failover-arm`);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, args.timeoutMs);
    f.settled = () => {
      if (f.readyAt.length + f.failed < f.users) return;
      clearTimeout(timer);
      resolve();
    };
    f.settled();
  });
  if (args.syncGraceMs && f.syncNeededAt === null) {
    const end = clock() + args.syncGraceMs;
    while (f.syncNeededAt === null && clock() < end) await new Promise((r) => setTimeout(r, 50));
  }
  f.armed = false;
  return {
    users: f.users,
    lostAt: Float64Array.from(f.lostAt),
    readyAt: Float64Array.from(f.readyAt),
    failed: f.failed,
    retries: f.retries,
    firstError: f.firstError,
    syncNeededAt: f.syncNeededAt,
  };
}

serve(
  {
    connect: connectAll,
    throughput,
    rate,
    'bcast-listen': listenBroadcasts,
    'bcast-send': sendBroadcast,
    'login-flood': loginFlood,
    move,
    'failover-arm': failoverArm,
    'failover-wait': failoverWait,
    fill,
    'history-read': historyRead,
    count: () => ({ open: [...sockets.values()].filter((s) => s.open).length }),
    'close-all': async () => {
      if (failover) failover.armed = false;
      failover = null;
      tokens.clear();
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
