/**
 * The Store contract, run against every implementation: SQLite (a temporary file) and PostgreSQL
 * (a database created for this run). Whatever a handler can rely on is here, so the two stores
 * cannot drift apart. PostgreSQL-only concerns (migrations racing, two nodes writing at once,
 * connection errors) follow at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { PostgresStore, SqliteStore, StoreOpenError, type NewMessage, type Store } from '../src/index.js';
import { MessageWriter } from '../src/message-writer.js';
import { migrations as pgMigrations } from '../src/store/postgres/migrations.js';
import { createTestDatabase, type TestDatabase } from '@tui-chat/testkit';

interface Factory {
  name: string;
  /** A store on an empty database. */
  open(): Promise<Store>;
  /** A second store on the same database (another node, or another connection). */
  again(): Promise<Store>;
}

let dir = '';
let pgDb: TestDatabase | undefined;
const opened: Store[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-contract-'));
  pgDb = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close().catch(() => undefined)));
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await pgDb?.drop();
});

let fileCounter = 0;
let currentFile = '';
const sqlite: Factory = {
  name: 'SqliteStore',
  async open() {
    currentFile = path.join(dir, `c${++fileCounter}.db`);
    const s = new SqliteStore(currentFile);
    opened.push(s);
    return s;
  },
  async again() {
    const s = new SqliteStore(currentFile);
    opened.push(s);
    return s;
  },
};

const TABLES = 'users, sessions, conversations, messages, read_markers, blocks, broadcasts, broadcast_recipients, group_members, groups';
const postgres: Factory = {
  name: 'PostgresStore',
  async open() {
    const s = await PostgresStore.open(pgDb!.url);
    opened.push(s);
    await (s as unknown as { pool: pg.Pool }).pool.query(`TRUNCATE ${TABLES} RESTART IDENTITY`);
    return s;
  },
  async again() {
    const s = await PostgresStore.open(pgDb!.url);
    opened.push(s);
    return s;
  },
};

const msg = (from: string, to: string, clientId: string, extra: Partial<NewMessage> = {}): NewMessage => ({
  from,
  to,
  text: `${from}->${to} ${clientId}`,
  at: 1_700_000_000_000,
  clientId,
  kind: 'direct',
  ...extra,
});

