import { describe, expect, test } from '@jest/globals';
import type { BroadcastMessage, ReplyOf } from '@tui-chat/protocol';
import { cid, expectError, next, request, startHarness, type TestSocket } from './helpers.js';
import { perTest } from '@tui-chat/testkit';

const h = perTest(() => startHarness());

function collect(socket: TestSocket): BroadcastMessage[] {
  const got: BroadcastMessage[] = [];
  socket.on('broadcast:new', (m) => got.push(m));
  return got;
}

describe('broadcast to everyone online', () => {
  test('reaches every other online session, names the recipients, and is not stored for offline users', async () => {
    await (await h.register('zed')).socket.disconnect();
    const alice = await h.register('alice');
    const alice2 = await h.login('alice');
    const bob = await h.register('bob');
    const carol = await h.register('carol');
    const arrivals = Promise.all([
      next(bob.socket, 'broadcast:new'),
      next(carol.socket, 'broadcast:new'),
      next(alice2.socket, 'broadcast:new'),
    ]);
    const ownCopy = collect(alice.socket);
    const reply = await request(alice.socket, 'broadcast:send', { text: 'hello all', clientId: cid() });
    expect(reply.ok && reply.recipients).toEqual(['bob', 'carol']);
    for (const m of await arrivals) expect(m).toMatchObject({ from: 'alice', text: 'hello all' });
    // The sending socket has its ack; it does not get an echo.
    await request(alice.socket, 'presence:whoelse', {});
    expect(ownCopy).toEqual([]);
    const zed = await h.login('zed');
    const inbox = await request(zed.socket, 'inbox:fetch', {});
    expect(inbox.ok && inbox.total).toBe(0);
  });

  test('users who block the sender do not get it', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    const carol = await h.register('carol');
    await request(bob.socket, 'block:add', { user: 'alice' });
    const bobGot = collect(bob.socket);
    const carolGets = next(carol.socket, 'broadcast:new');
    const reply = await request(alice.socket, 'broadcast:send', { text: 'hi', clientId: cid() });
    expect(reply.ok && reply.recipients).toEqual(['carol']);
    await carolGets;
    await request(bob.socket, 'presence:whoelse', {}); // a round trip after the broadcast went out
    expect(bobGot).toEqual([]);
  });

  test('is kept for the sender and for those online to get it: broadcasts:fetch pages them, newest last; not for those offline or blocking', async () => {
    await (await h.register('zed')).socket.disconnect();
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    const carol = await h.register('carol');
    await request(carol.socket, 'block:add', { user: 'alice' });
    const sent: BroadcastMessage[] = [];
    for (let i = 1; i <= 5; i++) {
      const bobGets = next(bob.socket, 'broadcast:new');
      const reply = await request(alice.socket, 'broadcast:send', { text: `b${i}`, clientId: cid() });
      if (!reply.ok) throw new Error(reply.error.message);
      expect(reply.message).toMatchObject({ from: 'alice', text: `b${i}` });
      // What the others get is what was stored, id included.
      expect(await bobGets).toEqual(reply.message);
      sent.push(reply.message);
    }
    expect(sent.map((m) => m.id)).toEqual([...sent.map((m) => m.id)].sort((x, y) => x - y));
    const texts = (r: ReplyOf<'broadcasts:fetch'>) => (r.ok ? r.messages.map((m) => m.text) : r.error.message);
    for (const who of [alice, bob])
      expect(texts(await request(who.socket, 'broadcasts:fetch', {}))).toEqual(['b1', 'b2', 'b3', 'b4', 'b5']);
    const page = await request(bob.socket, 'broadcasts:fetch', { limit: 2 });
    expect(page.ok && page.messages.map((m) => m.text)).toEqual(['b4', 'b5']);
    expect(page.ok && page.before).toBe(sent[3]!.id);
    const older = await request(bob.socket, 'broadcasts:fetch', { limit: 2, before: sent[3]!.id });
    expect(older.ok && older.messages.map((m) => m.text)).toEqual(['b2', 'b3']);
    const oldest = await request(bob.socket, 'broadcasts:fetch', { limit: 2, before: sent[1]!.id });
    expect(oldest.ok && oldest.messages.map((m) => m.text)).toEqual(['b1']);
    expect(oldest.ok && oldest.before).toBeNull();
    // carol blocks alice, zed was offline: neither has them.
    expect(texts(await request(carol.socket, 'broadcasts:fetch', {}))).toEqual([]);
    const zed = await h.login('zed');
    expect(texts(await request(zed.socket, 'broadcasts:fetch', {}))).toEqual([]);
    // A new session of bob (a new login) still has them.
    bob.socket.disconnect();
    const bobAgain = await h.login('bob');
    expect(texts(await request(bobAgain.socket, 'broadcasts:fetch', {}))).toEqual(['b1', 'b2', 'b3', 'b4', 'b5']);
  });

  test('a resend with the same clientId is stored once and answered with the original', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    const clientId = cid();
    const first = await request(alice.socket, 'broadcast:send', { text: 'once', clientId });
    const again = await request(alice.socket, 'broadcast:send', { text: 'once', clientId });
    expect(first.ok && first.duplicate).toBe(false);
    expect(again.ok && again.duplicate).toBe(true);
    expect(again.ok && again.message).toEqual(first.ok && first.message);
    const kept = await request(bob.socket, 'broadcasts:fetch', {});
    expect(kept.ok && kept.messages.map((m) => m.text)).toEqual(['once']);
  });

  test('empty and oversized broadcasts are refused', async () => {
    const alice = await h.register('alice');
    expectError(await request(alice.socket, 'broadcast:send', { text: '  ', clientId: cid() }), 'empty_message');
    expectError(await request(alice.socket, 'broadcast:send', { text: 'x'.repeat(9000), clientId: cid() }), 'message_too_long');
  });
});

