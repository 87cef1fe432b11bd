/**
 * PostgreSQL and Redis for tests. Each run makes its own database (tuichat_test_<pid>_<random>,
 * dropped afterwards) and its own Redis key prefix (its keys deleted afterwards); nothing else on
 * either server is touched. When a service does not answer, the test fails with a sentence saying
 * so: nothing is skipped. `.ci/run` starts both when they are down.
 *
 * TUI_CHAT_TEST_PG (default postgres://postgres@127.0.0.1:5432/test) is the database to connect
 * to for CREATE/DROP DATABASE; TUI_CHAT_TEST_REDIS (default redis://127.0.0.1:6379) the Redis.
 */
import crypto from 'node:crypto';
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import pg from 'pg';
import { Redis } from 'ioredis';

export const PG_ADMIN_URL = process.env.TUI_CHAT_TEST_PG || 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TUI_CHAT_TEST_REDIS || 'redis://127.0.0.1:6379';

const tag = (): string => `${process.pid}_${crypto.randomBytes(4).toString('hex')}`;

async function admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL does not answer at ${PG_ADMIN_URL} (${(err as Error).message}); the cluster and store tests need it. ` +
        'Start it (.ci/run does: pg_ctlcluster <version> main start) or point TUI_CHAT_TEST_PG at one.',
    );
  }
  try {
    return await work(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  /** Empties tui-chat's tables (when they exist), for the next test on the same database. */
  truncate(): Promise<void>;
  drop(): Promise<void>;
}

/** A new, empty database for this run; drop() removes it (closing what is still connected to it). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `tuichat_test_${tag()}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    async truncate() {
      const c = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5000 });
      await c.connect();
      try {
        await c.query(`DO $$ BEGIN
          IF to_regclass('users') IS NOT NULL THEN
            TRUNCATE users, sessions, conversations, messages, read_markers, blocks, broadcasts, broadcast_recipients RESTART IDENTITY;
            IF to_regclass('groups') IS NOT NULL THEN TRUNCATE group_members, groups; END IF;
          END IF;
        END $$`);
      } finally {
        await c.end().catch(() => undefined);
      }
    },
    async drop() {
      if (dropped) return;
      dropped = true;
      // Only this run's database, by its exact name; WITH (FORCE) ends connections a killed node left.
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

export interface TestRedis {
  prefix: string;
  url: string;
  client: Redis;
  /** This run's keys (those starting with the prefix). */
  keys(): Promise<string[]>;
  /** Deletes this run's keys and closes the client. */
  cleanup(): Promise<void>;
}

/** A Redis key prefix of this run's own, with a client to look at and clean up its keys. */
export async function testRedis(): Promise<TestRedis> {
  const prefix = `tuichat-test:${tag()}:`;
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new Error(
      `Redis does not answer at ${REDIS_URL} (${(err as Error).message}); the cluster tests need it. ` +
        'Start it (.ci/run does: redis-server --daemonize yes ...) or point TUI_CHAT_TEST_REDIS at one.',
    );
  }
  const keys = async (): Promise<string[]> => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
    return found;
  };
  return {
    prefix,
    url: REDIS_URL,
    client,
    keys,
    async cleanup() {
      const found = await keys();
      if (found.length > 0) await client.del(...found);
      client.disconnect();
    },
  };
}

/** The database and Redis of a cluster suite (clusterServices), for the suite's tests to use. */
export interface ClusterServices {
  readonly db: TestDatabase;
  readonly redis: TestRedis;
}

/**
 * PostgreSQL and Redis for a cluster suite, registered where it is called (a file or a describe
 * block): a database and a key prefix of its own, made before the first test and removed after
 * the last. After each test `tidy` closes what the test left running (clients, servers), then the
 * tables are emptied and the keys deleted, so each test starts from no users, presence or
 * lockouts; `tidy` runs once more before the services go.
 */
export function clusterServices(tidy: () => Promise<void> = async () => undefined): ClusterServices {
  const held: { db: TestDatabase | null; redis: TestRedis | null } = { db: null, redis: null };
  beforeAll(async () => {
    held.db = await createTestDatabase();
    held.redis = await testRedis();
  });
  afterEach(async () => {
    await tidy();
    await held.db?.truncate();
    const keys = (await held.redis?.keys()) ?? [];
    if (keys.length > 0) await held.redis!.client.del(...keys);
  });
  afterAll(async () => {
    await tidy();
    await held.redis?.cleanup();
    await held.db?.drop();
  });
  const need = <T>(value: T | null, what: string): T => {
    if (value === null) throw new Error(`clusterServices: ${what} is not made yet (used outside a test)`);
    return value;
  };
  return {
    get db() {
      return need(held.db, 'the database');
    },
    get redis() {
      return need(held.redis, 'Redis');
    },
  };
}
