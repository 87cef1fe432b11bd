/**
 * PostgreSQL and Redis for the cluster scenario. Each run makes its own database
 * (tui_chat_bench_<pid>_<random>) and its own Redis key prefix (tui-chat-bench:<pid>_<random>:),
 * and removes both at the end: after the scenario, on an error, and on Ctrl+C (procs.onInterrupt).
 * Nothing else on either server is touched, except what an earlier bench run on this machine left
 * behind when it was killed outright (its process is gone): that is removed first.
 *
 * When a service does not answer, `openClusterServices` throws ServiceUnavailable with one
 * sentence saying which and why, and the scenario is skipped.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';

/** The database to connect to for CREATE/DROP DATABASE (any existing one). */
export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const DB_PREFIX = 'tui_chat_bench_';
const KEY_PREFIX = 'tui-chat-bench:';

export class ServiceUnavailable extends Error {}

/** The URL with any password hidden. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

function why(err: unknown): string {
  const e = err as { code?: string; message?: string; errors?: { message?: string }[] };
  if (e.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(e.message ?? '')) return 'connection refused';
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return 'the host name does not resolve';
  const message = e.message || e.errors?.[0]?.message || String(err);
  return message.replace(/\.$/, '');
}

const isLoopback = (url: string): boolean => {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host.startsWith('127.') || host === '[::1]' || host === '::1';
  } catch {
    return false;
  }
};

/** Whether the bench run with this pid is gone (so what it left behind can be removed). */
function deadRun(tag: string): boolean {
  const pid = Number(tag.split('_')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function pgClient(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  c.on('error', () => undefined);
  await c.connect();
  return c;
}

async function withPg<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = await pgClient(url);
  try {
    return await work(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function scanKeys(client: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    found.push(...batch);
  } while (cursor !== '0');
  return found;
}

async function deleteKeys(client: Redis, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 500) await client.del(...keys.slice(i, i + 500));
}

export interface Cleaned {
  database: string;
  dropped: boolean;
  keysDeleted: number;
}

export interface ClusterServices {
  /** postgres:// URL of this run's database. */
  dbUrl: string;
  dbName: string;
  redisUrl: string;
  /** This run's Redis key prefix (ends with ':'). */
  prefix: string;
  /** Leftovers of killed runs removed at the start. */
  stale: { databases: number; keys: number };
  /** Redis server CPU seconds (user + system) so far, from INFO cpu. */
  redisCpuSeconds(): Promise<number>;
  /** How many keys this run has in Redis now. */
  keyCount(): Promise<number>;
  /** Drops the database (closing what is still connected to it) and deletes this run's keys. Idempotent. */
  cleanup(): Promise<Cleaned>;
}

/** Checks both services answer, removes leftovers of killed runs, creates this run's database. */
export async function openClusterServices(pgUrl: string, redisUrl: string): Promise<ClusterServices> {
  // Both checked before anything is created, so a skip leaves nothing behind.
  let admin: pg.Client;
  try {
    admin = await pgClient(pgUrl);
  } catch (err) {
    throw new ServiceUnavailable(
      `PostgreSQL does not answer at ${redact(pgUrl)} (${why(err)}); start it or point --pg (TUI_CHAT_BENCH_PG) at one`,
    );
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 5000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  const redisErrors: Error[] = [];
  redis.on('error', (err: Error) => void redisErrors.push(err));
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    await admin.end().catch(() => undefined);
    throw new ServiceUnavailable(
      `Redis does not answer at ${redact(redisUrl)} (${why(redisErrors[0] ?? err)}); start it or point --redis (TUI_CHAT_BENCH_REDIS) at one`,
    );
  }

  const tag = `${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const dbName = `${DB_PREFIX}${tag}`;
  const prefix = `${KEY_PREFIX}${tag}:`;
  const stale = { databases: 0, keys: 0 };
  try {
    // A run killed outright (SIGKILL) cannot clean up; the next run on this machine does.
    if (isLoopback(pgUrl)) {
      const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [
        DB_PREFIX,
      ]);
      for (const { datname } of rows) {
        if (!/^[a-z0-9_]+$/.test(datname) || !deadRun(datname.slice(DB_PREFIX.length))) continue;
        await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
        stale.databases++;
      }
    }
    if (isLoopback(redisUrl)) {
      const keys = (await scanKeys(redis, `${KEY_PREFIX}*`)).filter((k) => deadRun(k.slice(KEY_PREFIX.length).split(':')[0]!));
      await deleteKeys(redis, keys);
      stale.keys = keys.length;
    }
    await admin.query(`CREATE DATABASE ${dbName}`);
  } catch (err) {
    redis.disconnect();
    throw err;
  } finally {
    await admin.end().catch(() => undefined);
  }

  const url = new URL(pgUrl);
  url.pathname = `/${dbName}`;
  let cleaned: Promise<Cleaned> | null = null;
  return {
    dbUrl: url.toString(),
    dbName,
    redisUrl,
    prefix,
    stale,
    async redisCpuSeconds() {
      const info = await redis.info('cpu');
      const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
      return field('used_cpu_user') + field('used_cpu_sys');
    },
    async keyCount() {
      return (await scanKeys(redis, `${prefix}*`)).length;
    },
    cleanup() {
      cleaned ??= (async () => {
        const out: Cleaned = { database: dbName, dropped: false, keysDeleted: 0 };
        const problems: string[] = [];
        try {
          // Only this run's database, by its exact name; WITH (FORCE) ends connections a killed node left.
          await withPg(pgUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
          out.dropped = true;
        } catch (err) {
          problems.push(`could not drop the database ${dbName}: ${why(err)}`);
        }
        try {
          const keys = await scanKeys(redis, `${prefix}*`);
          await deleteKeys(redis, keys);
          out.keysDeleted = keys.length;
        } catch (err) {
          problems.push(`could not delete the Redis keys ${prefix}*: ${why(err)}`);
        } finally {
          redis.disconnect();
        }
        if (problems.length) throw new Error(problems.join('; '));
        return out;
      })();
      return cleaned;
    },
  };
}