describe('broadcast to a list of users', () => {
  test('online users get it now, offline ones in their inbox, and the ack names both', async () => {
    await (await h.register('dave')).socket.disconnect();
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    const arrival = next(bob.socket, 'message:new');
    const payload = { to: ['bob', 'Dave', 'bob'], text: 'meeting at 5', clientId: cid() };
    const reply = await request(alice.socket, 'broadcast:list', payload);
    if (!reply.ok) throw new Error(reply.error.message);
    expect(reply.delivered).toEqual(['bob']);
    expect(reply.inbox).toEqual(['dave']);
    const first = await arrival;
    expect(first).toMatchObject({ from: 'alice', to: 'bob', text: 'meeting at 5', kind: 'broadcast' });
    // A resend stores nothing new but delivers again (the first delivery may have died with its node).
    const again = next(bob.socket, 'message:new');
    const resent = await request(alice.socket, 'broadcast:list', payload);
    expect(resent.ok && resent.messages).toEqual(reply.messages);
    expect(await again).toEqual(first);
    const dave = await h.login('dave');
    const inbox = await request(dave.socket, 'inbox:fetch', {});
    expect(inbox.ok && inbox.groups).toEqual([
      { from: 'alice', messages: [expect.objectContaining({ text: 'meeting at 5', kind: 'broadcast' })] },
    ]);
  });

  test('unknown names are an error that lists them, and nothing is sent', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    const bobGot: unknown[] = [];
    bob.socket.on('message:new', (m) => bobGot.push(m));
    const err = expectError(
      await request(alice.socket, 'broadcast:list', { to: ['bob', 'ghost', 'nobody'], text: 'x', clientId: cid() }),
      'unknown_user',
    );
    expect(err.names).toEqual(['ghost', 'nobody']);
    expect(err.message).toMatch(/ghost, nobody/);
    const hist = await request(alice.socket, 'history:fetch', { with: 'bob' });
    expect(hist.ok && hist.messages).toEqual([]);
    expect(bobGot).toEqual([]);
  });

  test('invalid names, yourself, a blocking recipient and an empty list are refused', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    await h.register('carol');
    expectError(await request(alice.socket, 'broadcast:list', { to: ['bob', '../x'], text: 'x', clientId: cid() }), 'invalid_name');
    expectError(await request(alice.socket, 'broadcast:list', { to: ['bob', 'alice'], text: 'x', clientId: cid() }), 'self_message');
    expectError(await request(alice.socket, 'broadcast:list', { to: [], text: 'x', clientId: cid() }), 'bad_request');
    await request(bob.socket, 'block:add', { user: 'alice' });
    const err = expectError(await request(alice.socket, 'broadcast:list', { to: ['bob', 'carol'], text: 'x', clientId: cid() }), 'blocked');
    expect(err.names).toEqual(['bob']);
    const hist = await request(alice.socket, 'history:fetch', { with: 'carol' });
    expect(hist.ok && hist.messages).toEqual([]);
  });
});
