/** `createChatServer(options)`: the chat server as a library. */
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Server, type ServerOptions } from 'socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import pino, { type Logger } from 'pino';
import { HEALTH_PATH, INFO_PATH, MAX_PACKET_BYTES, type ServerInfo } from '@tui-chat/protocol';
import type { ChatIo, ResolvedOptions, ServerContext } from './context.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
import type { Store } from './store/types.js';
import { MessageWriter } from './message-writer.js';
import { MemoryPresence, type Presence } from './presence.js';
import { LoginLockout, type Lockout } from './auth/lockout.js';
import type { RedisBackend } from './cluster/redis.js';
import { RedisPresence, DEFAULT_PRESENCE_TTL_MS } from './cluster/redis-presence.js';
import { RedisLockout } from './cluster/redis-lockout.js';
import { RedisAway } from './cluster/redis-away.js';
import { MemoryAway, type AwayBook } from './away.js';
import { DEFAULT_PASSWORD_COST, type PasswordCost } from './auth/passwords.js';
import { handshakeMiddleware } from './auth/handshake.js';
import { startSession } from './session.js';
import { DEFAULT_LIMITS, Limits, type LimitOptions } from './limits.js';
import { VERSION } from './version.js';
import { PresenceFeed } from './presence-feed.js';
import { coalesceWrites } from './patches/write-coalescing.js';
import { skipOwnEntries } from './patches/redis-streams-own-entries.js';
import { readFromKnownOffsets } from './patches/redis-streams-offset.js';
import { patchStatuses } from '@tui-chat/protocol/fence';
import { peerTakes } from './patches/node-peername.js';
import { KnownUsers } from './known-users.js';
import { BlockCache } from './block-cache.js';
import { answerHealth, healthCheck } from './health.js';
import { watchRedis } from './cluster/redis-recovery.js';
import { proxyProtocolFront, type ProxyProtocolOptions } from './proxy-protocol.js';
import { ConnectionGuard } from './guard/connections.js';
import { watchReadPressure } from './guard/read-pressure.js';

export interface ChatServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** SQLite file; ':memory:' for a throwaway server. Ignored when `store` is given. */
  db?: string;
  /** The store (a SqliteStore or a PostgresStore); the server closes it in close(). */
  store?: Store;
  /**
   * Cluster mode: Redis (from connectRedis) carries the socket.io adapter (Redis streams),
   * presence, login lockouts and message/login rate limits, so several servers on one shared store
   * act as one. The server closes it in close().
   */
  redis?: RedisBackend;
  /** Cluster mode: how long a node that stopped beating (killed) still counts its users online (default 15 000 ms). */
  presenceTtlMs?: number;
  registration?: 'open' | 'closed';
  /** Seconds without a command before a session is logged out (default 1800). */
  idleTimeoutSeconds?: number;
  lockoutAttempts?: number;
  lockoutSeconds?: number;
  /** Argon2id's cost for new hashes (default OWASP's m=19 MiB, t=2, p=1); tests lower it. */
  passwordCost?: PasswordCost;
  heartbeatSeconds?: number;
  /** engine.io keep-alive: a peer silent for interval + timeout is dropped (defaults 25 s + 20 s). */
  pingIntervalMs?: number;
  /** Serve over TLS (wss://) with this certificate chain and key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  pingTimeoutMs?: number;
  /**
   * Behind TCP load balancers that send the PROXY protocol header: their connections must start
   * with it, and the client address in it is the one lockouts and limits count by.
   */
  proxyProtocol?: ProxyProtocolOptions;
  /** Seconds a session token lasts from its login, however much it is used (default 30 days). */
  tokenLifetimeSeconds?: number;
  /** Session tokens kept per user (default 20): a new login drops the least recently used beyond it. */
  sessionsPerUser?: number;
  /** Rate and connection limits; each field falls back to DEFAULT_LIMITS. */
  limits?: Partial<LimitOptions>;
  logger?: Logger;
}

/** Entries of the adapter's stream each node reads at once, and how many Redis keeps (see below). */
export const STREAM_READ_COUNT = 1_000;
export const STREAM_MAX_LEN = 100_000;

export interface ChatServer {
  readonly io: ChatIo;
  readonly store: Store;
  readonly context: ServerContext;
  /** Starts listening; resolves with the bound address. */
  listen(): Promise<AddressInfo>;
  address(): AddressInfo;
  /** Tells every client, closes every connection, flushes and closes the store. */
  close(): Promise<void>;
}

