/**
 * The search index trails the messages (search-indexer.ts, index-schedule.ts): nothing is indexed
 * in a message's own commit; the index catches up once the writer is quiet, keeps within its bound
 * under a load that never stops, and holds everything before a search is answered, across a
 * restart too. A failure to index reaches the search that waited, and the next try succeeds.
 */
import path from 'node:path';
import { afterEach, expect, test } from '@jest/globals';
import Database from 'better-sqlite3';
import { tempDir } from '@tui-chat/testkit';
import { SqliteStore } from '../src/index.js';
import { Appender } from '../src/store/sqlite/appender.js';
import { IndexSchedule } from '../src/store/sqlite/index-schedule.js';
import { SearchIndexer } from '../src/store/sqlite/search-indexer.js';
import type { NewMessage } from '../src/store/types.js';

const opened: Database.Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

let sent = 0;
const messages = (count: number, word: string): NewMessage[] =>
  Array.from({ length: count }, () => ({
    from: 'alice',
    to: 'bob',
    text: `${word} number ${++sent}`,
    at: sent,
    clientId: `c-${String(sent).padStart(10, '0')}`,
    kind: 'direct' as const,
  }));

/** A database at the current schema with alice and bob, opened as the writer thread opens it. */
async function database(): Promise<{ file: string; db: Database.Database }> {
  const file = path.join(tempDir('search-trails'), 'chat.db');
  const store = new SqliteStore(file);
  await store.createUser('alice', 'h', 1);
  await store.createUser('bob', 'h', 1);
  await store.close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  opened.push(db);
  return { file, db };
}

const found = (db: Database.Database, word: string): number =>
  db.prepare<[string], number>('SELECT count(*) FROM messages_search WHERE messages_search MATCH ?').pluck().get(`"${word}"`)!;

/** FTS5's own check; it compares the index with the messages, so only once the index holds them all. */
const intact = (db: Database.Database) =>
  expect(() => db.prepare("INSERT INTO messages_search (messages_search, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();

/** Polls (the schedule works on timers of its own) until `check` holds; fails after 5 s. */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('a commit indexes nothing; once the writer is quiet everything is indexed, in chunks', async () => {
  const { db } = await database();
  const appender = new Appender(db);
  const schedule = new IndexSchedule(new SearchIndexer(db), { chunk: 7, quietMs: 50, maxUnindexed: 1000 });
  appender.append(messages(25, 'quiet'));
  schedule.appended();
  expect(schedule.unindexed).toBe(25);
  expect(found(db, 'quiet')).toBe(0);
  await until(() => schedule.unindexed === 0);
  expect(found(db, 'quiet')).toBe(25);
  const upto = db.prepare('SELECT indexed_upto FROM search_progress').pluck().get();
  expect(upto).toBe(db.prepare('SELECT MAX(id) FROM messages').pluck().get());
  intact(db);
});

test('under a load that never stops the index stays within its bound, right after each batch', async () => {
  const { db } = await database();
  const appender = new Appender(db);
  const schedule = new IndexSchedule(new SearchIndexer(db), { chunk: 7, quietMs: 60_000, maxUnindexed: 30 });
  for (let batch = 0; batch < 5; batch++) {
    appender.append(messages(20, 'flood'));
    schedule.appended();
    expect(schedule.unindexed).toBe(Math.min(30, 20 * (batch + 1)));
  }
  expect(found(db, 'flood')).toBe(70);
  await new Promise((resolve) => schedule.catchUp(resolve));
  expect(found(db, 'flood')).toBe(100);
  intact(db);
});

test('a search waits for everything stored before it, between batches; a failure reaches it and the next try works', async () => {
  const { file, db } = await database();
  db.pragma('busy_timeout = 0');
  const appender = new Appender(db);
  const schedule = new IndexSchedule(new SearchIndexer(db), { chunk: 5, quietMs: 60_000, maxUnindexed: 1000 });
  appender.append(messages(23, 'asked'));
  schedule.appended();
  // Another connection holds the write lock: the index cannot be written, and the search is told.
  const other = new Database(file);
  opened.push(other);
  other.exec('BEGIN IMMEDIATE');
  const failed = await new Promise<Error | undefined>((resolve) => schedule.catchUp(resolve));
  expect(failed?.message).toMatch(/locked|busy/i);
  expect(found(db, 'asked')).toBe(0);
  other.exec('ROLLBACK');

  const done = await new Promise<Error | undefined>((resolve) => schedule.catchUp(resolve));
  expect(done).toBeUndefined();
  expect(schedule.unindexed).toBe(0);
  expect(found(db, 'asked')).toBe(23);
  intact(db);
  // Nothing left to wait for: answered there and then.
  let answered = false;
  schedule.catchUp(() => (answered = true));
  expect(answered).toBe(true);
});

test('a store closed before its quiet indexing: the next one finds every message, and a fresh message at once', async () => {
  const { file, db } = await database();
  db.close();
  opened.splice(0);
  const first = new SqliteStore(file);
  await first.appendMessages(messages(40, 'restart'));
  await first.close();
  const raw = new Database(file, { readonly: true });
  const upto = raw.prepare('SELECT indexed_upto FROM search_progress').pluck().get() as number;
  const last = raw.prepare('SELECT MAX(id) FROM messages').pluck().get() as number;
  raw.close();
  expect(upto).toBeLessThan(last);

  const second = new SqliteStore(file);
  try {
    expect(await second.search('bob', ['restart'], { limit: 100 })).toHaveLength(40);
    await second.appendMessages(messages(1, 'fresh'));
    expect((await second.search('alice', ['fresh'], { limit: 5 })).map((m) => m.text)).toEqual([`fresh number ${sent}`]);
  } finally {
    await second.close();
  }
});
