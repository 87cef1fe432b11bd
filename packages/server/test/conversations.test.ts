import { describe, expect, test } from '@jest/globals';
import { cid, disconnected, expectError, next, request, startHarness } from './helpers.js';
import { perTest } from '@tui-chat/testkit';

const h = perTest(() => startHarness());

async function send(socket: Parameters<typeof request>[0], to: string, text: string) {
  const r = await request(socket, 'message:send', { to, text, clientId: cid() });
  if (!r.ok) throw new Error(r.error.message);
  return r.message;
}

describe('history', () => {
  test('pages backwards with a cursor until the start', async () => {
    const alice = await h.register('alice');
    await h.register('bob');
    for (let i = 1; i <= 12; i++) await send(alice.socket, 'bob', `m${i}`);
    const page1 = await request(alice.socket, 'history:fetch', { with: 'bob', limit: 5 });
    if (!page1.ok) throw new Error();
    expect(page1.messages.map((m) => m.text)).toEqual(['m8', 'm9', 'm10', 'm11', 'm12']);
    expect(page1.before).toBe(8);
    const page2 = await request(alice.socket, 'history:fetch', { with: 'bob', limit: 5, before: page1.before! });
    if (!page2.ok) throw new Error();
    expect(page2.messages.map((m) => m.text)).toEqual(['m3', 'm4', 'm5', 'm6', 'm7']);
    const page3 = await request(alice.socket, 'history:fetch', { with: 'bob', limit: 5, before: page2.before! });
    if (!page3.ok) throw new Error();
    expect(page3.messages.map((m) => m.text)).toEqual(['m1', 'm2']);
    expect(page3.before).toBeNull();
    expect(page1.messages.map((m) => m.seq)).toEqual([8, 9, 10, 11, 12]);
  });

  test('errors: unknown user, yourself, bad cursor shape', async () => {
    const alice = await h.register('alice');
    expectError(await request(alice.socket, 'history:fetch', { with: 'ghost' }), 'unknown_user');
    expectError(await request(alice.socket, 'history:fetch', { with: 'alice' }), 'self_message');
    expectError(await request(alice.socket, 'history:fetch', { with: 'bob', before: -3 }), 'bad_request');
    expectError(await request(alice.socket, 'history:fetch', { with: 'bob', limit: 0 }), 'bad_request');
  });
});

describe('inbox, read markers and conversations', () => {
  test('inbox groups unread messages by sender, then marks them read on every session', async () => {
    await (await h.register('carol')).socket.disconnect();
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    await send(alice.socket, 'carol', 'a1');
    await send(bob.socket, 'carol', 'b1');
    await send(alice.socket, 'carol', 'a2');
    const carol = await h.login('carol');
    const carol2 = await h.login('carol');
    const list = await request(carol.socket, 'conversations:list', {});
    expect(list.ok && list.conversations.map((c) => [c.with, c.unread, c.online])).toEqual([
      ['alice', 2, true],
      ['bob', 1, true],
    ]);
    const synced = next(carol2.socket, 'read:update');
    const inbox = await request(carol.socket, 'inbox:fetch', {});
    if (!inbox.ok) throw new Error();
    expect(inbox.groups.map((g) => [g.from, g.messages.map((m) => m.text)])).toEqual([
      ['alice', ['a1', 'a2']],
      ['bob', ['b1']],
    ]);
    expect(await synced).toMatchObject({ readSeq: expect.any(Number), unread: 0 });
    const after = await request(carol2.socket, 'conversations:list', {});
    expect(after.ok && after.conversations.map((c) => c.unread)).toEqual([0, 0]);
    const empty = await request(carol.socket, 'inbox:fetch', {});
    expect(empty.ok && empty.total).toBe(0);
  });

  test('read:mark moves the marker forward only, capped at the last message', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    for (let i = 0; i < 3; i++) await send(alice.socket, 'bob', `x${i}`);
    const bob2 = await h.login('bob');
    const synced = next(bob2.socket, 'read:update');
    expect(await request(bob.socket, 'read:mark', { with: 'alice', seq: 2 })).toEqual({ ok: true, readSeq: 2 });
    expect(await synced).toEqual({ with: 'alice', readSeq: 2, unread: 1 });
    expect(await request(bob.socket, 'read:mark', { with: 'alice', seq: 1 })).toEqual({ ok: true, readSeq: 2 });
    expect(await request(bob.socket, 'read:mark', { with: 'alice', seq: 99 })).toEqual({ ok: true, readSeq: 3 });
    expectError(await request(bob.socket, 'read:mark', { with: 'ghost', seq: 1 }), 'unknown_user');
  });
});

describe('block and unblock', () => {
  test('a blocked user is refused with a clear reply until unblocked', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    expect(await request(bob.socket, 'block:add', { user: 'Alice' })).toEqual({ ok: true, blocked: ['alice'], changed: true });
    // Blocking again changes nothing, and the reply says so (the client words it 'already').
    expect(await request(bob.socket, 'block:add', { user: 'alice' })).toEqual({ ok: true, blocked: ['alice'], changed: false });
    const err = expectError(await request(alice.socket, 'message:send', { to: 'bob', text: 'hi', clientId: cid() }), 'blocked');
    expect(err.message).toBe('bob does not accept messages from you.');
    // Blocking is one-way: bob can still write to alice.
    await send(bob.socket, 'alice', 'one way');
    expect(await request(bob.socket, 'block:list', {})).toEqual({ ok: true, blocked: ['alice'] });
    expect(await request(bob.socket, 'block:remove', { user: 'alice' })).toEqual({ ok: true, blocked: [], changed: true });
    expect(await request(bob.socket, 'block:remove', { user: 'alice' })).toEqual({ ok: true, blocked: [], changed: false });
    await send(alice.socket, 'bob', 'hi again');
  });

  test('errors: unknown user, yourself, bad name', async () => {
    const alice = await h.register('alice');
    expectError(await request(alice.socket, 'block:add', { user: 'ghost' }), 'unknown_user');
    expectError(await request(alice.socket, 'block:add', { user: 'alice' }), 'self_message');
    expectError(await request(alice.socket, 'block:add', { user: 'a b' }), 'invalid_name');
    expectError(await request(alice.socket, 'block:remove', { user: 'ghost' }), 'unknown_user');
  });
});

describe('logout', () => {
  test('ends only this session', async () => {
    const a1 = await h.register('alice');
    const a2 = await h.login('alice');
    const gone = disconnected(a1.socket);
    expect(await request(a1.socket, 'session:logout', {})).toEqual({ ok: true });
    await gone;
    expect(a2.socket.connected).toBe(true);
    expect((await request(a2.socket, 'presence:whoelse', {})).ok).toBe(true);
  });
});
