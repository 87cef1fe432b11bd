/** `createChatServer(options)`: the chat server as a library. */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import pino, { type Logger } from 'pino';
import { INFO_PATH, MAX_PACKET_BYTES, type ServerInfo } from '@tui-chat/protocol';
import type { ChatIo, ResolvedOptions, ServerContext } from './context.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
import type { Store } from './store/types.js';
import { MessageWriter } from './message-writer.js';
import { Presence } from './presence.js';
import { LoginLockout } from './auth/lockout.js';
import { DEFAULT_SCRYPT_COST, type ScryptCost } from './auth/passwords.js';
import { handshakeMiddleware } from './auth/handshake.js';
import { startSession } from './session.js';
import { DEFAULT_LIMITS, Limits, type LimitOptions } from './limits.js';
import { VERSION } from './version.js';

export interface ChatServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** SQLite file; ':memory:' for a throwaway server. Ignored when `store` is given. */
  db?: string;
  store?: Store;
  registration?: 'open' | 'closed';
  /** Seconds without a command before a session is logged out (default 1800). */
  idleTimeoutSeconds?: number;
  lockoutAttempts?: number;
  lockoutSeconds?: number;
  scryptCost?: ScryptCost;
  heartbeatSeconds?: number;
  /** engine.io keep-alive: a peer silent for interval + timeout is dropped (defaults 25 s + 20 s). */
  pingIntervalMs?: number;
  /** Serve over TLS (wss://) with this certificate chain and key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  pingTimeoutMs?: number;
  /** Rate and connection limits; each field falls back to DEFAULT_LIMITS. */
  limits?: Partial<LimitOptions>;
  logger?: Logger;
}

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
    scryptCost: o.scryptCost ?? DEFAULT_SCRYPT_COST,
    heartbeatMs: (o.heartbeatSeconds ?? 60) * 1000,
  };
}

export function createChatServer(options: ChatServerOptions = {}): ChatServer {
  const resolved = resolveOptions(options);
  const log = options.logger ?? pino({ level: 'silent' });
  const store = options.store ?? new SqliteStore(options.db ?? ':memory:');

  const info: ServerInfo = { name: 'tui-chat', version: VERSION, registration: resolved.registration };
  const onRequest: http.RequestListener = (req, res) => {
    if (req.url === INFO_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(info));
    } else if (!req.url?.startsWith('/socket.io')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('tui-chat server: connect with `tui-chat connect`.\n');
    }
  };
  const httpServer = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, onRequest) : http.createServer(onRequest);
  const io: ChatIo = new Server(httpServer, {
    transports: ['websocket'],
    maxHttpBufferSize: MAX_PACKET_BYTES,
    serveClient: false,
    pingInterval: options.pingIntervalMs ?? 25_000,
    pingTimeout: options.pingTimeoutMs ?? 20_000,
    cors: { origin: false },
  });

  const context: ServerContext = {
    io,
    store,
    writer: new MessageWriter(store),
    presence: new Presence(),
    limits: new Limits({ ...DEFAULT_LIMITS, ...options.limits }),
    lockout: new LoginLockout({ attempts: resolved.lockoutAttempts, seconds: resolved.lockoutSeconds }),
    options: resolved,
    log,
  };

  io.use(handshakeMiddleware(context));
  io.on('connection', (socket) => {
    startSession(context, socket).catch((err) => {
      log.error({ err }, 'session start failed');
      socket.disconnect(true);
    });
  });

  // Online users' last-seen time is kept fresh, so after a crash `wholast` is off by one beat at most.
  const heartbeat = setInterval(() => {
    void store.touchLastSeen(context.presence.online(), Date.now()).catch((err) => log.error({ err }, 'heartbeat failed'));
  }, resolved.heartbeatMs);
  heartbeat.unref();

  let closed: Promise<void> | null = null;
  return {
    io,
    store,
    context,
    listen() {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
          httpServer.off('error', reject);
          resolve(httpServer.address() as AddressInfo);
        });
      });
    },
    address: () => httpServer.address() as AddressInfo,
    close() {
      closed ??= (async () => {
        clearInterval(heartbeat);
        io.emit('notice', { code: 'server_shutdown', message: 'The server is shutting down.' });
        await context.writer.drain();
        await store.touchLastSeen(context.presence.online(), Date.now()).catch(() => undefined);
        await new Promise<void>((resolve) => {
          io.close(() => resolve());
          httpServer.closeAllConnections?.();
        });
        await store.close();
      })();
      return closed;
    },
  };
}
