/** A server restarted on the same file keeps accounts, inbox, unread counts, history and blocks. */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, expect, test } from '@jest/globals';
import { cid, request, startHarness, type Harness } from './helpers.js';
import { migrations } from '../src/store/sqlite/migrations.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

test('restart on the same database file loses nothing', async () => {
  h = await startHarness();
  const alice = await h.register('alice', 'alice-pw');
  await (await h.register('bob', 'bob-pw')).socket.disconnect();
  for (const text of ['one', 'two', 'three']) {
    const r = await request(alice.socket, 'message:send', { to: 'bob', text, clientId: cid() });
    expect(r.ok).toBe(true);
  }
  await request(alice.socket, 'block:add', { user: 'bob' });
  await h.restart();
  expect(fs.existsSync(h.dbFile)).toBe(true);

  const bob = await h.login('bob', 'bob-pw');
  const list = await request(bob.socket, 'conversations:list', {});
  expect(list.ok && list.conversations.map((c) => [c.with, c.unread])).toEqual([['alice', 3]]);
  const inbox = await request(bob.socket, 'inbox:fetch', {});
  expect(inbox.ok && inbox.groups[0]!.messages.map((m) => m.text)).toEqual(['one', 'two', 'three']);

  await h.restart();
  const bob2 = await h.login('bob', 'bob-pw');
  const after = await request(bob2.socket, 'conversations:list', {});
  expect(after.ok && after.conversations[0]!.unread).toBe(0);
  const hist = await request(bob2.socket, 'history:fetch', { with: 'alice' });
  expect(hist.ok && hist.messages.map((m) => [m.seq, m.text])).toEqual([
    [1, 'one'],
    [2, 'two'],
    [3, 'three'],
  ]);
  const alice2 = await h.login('alice', 'alice-pw');
  expect(await request(alice2.socket, 'block:list', {})).toEqual({ ok: true, blocked: ['bob'] });
  // The next message continues the sequence.
  const next = await request(alice2.socket, 'message:send', { to: 'bob', text: 'four', clientId: cid() });
  expect(next.ok && next.message.seq).toBe(4);
});

test('the file is in WAL mode with the schema version recorded', async () => {
  h = await startHarness();
  await h.register('alice');
  const db = new Database(h.dbFile, { readonly: true });
  try {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.prepare('SELECT name FROM users').all()).toEqual([{ name: 'alice' }]);
  } finally {
    db.close();
  }
});
