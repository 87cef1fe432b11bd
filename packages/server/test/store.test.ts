import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { SqliteStore, StoreOpenError } from '../src/index.js';
import { MessageWriter } from '../src/message-writer.js';

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
    const failed = await Promise.allSettled([writer.append([{ ...msg, clientId: 'aaaaaaaa' }]), writer.append([{ ...msg, clientId: 'bbbbbbbb' }])]);
    expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    const ok = await writer.append([{ ...msg, clientId: 'cccccccc' }]);
    expect(ok[0]!.message.seq).toBe(1);
    await store.close();
  });
});