export function resolveOptions(o: ChatServerOptions): ResolvedOptions {
  return {
    registration: o.registration ?? 'open',
    idleTimeoutMs: (o.idleTimeoutSeconds ?? 1800) * 1000,
    lockoutAttempts: o.lockoutAttempts ?? 3,
    lockoutSeconds: o.lockoutSeconds ?? 60,
    passwordCost: o.passwordCost ?? DEFAULT_PASSWORD_COST,
    heartbeatMs: (o.heartbeatSeconds ?? 60) * 1000,
    tokenLifetimeMs: (o.tokenLifetimeSeconds ?? 30 * 24 * 3600) * 1000,
    sessionsPerUser: o.sessionsPerUser ?? 20,
  };
}

export function createChatServer(options: ChatServerOptions = {}): ChatServer {
  const resolved = resolveOptions(options);
  const log = options.logger ?? pino({ level: 'silent' });
  const store = options.store ?? new SqliteStore(options.db ?? ':memory:');

  const info: ServerInfo = { name: 'tui-chat', version: VERSION, registration: resolved.registration };
  const health = healthCheck(store, options.redis);
  const onRequest: http.RequestListener = (req, res) => {
    const path = req.url?.split('?')[0];
    if (path === INFO_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(info));
    } else if (path === HEALTH_PATH) {
      void health().then((result) => answerHealth(res, result));
    } else if (!path?.startsWith('/socket.io/')) {
      // Everything but socket.io's own path (/socket.io/, which it answers) is answered here at once.
      res.writeHead(404, { 'content-type': 'text/plain' }).end('tui-chat server: connect with `tui-chat connect`.\n');
    }
  };
  const httpServer = options.tls
    ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, onRequest)
    : http.createServer(onRequest);
  // Balancers' connections go through the front, which reads their PROXY header first.
  if (options.proxyProtocol && !peerTakes()) {
    throw new Error(
      'this Node does not let the PROXY protocol name the client address (net.Socket _peername); --proxy-protocol cannot work here',
    );
  }
  const front = options.proxyProtocol ? proxyProtocolFront(httpServer, options.proxyProtocol, log) : null;
  const listener: net.Server = front?.server ?? httpServer;
  const redis = options.redis;
  const ioOptions: Partial<ServerOptions> = {
    transports: ['websocket'],
    maxHttpBufferSize: MAX_PACKET_BYTES,
    serveClient: false,
    pingInterval: options.pingIntervalMs ?? 25_000,
    pingTimeout: options.pingTimeoutMs ?? 20_000,
    cors: { origin: false },
  };
  if (redis) {
    // The Redis *streams* adapter rather than the pub/sub one: a node whose Redis connection
    // blips reads on from where it stopped instead of missing what was published meanwhile.
    // Its reader resumes from known positions only (see the patch).
    readFromKnownOffsets(redis.client, `${redis.prefix}socket.io`);
    ioOptions.adapter = createAdapter(redis.client, {
      streamName: `${redis.prefix}socket.io`,
      channelPrefix: `${redis.prefix}socket.io`,
      sessionKeyPrefix: `${redis.prefix}socket.io:session:`,
      // Its reader notices a close only between reads: keep each blocking read short.
      blockTimeInMs: 1000,
      // Redis trims the stream to maxLen entries whether or not every node has read them: at the
      // defaults (10,000 kept, 100 per read) a node busy for a moment fell more than 10,000 behind
      // a peer under load and 15,000-51,000 acknowledged messages per bench run never reached
      // their recipients. A read now takes 1,000, and 100,000 are kept (~40 MB of Redis at most).
      readCount: STREAM_READ_COUNT,
      maxLen: STREAM_MAX_LEN,
    });
  }
  const io: ChatIo = new Server(httpServer, ioOptions);
  coalesceWrites(io);
  if (redis) skipOwnEntries(io);
  // A patch left out because its library moved is said, never silent (see patches/fence.ts).
  for (const p of patchStatuses()) if (!p.active) log.warn({ patch: p.name, reason: p.reason }, 'a patch of a dependency was left out');

  const limitOptions = { ...DEFAULT_LIMITS, ...options.limits };
  const connections = new ConnectionGuard({
    perAddress: limitOptions.connectionsPerAddress,
    pendingPerAddress: limitOptions.pendingPerAddress,
    loginDeadlineMs: limitOptions.loginDeadlineSeconds * 1000,
    ipv6Prefix: limitOptions.ipv6Prefix,
  });
  // Balancers' connections reach it through the front, with the client's address.
  connections.attach(httpServer);
  const lockoutOptions = { attempts: resolved.lockoutAttempts, seconds: resolved.lockoutSeconds };
  const presenceTtlMs = options.presenceTtlMs ?? DEFAULT_PRESENCE_TTL_MS;
  const pending = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>, failure: string): void => {
    const p = work.catch((err: unknown) => log.error({ err }, failure)).finally(() => pending.delete(p));
    pending.add(p);
  };
  const redisPresence = redis
    ? new RedisPresence(redis.client, {
        prefix: redis.prefix,
        ttlMs: presenceTtlMs,
        // Users whose node died without a word: everyone hears they are gone.
        onGone: (users) => {
          log.info({ users }, 'users of a node that stopped went offline');
          for (const user of users) context.presenceFeed.push(user, false);
          track(store.touchLastSeen(users, Date.now() - presenceTtlMs), 'last-seen update failed');
          track(away.clear(users), 'away clearing failed');
        },
        // Whatever the dead node stored but had not delivered: every client fetches it.
        onReaped: (nodes) => {
          log.warn({ nodes }, 'a node stopped without a word; clients are told to catch up');
          io.emit('sync:needed', { reason: 'node_lost' });
        },
        onBack: (users) => {
          log.warn({ users: users.length }, 'this node had been taken for dead; its sessions are back');
          for (const user of users) context.presenceFeed.push(user, true);
        },
        onSettled: (changes) => {
          for (const { user, online } of changes) context.presenceFeed.push(user, online);
        },
        onError: (err) => log.error({ err }, 'presence heartbeat failed'),
      })
    : null;
  const presence: Presence = redisPresence ?? new MemoryPresence();
  const away: AwayBook = redis ? new RedisAway(redis.client, redis.prefix) : new MemoryAway();
  const lockout: Lockout = redis ? new RedisLockout(redis.client, redis.prefix, lockoutOptions) : new LoginLockout(lockoutOptions);

  const context: ServerContext = {
    io,
    store,
    users: new KnownUsers(store),
    blocks: new BlockCache(store),
    writer: new MessageWriter(store),
    presence,
    away,
    presenceFeed: new PresenceFeed(io),
    limits: new Limits(limitOptions, redis ? { redis: redis.client, prefix: redis.prefix } : undefined),
    connections,
    lockout,
    options: resolved,
    log,
    track,
  };

  if (redis && redisPresence) watchRedis(redis, io, redisPresence, context.blocks, log);
  // Connections that do not read what they are sent are dropped before their buffers grow without end.
  const stopReadPressure = watchReadPressure(io, log);

  io.use(handshakeMiddleware(context));
  io.on('connection', (socket) => {
    startSession(context, socket).catch((err) => {
      log.error({ err }, 'session start failed');
      socket.disconnect(true);
    });
  });

  // Online users' last-seen time is kept fresh, so after a crash `wholast` is off by one beat at most.
  // Their tokens' last use too: a token unused for the idle timeout stops working, and a session
  // cut off by a crash must still find its token alive on another node.
  const heartbeat = setInterval(() => {
    const now = Date.now();
    void store.touchLastSeen(context.presence.local(), now).catch((err) => log.error({ err }, 'heartbeat failed'));
    const tokens = [...new Set([...io.of('/').sockets.values()].map((s) => s.data.tokenHash))];
    void store.touchSessions(tokens, now).catch((err) => log.error({ err }, 'session heartbeat failed'));
  }, resolved.heartbeatMs);
  heartbeat.unref();

  let closed: Promise<void> | null = null;
  return {
    io,
    store,
    context,
    async listen() {
      await store.warmUp?.();
      // Alive in the cluster before the first client can arrive.
      await presence.start?.().catch((err: unknown) => {
        throw new Error(`presence in Redis did not start: ${err instanceof Error ? err.message : String(err)}`);
      });
      return new Promise((resolve, reject) => {
        listener.once('error', reject);
        listener.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
          listener.off('error', reject);
          resolve(listener.address() as AddressInfo);
        });
      });
    },
    address: () => listener.address() as AddressInfo,
    close() {
      closed ??= (async () => {
        clearInterval(heartbeat);
        context.limits.close();
        stopReadPressure();
        // This node's clients only (io.emit would reach every node's through the adapter).
        io.local.emit('notice', { code: 'server_shutdown', message: 'The server is shutting down.' });
        await context.writer.drain();
        await store.touchLastSeen(presence.local(), Date.now()).catch(() => undefined);
        front?.close();
        await new Promise<void>((resolve) => {
          io.close(() => resolve());
          httpServer.closeAllConnections?.();
        });
        // The sessions' own goodbyes (presence, last seen) before what they need goes away.
        while (pending.size > 0) await Promise.all([...pending]);
        try {
          context.presenceFeed.flush(); // other nodes hear that this node's users are gone
        } catch (err) {
          log.warn({ err }, 'last presence changes not sent');
        }
        await presence.close().catch((err: unknown) => log.error({ err }, 'presence close failed'));
        await redis?.close();
        await store.close();
      })();
      return closed;
    },
  };
}
