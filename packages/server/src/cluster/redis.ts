/**
 * The Redis side of cluster mode: an ioredis connection and the prefix every key of this cluster
 * starts with. The connection carries presence, lockout, rate limits and the adapter's XADDs; the
 * socket.io adapter opens its own duplicates for its blocking XREAD and for pub/sub.
 *
 * ioredis rather than node-redis: the Redis streams adapter (since 0.2.2), rate-limiter-flexible's
 * RateLimiterRedis and our Lua scripts all take it as it is, and it reconnects by itself.
 */
import { Redis } from 'ioredis';
import { DEFAULT_REDIS_PREFIX, isRedisUrl, redactUrl } from '../config.js';

export { DEFAULT_REDIS_PREFIX, isRedisUrl };

export interface RedisBackend {
  /** For commands; shared by presence, lockout, the rate limiters and the adapter's writes. */
  readonly client: Redis;
  /** Every key this cluster writes starts with it. */
  readonly prefix: string;
  /** The URL with any password hidden, for logs. */
  readonly location: string;
  /** Closes the connection (the server does it in close()). */
  close(): Promise<void>;
}

export interface RedisConnectOptions {
  prefix?: string;
  /** How long the first connection may take (default 5000 ms). */
  connectTimeoutMs?: number;
  /** Told of connection errors after the start (ioredis reconnects by itself). */
  onError?: (err: Error) => void;
}

/** Thrown when the URL is not a Redis URL or Redis does not answer at it. */
export class RedisConnectError extends Error {}

/**
 * Redis is out of reach (down, restarting, cut off): what only it knows (who is online on other
 * nodes, lockout counts) cannot be read for now. Requests answer `unavailable`, not `internal`.
 */
export class ClusterUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`Redis is out of reach: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** Fails at once, without queueing behind ioredis's reconnects, when the connection is not up. */
export function requireReady(redis: Redis): void {
  if (redis.status !== 'ready') throw new ClusterUnavailableError(`the connection is ${redis.status}`);
}

/** ioredis's words for a command that never got an answer (the connection, not the command, failed). */
export function isConnectionError(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown; message?: unknown } | null;
  if (e?.name === 'MaxRetriesPerRequestError') return true;
  if (typeof e?.code === 'string' && /^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH)$/.test(e.code)) return true;
  return (
    typeof e?.message === 'string' &&
    /Connection is closed|Command timed out|Stream isn't writeable|ECONNRESET|ECONNREFUSED/.test(e.message)
  );
}

/**
 * Runs a Redis call; a connection failure becomes a ClusterUnavailableError. Redis's own error
 * replies and programming errors go on as they are, to be logged as faults.
 */
export async function shared<T>(redis: Redis, call: () => Promise<T>): Promise<T> {
  requireReady(redis);
  try {
    return await call();
  } catch (err) {
    throw isConnectionError(err) ? new ClusterUnavailableError(err) : err;
  }
}

/** A prefix is plain text ending where keys begin; `:` is added when missing. */
export function normalizePrefix(prefix: string): string {
  if (!/^[A-Za-z0-9_.:{}-]{1,64}$/.test(prefix)) {
    throw new RedisConnectError(`the Redis key prefix "${prefix}" may hold only letters, digits and _ . : - { } (1-64 of them).`);
  }
  return prefix.endsWith(':') ? prefix : `${prefix}:`;
}

function sentence(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(e.message ?? '')) return 'connection refused (is Redis running there?)';
  if (e.code === 'ENOTFOUND' || /ENOTFOUND|EAI_AGAIN/.test(e.message ?? '')) return 'the host name does not resolve';
  if (/NOAUTH|WRONGPASS|invalid password/i.test(e.message ?? '')) return `the server refused the login: ${e.message}`;
  return e.message ?? String(err);
}

/** Opens one connection and waits until it answers PING. */
async function open(url: string, timeoutMs: number, name: string): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectionName: name,
    connectTimeout: timeoutMs,
    // After the start, keep trying (with a ceiling) rather than give up: Redis may restart.
    retryStrategy: (times) => Math.min(100 * times, 2000),
    maxRetriesPerRequest: 3,
    // A link that drops packets without a reset still looks up: no command waits forever on it
    // (the adapter's blocking reads last 1 s), and TCP keep-alive notices the silence.
    commandTimeout: 5000,
    keepAlive: 10_000,
  });
  const errors: Error[] = [];
  const collect = (err: Error): void => void errors.push(err);
  client.on('error', collect);
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
  } catch (err) {
    client.disconnect();
    throw new RedisConnectError(sentence(errors[0] ?? err));
  } finally {
    client.off('error', collect);
  }
  return client;
}

/**
 * One write to Redis per turn of the event loop instead of one per command: the first command
 * sent in a turn corks the connection's socket, and it is uncorked once the turn's work is done
 * (process.nextTick, after the promise jobs), so a group commit's deliveries (an XADD each) leave
 * in one `writev`. Commands, replies and their order are ioredis's own; nothing waits for a
 * timer. (Before the adapter's reader was patched, patches/redis-streams-offset.ts, deferring
 * writes could make a node skip entries; see there.)
 */
export function corkPerTurn(client: Redis): void {
  const send = client.sendCommand.bind(client);
  let corked = false;
  client.sendCommand = ((...args: Parameters<Redis['sendCommand']>) => {
    const socket = client.stream as (typeof client.stream & { cork?: () => void; uncork?: () => void }) | undefined;
    if (!corked && client.status === 'ready' && socket?.writable && typeof socket.cork === 'function') {
      socket.cork();
      corked = true;
      process.nextTick(() => {
        corked = false;
        socket.uncork!();
      });
    }
    return send(...args);
  }) as Redis['sendCommand'];
}

/** Connects to Redis at `url`; RedisConnectError with one clear sentence when it cannot. */
export async function connectRedis(url: string, options: RedisConnectOptions = {}): Promise<RedisBackend> {
  const location = redactUrl(url);
  if (!isRedisUrl(url)) throw new RedisConnectError(`${location} is not a Redis URL; write redis://host:6379 (or rediss:// for TLS).`);
  try {
    new URL(url);
  } catch {
    throw new RedisConnectError(`${location} is not a valid Redis URL; write redis://[:password@]host[:port][/db].`);
  }
  const prefix = normalizePrefix(options.prefix ?? DEFAULT_REDIS_PREFIX);
  const timeout = options.connectTimeoutMs ?? 5000;
  let client: Redis;
  try {
    client = await open(url, timeout, 'tui-chat');
  } catch (err) {
    throw new RedisConnectError(`cannot reach Redis at ${location}: ${(err as Error).message}`);
  }
  corkPerTurn(client);
  // ioredis reports each failed reconnect; once per outage is enough for a log.
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    options.onError?.(err);
  });
  client.on('ready', () => {
    down = false;
  });
  let closed: Promise<void> | null = null;
  return {
    client,
    prefix,
    location,
    close() {
      closed ??= client.quit().then(
        () => undefined,
        () => client.disconnect(),
      );
      return closed;
    },
  };
}