describe.each([sqlite, postgres])('$name: the Store contract', (factory) => {
  test('users: create once, read, list in name order, change password, remove', async () => {
    const s = await factory.open();
    expect(await s.createUser('bob', 'h1', 10)).toBe(true);
    expect(await s.createUser('bob', 'other', 11)).toBe(false);
    expect(await s.createUser('alice', 'h2', 12)).toBe(true);
    expect(await s.createUser('al_b-c.d', 'h3', 13)).toBe(true);
    expect(await s.getUser('bob')).toEqual({ name: 'bob', passwordHash: 'h1', createdAt: 10, lastSeenAt: null });
    expect(await s.getUser('nobody')).toBeNull();
    expect((await s.listUsers()).map((u) => u.name)).toEqual(['al_b-c.d', 'alice', 'bob']);
    expect(await s.setPasswordHash('bob', 'h9')).toBe(true);
    expect(await s.setPasswordHash('nobody', 'h9')).toBe(false);
    expect((await s.getUser('bob'))?.passwordHash).toBe('h9');
    // Only while the hash is still the one expected (a rehash at login after a password change).
    expect(await s.replacePasswordHash('bob', 'h1', 'h10')).toBe(false);
    expect(await s.replacePasswordHash('bob', 'h9', 'h10')).toBe(true);
    expect((await s.getUser('bob'))!.passwordHash).toBe('h10');
    expect(await s.replacePasswordHash('nobody', 'h9', 'h10')).toBe(false);
    expect(await s.existingUsers(['zed', 'bob', 'alice', 'nobody'])).toEqual(['bob', 'alice']);
    expect(await s.existingUsers([])).toEqual([]);
  });

  test('last seen: touched names only, seenSince from a time on, times in ms kept exactly', async () => {
    const s = await factory.open();
    for (const n of ['a', 'b', 'c']) await s.createUser(n, 'h', 1);
    const t = 1_764_000_000_123;
    await s.touchLastSeen(['a', 'b', 'ghost'], t);
    await s.touchLastSeen([], t + 5);
    await s.touchLastSeen(['b'], t + 1000);
    expect((await s.getUser('a'))?.lastSeenAt).toBe(t);
    expect(await s.seenSince(t)).toEqual(['a', 'b']);
    expect(await s.seenSince(t + 1)).toEqual(['b']);
    expect(await s.seenSince(t + 1001)).toEqual([]);
  });

  test('user names: by prefix, after a name, at most a limit, in byte order', async () => {
    const s = await factory.open();
    for (const n of ['bob', 'al.x', 'alice', 'al-1', 'al_b', 'alz', 'zed', 'al9']) await s.createUser(n, 'h', 1);
    expect(await s.userNames('', '', 100)).toEqual(['al-1', 'al.x', 'al9', 'al_b', 'alice', 'alz', 'bob', 'zed']);
    expect(await s.userNames('al', '', 3)).toEqual(['al-1', 'al.x', 'al9']);
    expect(await s.userNames('al', 'al9', 3)).toEqual(['al_b', 'alice', 'alz']);
    expect(await s.userNames('al', 'alz', 3)).toEqual([]);
    expect(await s.userNames('ali', '', 10)).toEqual(['alice']);
    expect(await s.userNames('alice', '', 10)).toEqual(['alice']);
    expect(await s.userNames('q', '', 10)).toEqual([]);
    expect(await s.userNames('', 'bob', 10)).toEqual(['zed']);
  });

  test('sessions: create, read, replace, delete', async () => {
    const s = await factory.open();
    await s.createUser('bob', 'h', 1);
    await s.createUser('carl', 'h', 1);
    await s.createSession({ tokenHash: 't1', user: 'bob', createdAt: 5, lastUsedAt: 6 });
    expect(await s.getSession('t1')).toEqual({ tokenHash: 't1', user: 'bob', createdAt: 5, lastUsedAt: 6 });
    await s.createSession({ tokenHash: 't1', user: 'carl', createdAt: 7, lastUsedAt: 8 });
    expect(await s.getSession('t1')).toEqual({ tokenHash: 't1', user: 'carl', createdAt: 7, lastUsedAt: 8 });
    await s.deleteSession('t1');
    await s.deleteSession('never');
    expect(await s.getSession('t1')).toBeNull();
  });

  test("sessions: last use only moves forward; a user's least recently used beyond `keep` are pruned", async () => {
    const s = await factory.open();
    await s.createUser('bob', 'h', 1);
    await s.createUser('carl', 'h', 1);
    for (let i = 1; i <= 5; i++) await s.createSession({ tokenHash: `b${i}`, user: 'bob', createdAt: i, lastUsedAt: i * 10 });
    await s.createSession({ tokenHash: 'c1', user: 'carl', createdAt: 1, lastUsedAt: 1 });
    await s.touchSessions(['b1', 'never'], 100);
    await s.touchSessions(['b2'], 5); // older than its last use: no change
    await s.touchSessions([], 7);
    expect((await s.getSession('b1'))?.lastUsedAt).toBe(100);
    expect((await s.getSession('b2'))?.lastUsedAt).toBe(20);
    expect(await s.pruneSessions('bob', 3)).toBe(2);
    const left = await Promise.all(['b1', 'b2', 'b3', 'b4', 'b5'].map(async (t) => (await s.getSession(t)) !== null));
    expect(left).toEqual([true, false, false, true, true]);
    expect(await s.getSession('c1')).not.toBeNull();
    expect(await s.pruneSessions('bob', 3)).toBe(0);
  });

  test('a session is visible to a second connection at once (tokens work on every node)', async () => {
    const s = await factory.open();
    await s.createUser('bob', 'h', 1);
    await s.createSession({ tokenHash: 'tok', user: 'bob', createdAt: 1, lastUsedAt: 1 });
    const other = await factory.again();
    expect((await other.getSession('tok'))?.user).toBe('bob');
  });

  test('append: seq per conversation from 1 without gaps, ids growing, results in the order given', async () => {
    const s = await factory.open();
    const r = await s.appendMessages([
      msg('a', 'b', 'c1-aaaaaa'),
      msg('b', 'a', 'c1-aaaaaa'),
      msg('a', 'c', 'c1-aaaaaa', { kind: 'broadcast' }),
      msg('a', 'b', 'c2-aaaaaa'),
    ]);
    expect(r.map((x) => [x.message.conversation, x.message.seq, x.duplicate])).toEqual([
      ['a:b', 1, false],
      ['a:b', 2, false],
      ['a:c', 1, false],
      ['a:b', 3, false],
    ]);
    const ids = r.map((x) => x.message.id);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    expect(new Set(ids).size).toBe(4);
    expect(r[2]!.message).toEqual({
      id: ids[2],
      conversation: 'a:c',
      seq: 1,
      from: 'a',
      to: 'c',
      text: 'a->c c1-aaaaaa',
      at: 1_700_000_000_000,
      clientId: 'c1-aaaaaa',
      kind: 'broadcast',
    });
    expect(await s.appendMessages([])).toEqual([]);
  });

  test('append: a clientId seen before (earlier batch or same batch) is the original, stored once', async () => {
    const s = await factory.open();
    const [first] = await s.appendMessages([msg('a', 'b', 'dup-aaaaaa')]);
    const r = await s.appendMessages([
      msg('a', 'b', 'dup-aaaaaa', { text: 'resent, different text' }),
      msg('a', 'b', 'new-aaaaaa'),
      msg('a', 'b', 'new-aaaaaa'),
      // Same clientId from the other party, or to another conversation, is another message.
      msg('b', 'a', 'dup-aaaaaa'),
      msg('a', 'c', 'dup-aaaaaa'),
    ]);
    expect(r.map((x) => [x.message.seq, x.duplicate])).toEqual([
      [1, true],
      [2, false],
      [2, true],
      [3, false],
      [1, false],
    ]);
    expect(r[0]!.message).toEqual(first!.message);
    expect(r[2]!.message).toEqual(r[1]!.message);
    expect((await s.history('a:b', 50)).map((m) => m.clientId)).toEqual(['dup-aaaaaa', 'new-aaaaaa', 'dup-aaaaaa']);
  });

  test('text round-trips exactly: emoji, CJK, RTL, escapes, 64 KiB', async () => {
    const s = await factory.open();
    const texts = ['héllo 👋🏽 世界', 'مرحبا', '\x1b[31mred\x1b[0m\t\r\n', 'quote \' " \\ %s $1', 'x'.repeat(64 * 1024)];
    await s.appendMessages(texts.map((text, i) => msg('a', 'b', `text-${i}-aaaa`, { text })));
    expect((await s.history('a:b', 50)).map((m) => m.text)).toEqual(texts);
  });

  test('history pages backwards; messagesAfter pages forwards', async () => {
    const s = await factory.open();
    await s.appendMessages(Array.from({ length: 10 }, (_, i) => msg(i % 2 ? 'a' : 'b', i % 2 ? 'b' : 'a', `h-${i}-aaaaaa`)));
    const seqs = (l: { seq: number }[]) => l.map((m) => m.seq);
    expect(seqs(await s.history('a:b', 3))).toEqual([8, 9, 10]);
    expect(seqs(await s.history('a:b', 3, 8))).toEqual([5, 6, 7]);
    expect(seqs(await s.history('a:b', 30, 3))).toEqual([1, 2]);
    expect(await s.history('a:b', 3, 1)).toEqual([]);
    expect(await s.history('x:y', 3)).toEqual([]);
    expect(seqs(await s.messagesAfter('a:b', 0, 4))).toEqual([1, 2, 3, 4]);
    expect(seqs(await s.messagesAfter('a:b', 8, 4))).toEqual([9, 10]);
    expect(await s.messagesAfter('a:b', 10, 4)).toEqual([]);
  });

  test('history and messagesAfter stop once their texts reach maxTextBytes, giving at least one message', async () => {
    const s = await factory.open();
    // Texts of 1,000 bytes (a 3-byte character counts 3).
    await s.appendMessages(Array.from({ length: 10 }, (_, i) => msg('a', 'b', `t-${i}-aaaaaa`, { text: '€'.repeat(333) + String(i) })));
    const seqs = (l: { seq: number }[]) => l.map((m) => m.seq);
    expect(seqs(await s.history('a:b', 10, undefined, 2500))).toEqual([8, 9, 10]); // 0, 1000, 2000 before each: the third crosses
    expect(seqs(await s.history('a:b', 10, 8, 1000))).toEqual([7]);
    expect(seqs(await s.history('a:b', 10, undefined, 1))).toEqual([10]); // at least one
    expect(seqs(await s.history('a:b', 2, undefined, 1e9))).toEqual([9, 10]); // the limit still holds
    expect(seqs(await s.messagesAfter('a:b', 0, 10, 1500))).toEqual([1, 2]);
    expect(seqs(await s.messagesAfter('a:b', 9, 10, 1))).toEqual([10]);
  });

  test('conversations, unread counts and read markers', async () => {
    const s = await factory.open();
    for (const n of ['ann', 'bob', 'cy']) await s.createUser(n, 'h', 1);
    await s.appendMessages([
      msg('bob', 'ann', 'm1-aaaaaa'),
      msg('bob', 'ann', 'm2-aaaaaa'),
      msg('ann', 'bob', 'm3-aaaaaa'),
      msg('cy', 'ann', 'm4-aaaaaa'),
    ]);
    const list = async (u: string) =>
      (await s.conversationsOf(u))
        .map((c) => ({
          with: c.with,
          conversation: c.conversation,
          lastSeq: c.lastSeq,
          readSeq: c.readSeq,
          unread: c.unread,
          last: c.last?.clientId,
        }))
        .sort((x, y) => x.with.localeCompare(y.with));
    expect(await list('ann')).toEqual([
      { with: 'bob', conversation: 'ann:bob', lastSeq: 3, readSeq: 0, unread: 2, last: 'm3-aaaaaa' },
      { with: 'cy', conversation: 'ann:cy', lastSeq: 1, readSeq: 0, unread: 1, last: 'm4-aaaaaa' },
    ]);
    expect(await list('bob')).toEqual([{ with: 'ann', conversation: 'ann:bob', lastSeq: 3, readSeq: 0, unread: 1, last: 'm3-aaaaaa' }]);
    expect(await s.conversationsOf('nobody')).toEqual([]);

    expect((await s.unreadFor('ann', 10)).map((m) => m.clientId)).toEqual(['m1-aaaaaa', 'm2-aaaaaa', 'm4-aaaaaa']);
    expect((await s.unreadFor('ann', 2)).map((m) => m.clientId)).toEqual(['m1-aaaaaa', 'm2-aaaaaa']);
    expect(await s.markRead('ann', 'ann:bob', 1)).toBe(1);
    expect(await s.unreadIn('ann', 'ann:bob')).toBe(1);
    // Never back, never past the last message.
    expect(await s.markRead('ann', 'ann:bob', 0)).toBe(1);
    expect(await s.markRead('ann', 'ann:bob', 99)).toBe(3);
    expect(await s.unreadIn('ann', 'ann:bob')).toBe(0);
    expect(await s.markRead('ann', 'ann:zz', 5)).toBe(0);
    expect((await s.unreadFor('ann', 10)).map((m) => m.clientId)).toEqual(['m4-aaaaaa']);
    expect((await list('ann'))[0]).toMatchObject({ readSeq: 3, unread: 0 });
    // A new message after the marker is unread again.
    await s.appendMessages([msg('bob', 'ann', 'm5-aaaaaa')]);
    expect(await s.unreadIn('ann', 'ann:bob')).toBe(1);
  });

  test('groups: made once with their members, seq like a pair, unread counts the others, join and leave, never a pair', async () => {
    const s = await factory.open();
    for (const n of ['ann', 'bob', 'cy', 'dee']) await s.createUser(n, 'h', 1);
    expect(await s.createGroup('#team', 'ann', ['bob', 'cy', 'bob', 'ann'], 50)).toBe(true);
    expect(await s.createGroup('#team', 'dee', [], 51)).toBe(false);
    expect(await s.getGroup('#team')).toEqual({ group: '#team', members: ['ann', 'bob', 'cy'], createdBy: 'ann', createdAt: 50 });
    expect(await s.getGroup('#none')).toBeNull();
    expect(await s.groupsOf('bob')).toEqual(['#team']);
    expect(await s.groupsOf('dee')).toEqual([]);
    // A new group is in its members' lists before any message, with nothing unread.
    expect((await s.conversationsOf('cy')).map((c) => [c.with, c.conversation, c.lastSeq, c.unread, c.last])).toEqual([
      ['#team', '#team', 0, 0, null],
    ]);

    const r = await s.appendMessages([msg('ann', '#team', 'g1-aaaaaa'), msg('bob', '#team', 'g2-aaaaaa'), msg('ann', 'bob', 'p1-aaaaaa')]);
    expect(r.map((x) => [x.message.conversation, x.message.seq, x.message.to])).toEqual([
      ['#team', 1, '#team'],
      ['#team', 2, '#team'],
      ['ann:bob', 1, 'bob'],
    ]);
    // A resend to the group is the original.
    const [again] = await s.appendMessages([msg('ann', '#team', 'g1-aaaaaa')]);
    expect(again).toMatchObject({ duplicate: true, message: { seq: 1 } });
    const summary = async (u: string) => (await s.conversationsOf(u)).find((c) => c.with === '#team');
    expect(await summary('cy')).toMatchObject({ lastSeq: 2, readSeq: 0, unread: 2 });
    expect(await summary('ann')).toMatchObject({ unread: 1 });
    expect((await summary('bob'))?.last?.clientId).toBe('g2-aaaaaa');
    // Writing a line reads what came before it: bob's marker counts from his own line.
    expect(await summary('bob')).toMatchObject({ readSeq: 2, unread: 0 });
    expect(await s.unreadIn('bob', '#team')).toBe(0);
    expect(await s.unreadIn('cy', '#team')).toBe(2);
    expect(await s.markRead('cy', '#team', 1)).toBe(1);
    expect(await s.unreadIn('cy', '#team')).toBe(1);
    expect((await s.history('#team', 10)).map((m) => m.clientId)).toEqual(['g1-aaaaaa', 'g2-aaaaaa']);
    expect((await s.messagesAfter('#team', 1, 10)).map((m) => m.clientId)).toEqual(['g2-aaaaaa']);
    // Group messages are not private messages: the inbox of pairs leaves them out, and names the group with its count.
    expect((await s.unreadFor('cy', 10)).map((m) => m.clientId)).toEqual([]);
    expect(await s.unreadGroupsOf('cy')).toEqual([{ group: '#team', unread: 1 }]);
    expect(await s.unreadGroupsOf('ann')).toEqual([{ group: '#team', unread: 1 }]);
    // Nothing unread (bob wrote the newest line), or no groups at all: not listed.
    expect(await s.unreadGroupsOf('bob')).toEqual([]);
    expect(await s.unreadGroupsOf('dee')).toEqual([]);
    expect(await s.unreadGroupsOf('nobody')).toEqual([]);

    // One who joins starts with the history and nothing unread.
    expect(await s.addGroupMember('#team', 'dee', 60)).toBe(true);
    expect(await s.addGroupMember('#team', 'dee', 61)).toBe(false);
    expect(await summary('dee')).toMatchObject({ lastSeq: 2, readSeq: 2, unread: 0 });
    await s.appendMessages([msg('bob', '#team', 'g3-aaaaaa')]);
    expect(await summary('dee')).toMatchObject({ lastSeq: 3, unread: 1 });

    // One who leaves loses it from their list and their marker; a second leave changes nothing.
    expect(await s.removeGroupMember('#team', 'cy')).toBe(true);
    expect(await s.removeGroupMember('#team', 'cy')).toBe(false);
    expect(await summary('cy')).toBeUndefined();
    expect(await s.groupsOf('cy')).toEqual([]);
    expect((await s.getGroup('#team'))?.members).toEqual(['ann', 'bob', 'dee']);
    expect(await s.addGroupMember('#team', 'cy', 70)).toBe(true);
    expect(await summary('cy')).toMatchObject({ readSeq: 3, unread: 0 });

    // A removed account leaves its groups.
    expect(await s.removeUser('dee')).toBe(true);
    expect((await s.getGroup('#team'))?.members).toEqual(['ann', 'bob', 'cy']);
    // Pair conversations are as they were.
    expect((await s.conversationsOf('bob')).map((c) => c.with).sort()).toEqual(['#team', 'ann']);
  });

  test('unreadGroupsOf: every group with something unread, in byte order, counted as the list counts them', async () => {
    const s = await factory.open();
    for (const n of ['ann', 'bob']) await s.createUser(n, 'h', 1);
    for (const g of ['#team', '#a-side', '#quiet', '#a.b']) expect(await s.createGroup(g, 'bob', ['ann'], 50)).toBe(true);
    await s.appendMessages([
      msg('bob', '#team', 't1-aaaaaa'),
      msg('bob', '#a-side', 'x1-aaaaaa'),
      msg('bob', '#a-side', 'x2-aaaaaa'),
      msg('bob', '#a.b', 'y1-aaaaaa'),
    ]);
    // '-' (0x2d) before '.' (0x2e) on both stores; #quiet has nothing.
    expect(await s.unreadGroupsOf('ann')).toEqual([
      { group: '#a-side', unread: 2 },
      { group: '#a.b', unread: 1 },
      { group: '#team', unread: 1 },
    ]);
    expect(await s.markRead('ann', '#a-side', 1)).toBe(1);
    // ann's own line in #a.b reads what came before it.
    await s.appendMessages([msg('ann', '#a.b', 'y2-aaaaaa')]);
    expect(await s.unreadGroupsOf('ann')).toEqual([
      { group: '#a-side', unread: 1 },
      { group: '#team', unread: 1 },
    ]);
    const fromList = (await s.conversationsOf('ann')).filter((c) => c.unread > 0).map((c) => ({ group: c.with, unread: c.unread }));
    expect(fromList.sort((x, y) => (x.group < y.group ? -1 : 1))).toEqual(await s.unreadGroupsOf('ann'));
    expect(await s.removeGroupMember('#team', 'ann')).toBe(true);
    expect(await s.unreadGroupsOf('ann')).toEqual([{ group: '#a-side', unread: 1 }]);
  });

  test('blocks', async () => {
    const s = await factory.open();
    await s.block('ann', 'bob', 1);
    await s.block('ann', 'bob', 2);
    await s.block('ann', 'al', 3);
    await s.block('cy', 'bob', 4);
    expect(await s.blockedBy('ann')).toEqual(['al', 'bob']);
    expect((await s.blockersOf('bob')).sort()).toEqual(['ann', 'cy']);
    expect(await s.blockersOf('bob', ['cy', 'zed'])).toEqual(['cy']);
    expect(await s.unblock('ann', 'bob')).toBe(true);
    expect(await s.unblock('ann', 'bob')).toBe(false);
    expect(await s.blockedBy('ann')).toEqual(['al']);
  });

  test('removing a user takes sessions, blocks and read markers; messages stay with the other party', async () => {
    const s = await factory.open();
    for (const n of ['ann', 'bob']) await s.createUser(n, 'h', 1);
    await s.createSession({ tokenHash: 'tb', user: 'bob', createdAt: 1, lastUsedAt: 1 });
    await s.block('bob', 'ann', 1);
    await s.block('ann', 'bob', 1);
    await s.appendMessages([msg('bob', 'ann', 'r1-aaaaaa')]);
    await s.markRead('bob', 'ann:bob', 1);
    expect(await s.removeUser('bob')).toBe(true);
    expect(await s.removeUser('bob')).toBe(false);
    expect(await s.getUser('bob')).toBeNull();
    expect(await s.getSession('tb')).toBeNull();
    expect(await s.blockedBy('ann')).toEqual([]);
    expect(await s.blockersOf('ann')).toEqual([]);
    expect((await s.history('ann:bob', 10)).map((m) => m.clientId)).toEqual(['r1-aaaaaa']);
    expect((await s.unreadFor('ann', 10)).map((m) => m.clientId)).toEqual(['r1-aaaaaa']);
  });

  test('broadcasts: kept for the sender and the recipients given, paged backwards by id, a resend stored once, removed users lose their copies', async () => {
    const s = await factory.open();
    for (const n of ['ann', 'ben', 'cat']) await s.createUser(n, 'h', 1);
    const b = (text: string, clientId: string, at = 1_700_000_000_000) => ({ from: 'ann', text, at, clientId });
    const first = await s.appendBroadcast(b('one 🎉', 'bc-000001'), ['ben', 'cat']);
    expect(first).toEqual({
      duplicate: false,
      message: { id: first.message.id, from: 'ann', text: 'one 🎉', at: 1_700_000_000_000, clientId: 'bc-000001' },
    });
    const second = await s.appendBroadcast(b('two', 'bc-000002', 1_700_000_000_005), ['ben', 'ben', 'ann']);
    expect(second.message.id).toBeGreaterThan(first.message.id);
    const again = await s.appendBroadcast(b('two', 'bc-000002', 1_700_000_000_009), ['cat']);
    expect(again).toEqual({ duplicate: true, message: second.message });
    const texts = async (user: string, limit = 50, before?: number) => (await s.broadcastsFor(user, limit, before)).map((m) => m.text);
    expect(await texts('ann')).toEqual(['one 🎉', 'two']);
    expect(await texts('ben')).toEqual(['one 🎉', 'two']);
    expect(await texts('cat')).toEqual(['one 🎉']); // the resend added no one
    expect(await texts('ben', 1)).toEqual(['two']);
    expect(await texts('ben', 1, second.message.id)).toEqual(['one 🎉']);
    expect(await texts('ben', 5, first.message.id)).toEqual([]);
    expect(await s.removeUser('ben')).toBe(true);
    expect(await texts('ben')).toEqual([]);
    expect(await texts('ann')).toEqual(['one 🎉', 'two']);
  });

  test('concurrent appends to one conversation: every seq once, no gaps, every clientId once', async () => {
    const s = await factory.open();
    const sends = Array.from({ length: 60 }, (_, i) => s.appendMessages([msg(i % 2 ? 'a' : 'b', i % 2 ? 'b' : 'a', `cc-${i % 40}-aaaa`)]));
    const results = (await Promise.all(sends)).flat();
    const stored = await s.history('a:b', 200);
    expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));
    expect(new Set(stored.map((m) => `${m.from}/${m.clientId}`)).size).toBe(stored.length);
    // Every answer, duplicate or not, names a stored message.
    const byKey = new Map(stored.map((m) => [`${m.from}/${m.clientId}`, m]));
    for (const r of results) expect(byKey.get(`${r.message.from}/${r.message.clientId}`)).toEqual(r.message);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(stored.length);
  });

  test('MessageWriter group commit on this store: one transaction for a burst, seqs in arrival order', async () => {
    const s = await factory.open();
    const writer = new MessageWriter(s);
    const sends = Array.from({ length: 200 }, (_, i) => writer.append([msg('a', 'b', `gc-${i}-aaaaaa`)]));
    const seqs = (await Promise.all(sends)).map((r) => r[0]!.message.seq);
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(writer.stats.batches).toBe(1);
    await writer.drain();
  });
});

