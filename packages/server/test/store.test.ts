import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import Database from 'better-sqlite3';
import { SqliteStore, StoreOpenError } from '../src/index.js';
import { Bookkeeping, type BookkeepingWrite } from '../src/store/sqlite/bookkeeping.js';
import { MessageWriter } from '../src/message-writer.js';
import type { WriterThread } from '../src/store/sqlite/writer-thread.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-store-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('SqliteStore', () => {
  test('opens with WAL and synchronous=FULL', async () => {
    const store = new SqliteStore(path.join(dir, 'a.db'));
    const db = (store as unknown as { db: { pragma(s: string, o: object): unknown } }).db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
    await store.close();
  });

  test('session and last-seen writes commit without waiting for the disk; logouts and prunes stay FULL, also after a failed write', async () => {
    // The schema and alice from the store; then the writes on a connection of the test's own.
    const store = new SqliteStore(path.join(dir, 'b.db'));
    await store.createUser('alice', 'hash', 1);
    await store.close();
    const db = new Database(path.join(dir, 'b.db'));
    const set: string[] = [];
    const pragma = db.pragma.bind(db);
    db.pragma = ((s: string, o?: object) => {
      if (s.startsWith('synchronous =')) set.push(s);
      return pragma(s, o as never);
    }) as typeof db.pragma;
    pragma('synchronous = FULL');
    const writes = new Bookkeeping(db);
    const levels = (w: BookkeepingWrite): string[] => {
      set.length = 0;
      try {
        writes.run(w);
      } catch {
        // the level afterwards is what is checked
      }
      expect(pragma('synchronous', { simple: true })).toBe(2); // back at FULL
      return [...set];
    };
    const lazy = ['synchronous = NORMAL', 'synchronous = FULL'];
    expect(levels({ op: 'create', session: { tokenHash: 't1', user: 'alice', createdAt: 1, lastUsedAt: 1 } })).toEqual(lazy);
    expect(levels({ op: 'touch', tokenHashes: ['t1'], at: 2 })).toEqual(lazy);
    expect(levels({ op: 'lastSeen', names: ['alice'], at: 2 })).toEqual(lazy);
    // A read marker: forward only, never past the conversation's last message, and lazy too.
    db.prepare("INSERT INTO conversations (id, user_a, user_b, last_seq) VALUES ('alice:bob', 'alice', 'bob', 7)").run();
    expect(levels({ op: 'read', user: 'alice', conversation: 'alice:bob', seq: 5 })).toEqual(lazy);
    expect(writes.run({ op: 'read', user: 'alice', conversation: 'alice:bob', seq: 3 })).toBe(5);
    expect(writes.run({ op: 'read', user: 'alice', conversation: 'alice:bob', seq: 99 })).toBe(7);
    // A write that throws (a value SQLite cannot bind) still leaves the connection at FULL.
    expect(levels({ op: 'lastSeen', names: [{} as unknown as string], at: 3 })).toEqual(lazy);
    // What must not come back after a crash is never lazy.
    expect(levels({ op: 'delete', tokenHash: 't1' })).toEqual([]);
    expect(levels({ op: 'prune', user: 'alice', keep: 1 })).toEqual([]);
    expect(pragma('synchronous', { simple: true })).toBe(2);

    // Writes that arrive together share one transaction, FULL if any needs it; a bad one fails alone.
    set.length = 0;
    const session = (t: string) => ({ op: 'create' as const, session: { tokenHash: t, user: 'alice', createdAt: 5, lastUsedAt: 5 } });
    expect(writes.runAll([session('t2'), session('t3'), { op: 'touch', tokenHashes: ['t2', 'nope'], at: 6 }])).toEqual([1, 1, 1]);
    expect(set).toEqual(lazy);
    set.length = 0;
    const mixed = writes.runAll([
      session('t4'),
      { op: 'lastSeen', names: [{} as unknown as string], at: 7 },
      { op: 'delete', tokenHash: 't2' },
    ]);
    expect(mixed[0]).toBe(1);
    expect(mixed[1]).toBeInstanceOf(Error);
    expect(mixed[2]).toBe(1);
    const tokens = db.prepare('SELECT token_hash FROM sessions ORDER BY token_hash').pluck().all();
    expect(tokens).toEqual(['t3', 't4']);
    expect(pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });

  test("a file store's session writes wait for the write lock on the writer thread, never on the event loop", async () => {
    const file = path.join(dir, 'lock.db');
    const store = new SqliteStore(file);
    await store.createUser('alice', 'hash', 1);
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    let done = false;
    const created = store.createSession({ tokenHash: 't1', user: 'alice', createdAt: 1, lastUsedAt: 1 }).then(() => (done = true));
    // On the event loop this call would have slept in SQLite's busy handler until the lock came
    // free (here: never, so 5 s and an error). The loop runs on; the write waits elsewhere.
    await new Promise((r) => setTimeout(r, 50));
    expect(done).toBe(false);
    other.exec('COMMIT');
    await created;
    expect(await store.getSession('t1')).toMatchObject({ user: 'alice' });
    await store.deleteSession('t1');
    expect(await store.getSession('t1')).toBeNull();

    // A read marker (one per message read in an open conversation) waits there too.
    const [sent] = await store.appendMessages([{ from: 'bob', to: 'alice', text: 'hi', at: 1, clientId: 'c-aaaaaaa1', kind: 'direct' }]);
    other.exec('BEGIN IMMEDIATE');
    let marked = false;
    const read = store.markRead('alice', 'alice:bob', sent!.message.seq).then((seq) => ((marked = true), seq));
    await new Promise((r) => setTimeout(r, 50));
    expect(marked).toBe(false);
    other.exec('COMMIT');
    expect(await read).toBe(sent!.message.seq);
    expect(await store.unreadIn('alice', 'alice:bob')).toBe(0);
    other.close();
    await store.close();
  });

  test('refuses a path it cannot use, and a file that is not a database, with a clear error', () => {
    expect(() => new SqliteStore('/proc/no-such-dir/x.db')).toThrow(StoreOpenError);
    const notDb = path.join(dir, 'not.db');
    fs.writeFileSync(notDb, 'this is not a database, just text that is long enough to have a header'.repeat(20));
    expect(() => new SqliteStore(notDb)).toThrow(/cannot open the database/);
    expect(() => new SqliteStore(dir)).toThrow(StoreOpenError);
    // The bad file was not touched.
    expect(fs.readFileSync(notDb, 'utf8')).toMatch(/^this is not a database/);
  });

  test('refuses a database from a newer version', async () => {
    const file = path.join(dir, 'new.db');
    const store = new SqliteStore(file);
    (store as unknown as { db: { pragma(s: string): unknown } }).db.pragma('user_version = 99');
    await store.close();
    expect(() => new SqliteStore(file)).toThrow(/newer tui-chat/);
  });

  test('sequences are per conversation with no gaps; duplicates by (sender, conversation, clientId)', async () => {
    const store = new SqliteStore(':memory:');
    const base = { text: 't', at: 1, kind: 'direct' as const };
    const r = await store.appendMessages([
      { ...base, from: 'a', to: 'b', clientId: 'c1-aaaaaa' },
      { ...base, from: 'b', to: 'a', clientId: 'c1-aaaaaa' },
      { ...base, from: 'a', to: 'c', clientId: 'c1-aaaaaa' },
      { ...base, from: 'a', to: 'b', clientId: 'c1-aaaaaa' },
    ]);
    expect(r.map((x) => [x.message.conversation, x.message.seq, x.duplicate])).toEqual([
      ['a:b', 1, false],
      ['a:b', 2, false],
      ['a:c', 1, false],
      ['a:b', 1, true],
    ]);
    await store.close();
  });
});

