/**
 * A database made before groups (schema 3) is brought up to date on both stores: everything in it
 * stays, its pair conversations go on with their seqs, and groups can be made in it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from '@jest/globals';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@tui-chat/testkit';
import { PostgresStore, SqliteStore, type Store } from '../src/index.js';
import { migrations as sqliteMigrations } from '../src/store/sqlite/migrations.js';
import { migratePostgresTo } from './helpers.js';

const BEFORE_GROUPS = 3;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-migrate-'));
let pgDb: TestDatabase | undefined;
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await pgDb?.drop();
});

/** What the older version left: two users, a pair conversation of two messages, one read. */
const OLD_ROWS = `
  INSERT INTO users (name, password_hash, created_at, skeleton) VALUES ('ann', 'h', 1, 'ann'), ('bob', 'h', 1, 'bob');
  INSERT INTO conversations (id, user_a, user_b, last_seq) VALUES ('ann:bob', 'ann', 'bob', 2);
  INSERT INTO messages (conversation, seq, sender, recipient, body, created_at, client_id, kind)
    VALUES ('ann:bob', 1, 'ann', 'bob', 'one', 10, 'old-aaaaaa1', 'direct'), ('ann:bob', 2, 'bob', 'ann', 'two', 11, 'old-aaaaaa2', 'direct');
`;

async function expectUpToDate(store: Store): Promise<void> {
  expect((await store.conversationsOf('ann')).map((c) => [c.with, c.lastSeq, c.unread])).toEqual([['bob', 2, 1]]);
  const [next] = await store.appendMessages([{ from: 'ann', to: 'bob', text: 'three', at: 12, clientId: 'new-aaaaaa3', kind: 'direct' }]);
  expect(next!.message.seq).toBe(3);
  expect(await store.createGroup('#old-friends', 'ann', ['bob'], 20)).toBe(true);
  const [inGroup] = await store.appendMessages([
    { from: 'bob', to: '#old-friends', text: 'hi', at: 21, clientId: 'grp-aaaaaa1', kind: 'direct' },
  ]);
  expect(inGroup!.message).toMatchObject({ conversation: '#old-friends', seq: 1 });
  expect((await store.conversationsOf('ann')).map((c) => [c.with, c.unread]).sort()).toEqual([
    ['#old-friends', 1],
    ['bob', 1],
  ]);
}

test('SQLite: a schema-3 file gains groups and keeps its messages', async () => {
  const file = path.join(dir, 'old.db');
  const db = new Database(file);
  for (const m of sqliteMigrations.slice(0, BEFORE_GROUPS)) db.exec(m);
  db.pragma(`user_version = ${BEFORE_GROUPS}`);
  db.exec(OLD_ROWS);
  db.close();
  const store = new SqliteStore(file);
  try {
    await expectUpToDate(store);
  } finally {
    await store.close();
  }
  const after = new Database(file, { readonly: true });
  expect(after.pragma('user_version', { simple: true })).toBe(sqliteMigrations.length);
  after.close();
});

test('PostgreSQL: a schema-3 database gains groups and keeps its messages', async () => {
  pgDb = await createTestDatabase();
  const client = new pg.Client({ connectionString: pgDb.url });
  await client.connect();
  try {
    await migratePostgresTo(client, BEFORE_GROUPS);
    await client.query(OLD_ROWS);
  } finally {
    await client.end();
  }
  const store = await PostgresStore.open(pgDb.url);
  try {
    await expectUpToDate(store);
  } finally {
    await store.close();
  }
});
