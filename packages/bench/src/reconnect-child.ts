/**
 * The reconnect scenario's clients, alone in their own process: N real headless ChatClients
 * (@tui-chat/client's core, with its own retry schedule, token login and catch-up), or, for the
 * baseline, N lite sockets that reconnect on the schedule the client had before (socket.io-client's
 * Manager backoff at 1 s doubling to 10 s, ±50 %, replayed here step for step). Each records when it
 * lost its server and when its session was ready again, on the clock the server child stamps its
 * 'listening' with (performance.timeOrigin + now).
 *
 *   node reconnect-child.js '{"mode":"client"}'     (or "sio-backoff")
 */
import { performance } from 'node:perf_hooks';
import { ChatClient, type ClientState } from '@tui-chat/client';
import { isRetryable } from '@tui-chat/protocol';
import { ConnectError, LiteSocket } from './lite-socket.js';
import { emitToParent, serve } from './child.js';

const clock = (): number => performance.timeOrigin + performance.now();

export type ReconnectMode = 'client' | 'sio-backoff';

export interface ReconnectLoginArgs {
  url: string;
  /** host:port, the client's display name of the server. */
  display: string;
  users: string[];
  password: string;
  /** Logins in flight at once. */
  concurrency: number;
}

/** What one outage did to the clients: times on the shared clock, NaN where it did not happen. */
export interface OutageResult {
  users: number;
  lostAt: Float64Array;
  readyAt: Float64Array;
  /** The client's catch-up answered (who is online known again); the client mode only. */
  resyncedAt: Float64Array;
  /** Connection attempts made, all clients together (the first after the loss included). */
  attempts: number;
  /** Attempts the server answered with a refusal (rate_limited, a full pending cap's 503 is not one: that is unreachable). */
  refusals: number;
  /** Clients sent back to the login screen (their session refused for good). */
  failed: number;
  firstError: string | null;
}

interface Member {
  user: string;
  lostAt: number;
  readyAt: number;
  resyncedAt: number;
  attempts: number;
  refusals: number;
  failed: string | null;
}

const fresh = (user: string): Member => ({ user, lostAt: NaN, readyAt: NaN, resyncedAt: NaN, attempts: 0, refusals: 0, failed: null });

let members: Member[] = [];
const closers: (() => void)[] = [];
/** Called on every change, so `wait` can tell when everyone is back. */
let changed: () => void = () => undefined;

/** Logs `users` in, `concurrency` at a time; throws on the first failure. */
async function inBatches(users: string[], concurrency: number, one: (user: string, m: Member) => Promise<void>): Promise<void> {
  for (let i = 0; i < users.length; i += concurrency) {
    await Promise.all(
      users.slice(i, i + concurrency).map(async (user) => {
        const m = fresh(user);
        members.push(m);
        await one(user, m);
      }),
    );
  }
}

// ---- the real client ----

/** Follows one ChatClient's state into its Member. */
function follow(client: ChatClient, m: Member): void {
  let previous: ClientState = client.getState();
  client.subscribe((s) => {
    const before = previous;
    previous = s;
    if (s.screen === 'login') {
      m.failed ??= s.loginError ?? 'back at the login screen';
      changed();
      return;
    }
    if (s.connection === 'reconnecting') {
      if (Number.isNaN(m.lostAt)) m.lostAt = clock();
      // Each attempt shows as "under way" (no next time) after something else.
      const trying = s.reconnectAt === null;
      if (trying && !(before.connection === 'reconnecting' && before.reconnectAt === null)) m.attempts++;
      if (s.connectionDetail?.startsWith('refused') && s.connectionDetail !== before.connectionDetail) m.refusals++;
    }
    if (s.connection === 'connected' && !Number.isNaN(m.lostAt) && Number.isNaN(m.readyAt)) {
      m.readyAt = clock();
      changed();
    }
    if (!Number.isNaN(m.readyAt) && Number.isNaN(m.resyncedAt) && s.presenceKnown) {
      m.resyncedAt = clock();
      changed();
    }
  });
}

async function loginClients(args: ReconnectLoginArgs): Promise<{ loggedIn: number }> {
  await inBatches(args.users, args.concurrency, async (user, m) => {
    const client = new ChatClient({ url: args.url, display: args.display, requestTimeoutMs: 30_000 });
    closers.push(() => client.close());
    if (!(await client.login({ user, password: args.password }))) throw new Error(`${user}: ${client.getState().loginError}`);
    follow(client, m);
  });
  return { loggedIn: members.length };
}

// ---- the baseline: the former schedule, socket.io-client's Backoff ----