describe('MessageWriter', () => {
  test('messages arriving in the same turn share one transaction, in arrival order', async () => {
    const store = new SqliteStore(path.join(dir, 'w.db'));
    const writer = new MessageWriter(store);
    const sends = Array.from({ length: 200 }, (_, i) =>
      writer.append([{ from: 'a', to: 'b', text: `m${i}`, at: i, clientId: `client-${i}`, kind: 'direct' }]),
    );
    const results = (await Promise.all(sends)).map((r) => r[0]!.message);
    expect(results.map((m) => m.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(writer.stats.batches).toBe(1);
    expect(writer.stats.largestBatch).toBe(200);
    await store.close();
  });

  test('a failed batch rejects every sender in it and the writer keeps working', async () => {
    const store = new SqliteStore(path.join(dir, 'f.db'));
    const writer = new MessageWriter(store);
    const realAppend = store.appendMessages.bind(store);
    let failNext = true;
    store.appendMessages = async (batch) => {
      if (failNext) {
        failNext = false;
        throw new Error('disk full');
      }
      return realAppend(batch);
    };
    const msg = { from: 'a', to: 'b', text: 'x', at: 1, kind: 'direct' as const };
    const failed = await Promise.allSettled([
      writer.append([{ ...msg, clientId: 'aaaaaaaa' }]),
      writer.append([{ ...msg, clientId: 'bbbbbbbb' }]),
    ]);
    expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    const ok = await writer.append([{ ...msg, clientId: 'cccccccc' }]);
    expect(ok[0]!.message.seq).toBe(1);
    await store.close();
  });

  test('while one batch is being written, the next ones gather into one batch behind it', async () => {
    const store = new SqliteStore(path.join(dir, 'g.db'));
    const writer = new MessageWriter(store);
    const msg = (i: number) => ({ from: 'a', to: 'b', text: `m${i}`, at: i, clientId: `client-${i}`, kind: 'direct' as const });
    const first = writer.append([msg(0)]);
    // Queued over several turns of the event loop while the first batch is in flight.
    const later: Promise<unknown>[] = [];
    for (let i = 1; i <= 30; i++) {
      later.push(writer.append([msg(i)]));
      if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all([first, ...later]);
    expect(writer.stats.messages).toBe(31);
    expect(writer.stats.batches).toBeLessThan(31);
    await store.close();
  });

  test('the next batch goes to the store before the senders of the written one are answered', async () => {
    const store = new SqliteStore(path.join(dir, 'p.db'));
    const writer = new MessageWriter(store);
    const msg = (i: number) => ({ from: 'a', to: 'b', text: `m${i}`, at: i, clientId: `client-${i}`, kind: 'direct' as const });
    const handed: number[] = [];
    const realAppend = store.appendMessages.bind(store);
    let firstStarted!: () => void;
    const started = new Promise<void>((resolve) => (firstStarted = resolve));
    store.appendMessages = async (batch) => {
      handed.push(batch.length);
      firstStarted();
      return realAppend(batch);
    };
    const first = writer.append([msg(0)]);
    await started;
    const second = writer.append([msg(1)]);
    await first;
    // The store already has the second batch when the first sender hears back.
    const handedAtFirstAnswer = [...handed];
    expect((await second)[0]!.message.seq).toBe(2);
    await store.close();
    expect(handedAtFirstAnswer).toEqual([1, 1]);
  });
});

describe('the writer thread', () => {
  test("writes while the main connection writes too (sessions, read markers): no 'database is locked'", async () => {
    const store = new SqliteStore(path.join(dir, 't.db'));
    await store.warmUp();
    await store.createUser('a', 'h', 1);
    await store.createUser('b', 'h', 1);
    let stop = false;
    let mainWrites = 0;
    // The main connection keeps writing between the thread's reads and writes.
    const busy = (async () => {
      while (!stop) {
        await store.touchLastSeen(['a', 'b'], Date.now());
        await store.createSession({ tokenHash: `t${mainWrites}`, user: 'a', createdAt: 1, lastUsedAt: 1 });
        await store.markRead('b', 'a:b', 1);
        mainWrites += 1;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    let n = 0;
    try {
      for (let batch = 0; batch < 50; batch++) {
        const items = Array.from({ length: 5 }, () => ({
          from: 'a',
          to: 'b',
          text: `m${++n}`,
          at: n,
          clientId: `cid-${n}`,
          kind: 'direct' as const,
        }));
        const results = await store.appendMessages(items);
        expect(results.map((r) => r.message.seq)).toEqual(items.map((_, i) => batch * 5 + i + 1));
      }
    } finally {
      stop = true;
      await busy;
    }
    expect(mainWrites).toBeGreaterThan(0);
    expect((await store.history('a:b', 1000)).length).toBe(250);
    await store.close();
  });

  test('a checkpointer thread copies the WAL back, off the commit path; the WAL then restarts, and nothing is lost', async () => {
    const file = path.join(dir, 'c.db');
    let store = new SqliteStore(file);
    await store.warmUp();
    const checkpointer = (store as unknown as { writer: WriterThread }).writer.checkpoints!;
    const next = (when: (r: { checkpointed: number; log: number }) => boolean) =>
      new Promise<{ checkpointed: number; log: number }>((resolve) => {
        const off = checkpointer.onCheckpoint((r) => {
          if (!when(r)) return;
          off();
          resolve(r);
        });
      });
    let n = 0;
    const batch = () =>
      store.appendMessages(
        Array.from({ length: 50 }, () => ({
          from: 'a',
          to: 'b',
          text: `${'x'.repeat(200)} ${++n}`,
          at: n,
          clientId: `cid-${n}`,
          kind: 'direct' as const,
        })),
      );
    for (let i = 0; i < 20; i++) await batch();
    // With nothing more written, a checkpoint catches up with the whole WAL.
    const full = await next((r) => r.checkpointed === r.log);
    expect(full.log).toBeGreaterThan(20);
    // The next commit starts the WAL over: the checkpoint after it sees only its frames.
    await batch();
    const after = await next(() => true);
    expect(after.log).toBeLessThan(full.log);
    expect(checkpointer.stats.lastError).toBeNull();
    expect((await store.history('a:b', 5000)).length).toBe(1050);
    await store.close();
    store = new SqliteStore(file);
    expect((await store.history('a:b', 5000)).map((m) => m.seq)).toEqual(Array.from({ length: 1050 }, (_, i) => i + 1));
    await store.close();
  });

  test('a resend is answered with the stored original, across batches and after a restart', async () => {
    const file = path.join(dir, 'r.db');
    let store = new SqliteStore(file);
    const m = { from: 'a', to: 'b', text: 'once', at: 5, clientId: 'same-id-1', kind: 'direct' as const };
    const [first] = await store.appendMessages([m]);
    const [again, other] = await store.appendMessages([
      { ...m, text: 'changed' },
      { ...m, clientId: 'other-id-1' },
    ]);
    expect(first!.duplicate).toBe(false);
    expect(again).toEqual({ duplicate: true, message: first!.message });
    expect(other!.message.seq).toBe(2);
    await store.close();
    store = new SqliteStore(file);
    const [afterRestart] = await store.appendMessages([m]);
    expect(afterRestart).toEqual({ duplicate: true, message: first!.message });
    const [next] = await store.appendMessages([{ ...m, clientId: 'third-id-1' }]);
    expect(next!.message.seq).toBe(3);
    await store.close();
  });

  test('a failed transaction fails its batch only; the conversation it created is not assumed to exist', async () => {
    const store = new SqliteStore(path.join(dir, 'x.db'));
    const good = { from: 'a', to: 'c', text: 'fine', at: 1, clientId: 'ok-id-01', kind: 'direct' as const };
    // The second item breaks a NOT NULL constraint: the whole batch rolls back, the new conversation with it.
    const bad = { ...good, clientId: 'bad-id-01', text: null as unknown as string };
    await expect(store.appendMessages([good, bad])).rejects.toThrow(/NOT NULL/);
    expect(await store.conversationsOf('a')).toEqual([]);
    const [ok] = await store.appendMessages([good]);
    expect(ok!.message.seq).toBe(1);
    expect((await store.conversationsOf('a')).map((c) => c.lastSeq)).toEqual([1]);
    await store.close();
  });
});