/**
 * Search on both stores. ann is in ann:bob, ann:cy and #team (ann, bob); cy and dee talk in cy:dee
 * and #other, which ann is not in: whatever they say must never reach her results.
 */
describe.each([sqlite, postgres])('$name: search', (factory) => {
  const texts = (l: { text: string }[]) => l.map((m) => m.text);
  const ids = (l: { id: number }[]) => l.map((m) => m.id);

  async function world(): Promise<Store> {
    const s = await factory.open();
    for (const n of ['ann', 'bob', 'cy', 'dee']) await s.createUser(n, 'h', 1);
    await s.createGroup('#team', 'ann', ['bob'], 2);
    await s.createGroup('#other', 'cy', ['dee'], 2);
    let n = 0;
    const say = (from: string, to: string, text: string) => msg(from, to, `w-${++n}-aaaaaa`, { text });
    await s.appendMessages([
      say('ann', 'bob', 'Lunchtime! Where shall we go?'),
      say('bob', 'ann', 'the café on the corner, at noon'),
      say('ann', 'cy', 'CAFÉ AU LAIT for me'),
      say('bob', '#team', 'lunch at noon, team'),
      say('cy', 'dee', 'lunch at noon? secret'),
      say('dee', '#other', 'lunch in the other group'),
      say('ann', 'bob', 'Crème brûlée for dessert'),
      say('bob', 'ann', 'mail lunch@example.com, see example.com/menu, well-known since v3.14'),
    ]);
    return s;
  }

  test('finds the newest first; a word nobody wrote finds nothing; no terms find nothing', async () => {
    const s = await world();
    expect(texts(await s.search('ann', ['noon'], { limit: 10 }))).toEqual(['lunch at noon, team', 'the café on the corner, at noon']);
    expect(await s.search('ann', ['zebra'], { limit: 10 })).toEqual([]);
    expect(await s.search('ann', [], { limit: 10 })).toEqual([]);
    const [found] = await s.search('ann', ['dessert'], { limit: 10 });
    expect(found).toMatchObject({
      conversation: 'ann:bob',
      seq: 3,
      from: 'ann',
      to: 'bob',
      kind: 'direct',
      text: 'Crème brûlée for dessert',
    });
  });

  test("never another pair's messages nor a group's one is not in now", async () => {
    const s = await world();
    // cy:dee and #other say lunch too; ann sees only hers.
    expect(texts(await s.search('ann', ['lunch'], { limit: 10 }))).toEqual([
      'mail lunch@example.com, see example.com/menu, well-known since v3.14',
      'lunch at noon, team',
      'Lunchtime! Where shall we go?',
    ]);
    expect(texts(await s.search('dee', ['lunch'], { limit: 10 }))).toEqual(['lunch in the other group', 'lunch at noon? secret']);
    expect(await s.search('ann', ['secret'], { limit: 10 })).toEqual([]);
    // Asked for a conversation not hers, still nothing.
    expect(await s.search('ann', ['secret'], { limit: 10, conversation: 'cy:dee' })).toEqual([]);
    expect(await s.search('ann', ['lunch'], { limit: 10, conversation: '#other' })).toEqual([]);
    // Leaving a group takes its messages out of one's results; those of a pair stay.
    expect(await s.removeGroupMember('#team', 'bob')).toBe(true);
    expect(texts(await s.search('bob', ['noon'], { limit: 10 }))).toEqual(['the café on the corner, at noon']);
    expect(await s.search('nobody', ['lunch'], { limit: 10 })).toEqual([]);
  });

  test('a term matches the start of a word, in any case, with or without accents', async () => {
    const s = await world();
    expect(texts(await s.search('ann', ['lunchtime'], { limit: 10 }))).toEqual(['Lunchtime! Where shall we go?']);
    expect(await s.search('ann', ['unch'], { limit: 10 })).toEqual([]); // the middle of a word is not its start
    expect(texts(await s.search('ann', ['café'], { limit: 10 }))).toEqual(['CAFÉ AU LAIT for me', 'the café on the corner, at noon']);
    expect(texts(await s.search('ann', ['cafe'], { limit: 10 }))).toEqual(['CAFÉ AU LAIT for me', 'the café on the corner, at noon']);
    expect(texts(await s.search('ann', ['creme', 'brulee'], { limit: 10 }))).toEqual(['Crème brûlée for dessert']);
    // Words joined by punctuation are words of their own, as searchTerms splits them.
    for (const word of ['example', 'com', 'menu', 'known', '14']) {
      expect(texts(await s.search('ann', [word], { limit: 10 }))).toEqual([
        'mail lunch@example.com, see example.com/menu, well-known since v3.14',
      ]);
    }
  });

  test('words of any script: Cyrillic in any case, Devanagari with its vowel signs, Greek, CJK by the start of a run', async () => {
    const s = await factory.open();
    const said = ['ПРИВЕТ, мир', 'हिन्दी भाषा', 'Καλημέρα κόσμε', '東京タワーへ行こう'];
    await s.appendMessages(said.map((text, i) => msg('a', 'b', `s-${i}-aaaaaa`, { text })));
    for (const [term, text] of [
      ['привет', said[0]],
      ['мир', said[0]],
      ['हिन्दी', said[1]],
      ['καλημέρα', said[2]],
      ['東京', said[3]],
    ] as const) {
      expect(texts(await s.search('a', [term], { limit: 10 }))).toEqual([text]);
    }
  });

  test('every term must match', async () => {
    const s = await world();
    expect(texts(await s.search('ann', ['lunch', 'noon'], { limit: 10 }))).toEqual(['lunch at noon, team']);
    expect(texts(await s.search('ann', ['noon', 'caf'], { limit: 10 }))).toEqual(['the café on the corner, at noon']);
    expect(await s.search('ann', ['lunch', 'dessert'], { limit: 10 })).toEqual([]);
  });

  test('one conversation only', async () => {
    const s = await world();
    expect(texts(await s.search('ann', ['noon'], { limit: 10, conversation: 'ann:bob' }))).toEqual(['the café on the corner, at noon']);
    expect(texts(await s.search('ann', ['noon'], { limit: 10, conversation: '#team' }))).toEqual(['lunch at noon, team']);
    expect(await s.search('ann', ['noon'], { limit: 10, conversation: 'ann:cy' })).toEqual([]);
  });

  test('pages by id: newest first, each below the last one given, without repeats or gaps', async () => {
    const s = await factory.open();
    await s.appendMessages(
      Array.from({ length: 37 }, (_, i) =>
        msg(i % 2 ? 'a' : 'b', i % 2 ? 'b' : 'a', `p-${i}-aaaaaa`, { text: i % 3 ? `word ${i}` : `other ${i}` }),
      ),
    );
    const all = await s.search('a', ['word'], { limit: 100 });
    expect(all).toHaveLength(24);
    expect(ids(all)).toEqual([...ids(all)].sort((x, y) => y - x));
    const paged: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await s.search('a', ['word'], { limit: 5, before });
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(5);
      for (const m of page) expect(m.id).toBeLessThan(before ?? Infinity);
      paged.push(...ids(page));
      before = page.at(-1)!.id;
    }
    expect(paged).toEqual(ids(all));
  });

  test('stops once the texts reach maxTextBytes, giving at least one message', async () => {
    const s = await factory.open();
    // Texts of 1,000 bytes (a 3-byte character counts 3).
    await s.appendMessages(Array.from({ length: 6 }, (_, i) => msg('a', 'b', `b-${i}-aaaaaa`, { text: `big ${'€'.repeat(332)}${i}` })));
    const seqs = (l: { seq: number }[]) => l.map((m) => m.seq);
    expect(seqs(await s.search('a', ['big'], { limit: 10, maxTextBytes: 2500 }))).toEqual([6, 5, 4]);
    expect(seqs(await s.search('a', ['big'], { limit: 10, maxTextBytes: 1 }))).toEqual([6]);
    expect(seqs(await s.search('a', ['big'], { limit: 2, maxTextBytes: 1e9 }))).toEqual([6, 5]);
  });

  test("the index's syntax is inert: quotes, stars, NEAR, OR, NOT, ^, :, -, &, !, parentheses, backslashes", async () => {
    const s = await factory.open();
    const said = ['to be OR NOT to be', 'NEAR(a b) "quoted" *star* ^caret col:on a-b x&y !bang (paren) back\\slash', 'lunch'];
    await s.appendMessages(said.map((text, i) => msg('a', 'b', `x-${i}-aaaaaa`, { text })));
    // Operators are words like any other.
    expect(texts(await s.search('a', ['or'], { limit: 10 }))).toEqual([said[0]]);
    expect(texts(await s.search('a', ['not', 'be'], { limit: 10 }))).toEqual([said[0]]);
    expect(texts(await s.search('a', ['near'], { limit: 10 }))).toEqual([said[1]]);
    // What searchTerms never gives: syntax inside a term is a separator, never an operator or an error.
    expect(texts(await s.search('a', ['"lunch"*'], { limit: 10 }))).toEqual(['lunch']);
    expect(texts(await s.search('a', ['lunch OR be'], { limit: 10 }))).toEqual([]);
    expect(texts(await s.search('a', ['quoted"'], { limit: 10 }))).toEqual([said[1]]);
    expect(texts(await s.search('a', ['col:on'], { limit: 10 }))).toEqual([said[1]]);
    expect(texts(await s.search('a', ["x'y"], { limit: 10 }))).toEqual([said[1]]); // the words x and y, side by side in "x&y"
    for (const odd of ['*', '"', "'", '\\', ':*', '&', '!', '|', '(', ')', '(*)', '^', '-', '<->', "''", '""', '_']) {
      expect(await s.search('a', [odd], { limit: 10 })).toEqual([]);
      expect(texts(await s.search('a', ['lunch', odd], { limit: 10 }))).toEqual(['lunch']);
    }
  });
});

