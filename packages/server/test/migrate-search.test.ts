/**
 * Databases from before search are made searchable when a store opens them: the scrypt-era SQLite
 * fixture (schema 3) and a PostgreSQL database at schema 4. Every message stays as it was, every
 * one is found by its words, and the index keeps up with messages added, changed or deleted after.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from '@jest/globals';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createTestDatabase, PG_ADMIN_URL, tempDir, type TestDatabase } from '@tui-chat/testkit';
import { PostgresStore, SqliteStore, type Store } from '../src/index.js';
import { migrations as sqliteMigrations } from '../src/store/sqlite/migrations.js';
import { migrations as pgMigrations } from '../src/store/postgres/migrations.js';
import { migratePostgresTo } from './helpers.js';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'scrypt-era', 'chat.db');
let pgDb: TestDatabase | undefined;
afterAll(async () => {
  await pgDb?.drop();
});

// The fixture holds accounts only (alice, bob, carol): 300 messages of their pair conversations
// are added as the server of that schema stored them. Message i says "entry<i>z" (no other
// message has a word starting with it) and one of a few words.
const WORDS = ['apple', 'Banana', 'cherry', 'dátil'];
const OLD = Array.from({ length: 300 }, (_, i) => {
  const [from, to] = [
    ['alice', 'bob'],
    ['bob', 'alice'],
    ['alice', 'carol'],
    ['carol', 'bob'],
  ][i % 4]!;
  return { from, to, conversation: [from, to].sort().join(':'), text: `entry${i}z ${WORDS[i % WORDS.length]}!` };
});

/** The old rows as that schema's INSERTs wrote them (seqs 1, 2, ... per conversation), and the conversations' rows. */
const lastSeq = new Map<string, number>();
const ROWS = OLD.map((m, i) => {
  const seq = (lastSeq.get(m.conversation) ?? 0) + 1;
  lastSeq.set(m.conversation, seq);
  return [m.conversation, seq, m.from, m.to, m.text, 1_600_000_000_000 + i, `old-${i}-aaaaaa`, 'direct'] as const;
});
const CONVERSATIONS = [...lastSeq].map(([id, last]) => [id, ...id.split(':'), last]);
const INSERT_MESSAGE = (p: (n: number) => string) =>
  `INSERT INTO messages (conversation, seq, sender, recipient, body, created_at, client_id, kind) VALUES (${[1, 2, 3, 4, 5, 6, 7, 8].map(p).join(', ')})`;
const INSERT_CONVERSATION = (p: (n: number) => string) =>
  `INSERT INTO conversations (id, user_a, user_b, last_seq) VALUES (${[1, 2, 3, 4].map(p).join(', ')})`;

async function expectSearchable(store: Store, before: unknown[]): Promise<void> {
  // Every message as it was, in order.
  const kept = (await store.history('alice:bob', 1000)).concat(
    await store.history('alice:carol', 1000),
    await store.history('bob:carol', 1000),
  );
  expect(kept.map((m) => [m.conversation, m.seq, m.from, m.to, m.text, m.at, m.clientId, m.kind])).toEqual(before);
  // Every one found by its own word, by the users who can read it and no one else.
  for (const [i, m] of OLD.entries()) {
    for (const user of ['alice', 'bob', 'carol']) {
      const found = await store.search(user, [`entry${i}z`], { limit: 5 });
      const reads = m.conversation.split(':').includes(user);
      expect(found.map((f) => f.text)).toEqual(reads ? [m.text] : []);
    }
  }
  // By the shared words too, accents and case aside: alice reads alice:bob and alice:carol.
  const datil = await store.search('alice', ['datil'], { limit: 100 });
  expect(datil.map((m) => m.text)).toEqual(
    OLD.filter((m) => m.text.includes('dátil') && m.conversation.includes('alice'))
      .map((m) => m.text)
      .reverse(),
  );
  // New messages go into the same index.
  await store.appendMessages([{ from: 'carol', to: 'alice', text: 'a fresh banana', at: 1, clientId: 'new-aaaaaaa1', kind: 'direct' }]);
  expect((await store.search('alice', ['fresh', 'banana'], { limit: 5 })).map((m) => m.text)).toEqual(['a fresh banana']);
}