/** socket.io-client's Backoff (contrib/backo2.js) at the client's former defaults. */
const SIO = { min: 1000, max: 10_000, factor: 2, jitter: 0.5 };
function sioDelay(attempt: number): number {
  let ms = SIO.min * SIO.factor ** attempt;
  const rand = Math.random();
  const deviation = Math.floor(rand * SIO.jitter * ms);
  ms = (Math.floor(rand * 10) & 1) === 0 ? ms - deviation : ms + deviation;
  return Math.min(ms, SIO.max) | 0;
}

async function loginSio(args: ReconnectLoginArgs): Promise<{ loggedIn: number }> {
  await inBatches(args.users, args.concurrency, async (user, m) => {
    let closed = false;
    let socket = await LiteSocket.connect({
      url: args.url,
      auth: { user, password: args.password },
      readyEvent: 'session:ready',
      keepReady: true,
    });
    let token = socket.readyData!.token;
    closers.push(() => {
      closed = true;
      socket.close();
    });
    // As the Manager: on a lost transport, wait the backoff's next delay before every attempt.
    const lost = async (): Promise<void> => {
      if (closed) return;
      if (Number.isNaN(m.lostAt)) m.lostAt = clock();
      for (let attempt = 0; !closed; attempt++) {
        await new Promise((r) => setTimeout(r, sioDelay(attempt)));
        if (closed) return;
        m.attempts++;
        try {
          socket = await LiteSocket.connect({
            url: args.url,
            auth: { user, token },
            readyEvent: 'session:ready',
            keepReady: true,
            timeoutMs: 20_000,
          });
        } catch (err) {
          const refusal = err instanceof ConnectError ? err.refusal : undefined;
          if (refusal?.code) m.refusals++;
          if (refusal?.code && !isRetryable(refusal.code)) {
            m.failed = `${refusal.code}: ${(err as Error).message}`;
            changed();
            return;
          }
          continue;
        }
        token = socket.readyData!.token;
        m.readyAt = clock();
        socket.onClose(() => void lost());
        changed();
        return;
      }
    };
    socket.onClose(() => void lost());
  });
  return { loggedIn: members.length };
}

// ---- both ----

/** Starts a new outage's record: everyone connected now, nothing lost yet. */
function arm(): { armed: number } {
  // The clients' listeners hold their Member: the same objects, reset in place.
  for (const m of members) {
    const failed = m.failed;
    Object.assign(m, fresh(m.user), { failed });
  }
  return { armed: members.length };
}

/** Waits until every client is back (and, in the client mode, caught up) or failed, or `timeoutMs`. */
async function wait(args: { timeoutMs: number; resync: boolean }): Promise<OutageResult> {
  const done = () => members.every((m) => m.failed !== null || (!Number.isNaN(m.readyAt) && (!args.resync || !Number.isNaN(m.resyncedAt))));
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, args.timeoutMs);
    changed = () => {
      if (!done()) return;
      clearTimeout(timer);
      resolve();
    };
    changed();
  });
  changed = () => undefined;
  return {
    users: members.length,
    lostAt: Float64Array.from(members, (m) => m.lostAt),
    readyAt: Float64Array.from(members, (m) => m.readyAt),
    resyncedAt: Float64Array.from(members, (m) => m.resyncedAt),
    attempts: members.reduce((n, m) => n + m.attempts, 0),
    refusals: members.reduce((n, m) => n + m.refusals, 0),
    failed: members.filter((m) => m.failed !== null).length,
    firstError: members.find((m) => m.failed)?.failed ?? null,
  };
}

/** Waits until every client has seen the loss (the server is gone). */
async function lost(args: { timeoutMs: number }): Promise<{ lost: number }> {
  const until = clock() + args.timeoutMs;
  while (clock() < until && members.some((m) => Number.isNaN(m.lostAt) && m.failed === null)) await new Promise((r) => setTimeout(r, 20));
  return { lost: members.filter((m) => !Number.isNaN(m.lostAt)).length };
}

function closeAll(): { closed: number } {
  const n = closers.length;
  for (const close of closers.splice(0)) close();
  members = [];
  return { closed: n };
}

const config = JSON.parse(process.argv[2] ?? '{}') as { mode?: ReconnectMode };
serve(
  {
    login: (args: ReconnectLoginArgs) => (config.mode === 'sio-backoff' ? loginSio(args) : loginClients(args)),
    arm,
    lost,
    wait,
    'close-all': closeAll,
  },
  () => void closeAll(),
);
emitToParent('ready', { pid: process.pid });