describe('SqliteStore only: search', () => {
  test('runs on a thread of its own, started again when it dies; a search in flight then fails, none hangs', async () => {
    const s = await sqlite.open();
    await s.appendMessages([msg('a', 'b', 'thr-1-aaaaaa', { text: 'hello there' })]);
    const search = async () => (await s.search('a', ['hello'], { limit: 5 })).map((m) => m.text);
    expect(await search()).toEqual(['hello there']);
    const thread = (s as unknown as { searcher: { worker: Worker | null } }).searcher;
    const first = thread.worker!;
    expect(first).toBeInstanceOf(Worker);
    await first.terminate();
    expect(await search()).toEqual(['hello there']);
    expect(thread.worker).not.toBe(first);
    // Killed with a search sent to it: that one is answered (it came first) or refused, never left hanging; the next is answered.
    const second = thread.worker!;
    const [pending] = await Promise.allSettled([search(), second.terminate()]);
    if (pending!.status === 'rejected') expect(String(pending!.reason)).toMatch(/the database search thread (exited|failed)/);
    else expect(pending!.value).toEqual(['hello there']);
    expect(await search()).toEqual(['hello there']);
  });
});

describe('PostgresStore only', () => {
  test('nodes starting together on an empty database run the migrations once', async () => {
    const fresh = await createTestDatabase();
    try {
      const stores = await Promise.all(Array.from({ length: 5 }, () => PostgresStore.open(fresh.url)));
      await Promise.all(stores.map((s) => s.close()));
      const c = new pg.Client({ connectionString: fresh.url });
      await c.connect();
      const { rows } = await c.query<{ version: number }>('SELECT version FROM tui_chat_schema ORDER BY version');
      await c.end();
      expect(rows.map((r) => r.version)).toEqual(pgMigrations.map((_, i) => i + 1));
    } finally {
      await fresh.drop();
    }
  });

  test('refuses a database written by a newer tui-chat', async () => {
    const fresh = await createTestDatabase();
    try {
      await (await PostgresStore.open(fresh.url)).close();
      const c = new pg.Client({ connectionString: fresh.url });
      await c.connect();
      await c.query('INSERT INTO tui_chat_schema (version) VALUES (99)');
      await c.end();
      await expect(PostgresStore.open(fresh.url)).rejects.toThrow(/newer tui-chat \(schema 99/);
    } finally {
      await fresh.drop();
    }
  });

  test('two nodes writing the same conversations at once: no deadlock, no gap, a resend stored once', async () => {
    const one = await postgres.open();
    const two = await postgres.again();
    // Batches that touch several conversations in opposite orders, and the same clientIds from both nodes.
    const batch = (k: number, reverse: boolean): NewMessage[] => {
      const pairs: [string, string][] = [
        ['a', 'b'],
        ['a', 'c'],
        ['b', 'c'],
        ['c', 'd'],
      ];
      const list = pairs.map(([f, t]) => msg(f, t, `node-${k}-aaaa`));
      return reverse ? list.reverse() : list;
    };
    const runs = Array.from({ length: 40 }, (_, k) => [one.appendMessages(batch(k, false)), two.appendMessages(batch(k, true))]).flat();
    const settled = await Promise.allSettled(runs);
    expect(settled.filter((r) => r.status === 'rejected')).toEqual([]);
    for (const conv of ['a:b', 'a:c', 'b:c', 'c:d']) {
      const stored = await one.history(conv, 500);
      expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(new Set(stored.map((m) => m.clientId)).size).toBe(40);
    }
  });

  test('location hides the password', async () => {
    const url = new URL(pgDb!.url);
    url.password = 'hunter2';
    // trust auth ignores the password, so this connects.
    const s = await PostgresStore.open(url.toString());
    opened.push(s);
    expect(s.location).not.toContain('hunter2');
    expect(s.location).toContain(':***@');
  });

  test.each([
    ['postgres://postgres@127.0.0.1:1/x', /cannot use the database postgres:\/\/postgres@127\.0\.0\.1:1\/x: connection refused/],
    [`postgres://postgres@127.0.0.1:5432/tuichat_missing_${process.pid}`, /does not exist/],
    ['postgres://postgres@127.0.0.1:5432', /names no database/],
    ['postgres://user:pw@[::1', /not a valid PostgreSQL URL/],
  ])('%s is refused with one clear sentence', async (url, pattern) => {
    const err = await PostgresStore.open(url).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreOpenError);
    expect((err as Error).message).toMatch(pattern);
    expect((err as Error).message).not.toMatch(/pw@/);
  });
});