/** The rows as history reads them back: by conversation, then seq. */
const expectedRows = () => ['alice:bob', 'alice:carol', 'bob:carol'].flatMap((c) => ROWS.filter((r) => r[0] === c));

test('SQLite: the scrypt-era file (schema 3) keeps every message and makes them searchable; the index follows deletes and edits', async () => {
  const file = path.join(tempDir('migrate-search'), 'chat.db');
  fs.copyFileSync(fixture, file);
  const old = new Database(file);
  expect(old.pragma('user_version', { simple: true })).toBe(3);
  const conversations = old.prepare(INSERT_CONVERSATION(() => '?'));
  const messages = old.prepare(INSERT_MESSAGE(() => '?'));
  old.transaction(() => {
    for (const c of CONVERSATIONS) conversations.run(...c);
    for (const r of ROWS) messages.run(...r);
  })();
  old.close();

  const store = new SqliteStore(file);
  try {
    await expectSearchable(store, expectedRows());
  } finally {
    await store.close();
  }

  // Whatever changes rows of messages by hand, the triggers keep the index in step with it.
  const db = new Database(file);
  expect(db.pragma('user_version', { simple: true })).toBe(sqliteMigrations.length);
  db.prepare("DELETE FROM messages WHERE body = 'entry0z apple!'").run();
  db.prepare("UPDATE messages SET body = 'entry1z kiwi' WHERE body = 'entry1z Banana!'").run();
  db.prepare("INSERT INTO messages_search (messages_search, rank) VALUES ('integrity-check', 1)").run();
  db.close();
  const again = new SqliteStore(file);
  try {
    expect(await again.search('alice', ['entry0z'], { limit: 5 })).toEqual([]);
    expect((await again.search('alice', ['kiwi'], { limit: 5 })).map((m) => m.text)).toEqual(['entry1z kiwi']);
    expect(await again.search('alice', ['entry1z', 'banana'], { limit: 5 })).toEqual([]);
  } finally {
    await again.close();
  }
});

test('PostgreSQL: a schema-4 database keeps every message and makes them searchable', async () => {
  pgDb = await createTestDatabase();
  const client = new pg.Client({ connectionString: pgDb.url });
  await client.connect();
  try {
    await migratePostgresTo(client, 4);
    await client.query("INSERT INTO users (name, password_hash, created_at) VALUES ('alice', 'h', 1), ('bob', 'h', 1), ('carol', 'h', 1)");
    for (const c of CONVERSATIONS)
      await client.query(
        INSERT_CONVERSATION((n) => `$${n}`),
        c,
      );
    for (const r of ROWS)
      await client.query(
        INSERT_MESSAGE((n) => `$${n}`),
        [...r],
      );
  } finally {
    await client.end();
  }
  const store = await PostgresStore.open(pgDb.url);
  try {
    await expectSearchable(store, expectedRows());
  } finally {
    await store.close();
  }
  const after = new pg.Client({ connectionString: pgDb.url });
  await after.connect();
  try {
    const { rows } = await after.query<{ v: number }>('SELECT max(version) AS v FROM tui_chat_schema');
    expect(rows[0]!.v).toBe(pgMigrations.length);
  } finally {
    await after.end();
  }
});

// normalize() fails on a database that is not UTF-8: the migration takes its other branch there,
// or the first insert would fail.
test('PostgreSQL: a database that is not UTF-8 migrates and searches, accents counting there', async () => {
  const name = `tuichat_test_ascii_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`);
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    const store = await PostgresStore.open(url.toString());
    try {
      await store.appendMessages(
        ['Lunchtime at the café', 'cafe au lait'].map((text, i) => ({
          from: 'a',
          to: 'b',
          text,
          at: i,
          clientId: `ascii-${i}-aaaaaa`,
          kind: 'direct' as const,
        })),
      );
      const texts = async (term: string) => (await store.search('a', [term], { limit: 5 })).map((m) => m.text);
      expect(await texts('lunch')).toEqual(['Lunchtime at the café']);
      expect(await texts('cafe')).toEqual(['cafe au lait']);
    } finally {
      await store.close();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
});
