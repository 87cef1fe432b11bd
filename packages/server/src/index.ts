export { createChatServer, resolveOptions, type ChatServer, type ChatServerOptions } from './server.js';
export { SqliteStore, StoreOpenError } from './store/sqlite/sqlite-store.js';
export type { Store, UserRecord, NewMessage, AppendResult, SessionRecord } from './store/types.js';
export { hashPassword, verifyPassword, parseHash, DEFAULT_SCRYPT_COST, type ScryptCost } from './auth/passwords.js';
export { parseMinutes } from './handlers/wholast.js';
export { VERSION } from './version.js';
export { DEFAULT_LIMITS, type LimitOptions } from './limits.js';
export { PostgresStore, isPostgresUrl, type PostgresStoreOptions } from './store/postgres/pg-store.js';
export {
  connectRedis,
  isRedisUrl,
  normalizePrefix,
  RedisConnectError,
  DEFAULT_REDIS_PREFIX,
  type RedisBackend,
  type RedisConnectOptions,
} from './cluster/redis.js';
export { DEFAULT_PRESENCE_TTL_MS } from './cluster/redis-presence.js';
export type { Presence } from './presence.js';
export type { Lockout } from './auth/lockout.js';
export { redactUrl } from './config.js';
export { trustedProxies, DEFAULT_PROXY_HEADER_TIMEOUT_MS, type ProxyProtocolOptions } from './proxy-protocol.js';
export { refuseNewName, type NewNameRefusal } from './auth/names.js';
export { handlers } from './handlers/index.js';
// The logger the server is built for, for whoever runs it (the command line need not depend on pino itself).
export { pino } from 'pino';
