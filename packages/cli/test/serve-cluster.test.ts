/**
 * `tui-chat serve` and `tui-chat user` in cluster mode, as child processes: PostgreSQL (a database
 * made for this run) and Redis (a key prefix of this run); bad or unreachable URLs get one line
 * and exit code 2; passwords never show.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, testRedis, type TestDatabase, type TestRedis } from '@tui-chat/testkit';
import { childEnv, cleanup, expectOneLine, login, run, start } from './helpers.js';

let db: TestDatabase;
let redis: TestRedis;
beforeAll(async () => {
  db = await createTestDatabase();
  redis = await testRedis();
});
afterEach(cleanup);
afterAll(async () => {
  await redis?.cleanup();
  await db?.drop();
});

const LISTENING =
  /^tui-chat server listening on 127\.0\.0\.1:(\d+) \(database (\S+), redis (\S+) prefix (\S+), registration (open|closed)\)\n/m;

/** The test database's URL with a password in it (trust auth ignores it), to see it hidden. */
const withPassword = (): string => {
  const u = new URL(db.url);
  u.password = 's3cret-pw';
  return u.toString();
};

describe('tui-chat serve --db postgres://... --redis redis://...', () => {
  test('listens with the cluster in its line, the password hidden; accounts made with `user add` log in', async () => {
    const add = await run(['user', 'add', 'zoe', '--db', withPassword()], childEnv({ TUI_CHAT_PASSWORD: 'right-pw' }));
    expect(add.code).toBe(0);
    expect(add.stdout + add.stderr).not.toContain('s3cret-pw');
    const list = await run(['user', 'list', '--db', db.url]);
    expect(list.stdout).toMatch(/^zoe\s/m);

    const p = start([
      'serve',
      '--port',
      '0',
      '--log-level',
      'warn',
      '--db',
      withPassword(),
      '--redis',
      redis.url,
      '--redis-prefix',
      redis.prefix,
    ]);
    const m = await p.waitFor(LISTENING);
    expect(m[2]).toBe(withPassword().replace('s3cret-pw', '***'));
    expect(m[3]).toBe(redis.url);
    expect(m[4]).toBe(redis.prefix);
    expect(p.stdout() + p.stderr()).not.toContain('s3cret-pw');
    const { session } = await login(Number(m[1]), { user: 'zoe', password: 'right-pw' });
    expect(session.user).toBe('zoe');
    // The node is in Redis under this run's prefix.
    expect(await redis.client.zcard(`${redis.prefix}presence:nodes`)).toBe(1);
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
    expect(await redis.client.zcard(`${redis.prefix}presence:nodes`)).toBe(0);
  });

  test('--db-pool caps the connections a node keeps to PostgreSQL', async () => {
    const p = start(['serve', '--port', '0', '--log-level', 'warn', '--db', db.url, '--db-pool', '2']);
    const port = Number((await p.waitFor(/listening on 127\.0\.0\.1:(\d+) /))[1]);
    // Twelve registrations at once: each needs the database, so an uncapped pool would open more.
    const sessions = await Promise.all(
      Array.from({ length: 12 }, (_, i) => login(port, { user: `pool${i}`, password: 'secret-pw', register: true })),
    );
    expect(sessions).toHaveLength(12);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const count = await c
      .query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'tui-chat'", [
        db.name,
      ])
      .then((r) => r.rows[0]!.n)
      .finally(() => c.end());
    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(2);
  });

  test('takes the database, Redis and prefix from TUI_CHAT_DB, TUI_CHAT_REDIS and TUI_CHAT_REDIS_PREFIX', async () => {
    const p = start(
      ['serve', '--port', '0', '--log-level', 'warn'],
      childEnv({ TUI_CHAT_DB: db.url, TUI_CHAT_REDIS: redis.url, TUI_CHAT_REDIS_PREFIX: redis.prefix }),
    );
    const m = await p.waitFor(LISTENING);
    expect([m[2], m[3], m[4]]).toEqual([db.url, redis.url, redis.prefix]);
  });
});

describe('tui-chat serve refuses bad or unreachable cluster settings with one line and exit code 2', () => {
  test.each([
    [
      ['--db', 'postgres://postgres:hidden-pw@127.0.0.1:1/chat'],
      /cannot use the database postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/chat: connection refused \(is PostgreSQL running there\?\)\./,
    ],
    [['--db', 'postgres://postgres@127.0.0.1:5432'], /--db postgres:\/\/postgres@127\.0\.0\.1:5432 names no database/],
    [['--db', 'postgres://postgres@127.0.0.1:5432/tuichat_no_such_db_x'], /database "tuichat_no_such_db_x" does not exist/],
    [['--db', 'postgres://a:hidden-pw@[::1/x'], /--db postgres:\/\/a:\*\*\*@\[::1\/x is not a valid PostgreSQL URL/],
    [['--db', 'mysql://host/db'], /--db mysql:\/\/host\/db is neither a file path nor a postgres:\/\/ URL/],
    [['--redis', 'http://127.0.0.1:6379'], /--redis must be a redis:\/\/ or rediss:\/\/ URL, got "http:\/\/127\.0\.0\.1:6379"/],
    [
      ['--redis', 'redis://:hidden-pw@127.0.0.1:1'],
      /cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1: connection refused \(is Redis running there\?\)\./,
    ],
    [['--redis', 'redis://'], /--redis redis:\/\/ is not a valid Redis URL/],
    [['--redis-prefix', 'x:'], /--redis-prefix only applies with --redis/],
    [
      ['--redis', 'redis://127.0.0.1:6379', '--redis-prefix', 'has space'],
      /--redis-prefix: the Redis key prefix "has space" may hold only/,
    ],
    [['--presence-ttl', '1000'], /--presence-ttl only applies with --redis/],
    [['--redis', 'redis://127.0.0.1:6379', '--presence-ttl', '10'], /--presence-ttl must be at least 300 ms/],
    [['--db-pool', '0'], /--db-pool must be a whole number of at least 1, got "0"/],
    [['--db-pool', '5000'], /--db-pool must be at most 1000, got "5000"/],
    [['--db', '/tmp/tui-chat-not-made.db', '--db-pool', '4'], /--db-pool only applies to a postgres:\/\/ database/],
  ])('%j', async (args, pattern) => {
    const hasDb = args.includes('--db');
    const r = await run(['serve', '--port', '0', ...(hasDb ? [] : ['--db', `${db.url}`]), ...args]);
    expectOneLine(r, 2, pattern);
    expect(r.stderr).not.toContain('hidden-pw');
  });

  test('TUI_CHAT_REDIS that is not a Redis URL is named in the error', async () => {
    const r = await run(['serve', '--port', '0', '--db', db.url], childEnv({ TUI_CHAT_REDIS: 'localhost:6379' }));
    expectOneLine(r, 2, /TUI_CHAT_REDIS must be a redis:\/\/ or rediss:\/\/ URL, got "localhost:6379"/);
  });
});
