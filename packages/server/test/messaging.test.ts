import { describe, expect, test } from '@jest/globals';
import { cid, expectError, next, request, startHarness } from './helpers.js';
import { perTest } from '@tui-chat/testkit';

const h = perTest(() => startHarness());

describe('private messages', () => {
  test('are stored, acknowledged, and delivered to every session of both users', async () => {
    const alice = await h.register('alice');
    const bob1 = await h.register('bob');
    const bob2 = await h.login('bob');
    const alice2 = await h.login('alice');
    const arrivals = Promise.all([next(bob1.socket, 'message:new'), next(bob2.socket, 'message:new'), next(alice2.socket, 'message:new')]);
    const reply = await request(alice.socket, 'message:send', { to: 'Bob', text: 'hi bob', clientId: cid() });
    if (!reply.ok) throw new Error(reply.error.message);
    expect(reply.recipientOnline).toBe(true);
    expect(reply.duplicate).toBe(false);
    expect(reply.message).toMatchObject({ from: 'alice', to: 'bob', text: 'hi bob', seq: 1, conversation: 'alice:bob' });
    const got = await arrivals;
    for (const m of got) expect(m).toEqual(reply.message);
  });

  test('to an offline user wait in the inbox, and the ack says the recipient is offline', async () => {
    await (await h.register('bob')).socket.disconnect();
    const alice = await h.register('alice');
    const reply = await request(alice.socket, 'message:send', { to: 'bob', text: 'are you there?', clientId: cid() });
    expect(reply.ok && reply.recipientOnline).toBe(false);
    const bob = await h.login('bob');
    const inbox = await request(bob.socket, 'inbox:fetch', {});
    if (!inbox.ok) throw new Error();
    expect(inbox.total).toBe(1);
    expect(inbox.groups).toEqual([{ from: 'alice', messages: [expect.objectContaining({ text: 'are you there?' })] }]);
    const again = await request(bob.socket, 'inbox:fetch', {});
    expect(again.ok && again.total).toBe(0);
  });

  test('a resend with the same client id is stored once, answered with the original and delivered again', async () => {
    const bob = await h.register('bob');
    const alice = await h.register('alice');
    const id = cid();
    const firstArrival = next(bob.socket, 'message:new');
    const first = await request(alice.socket, 'message:send', { to: 'bob', text: 'once', clientId: id });
    await firstArrival;
    // Delivered again: the first try may have been stored by a node that died before delivering it.
    const again = next(bob.socket, 'message:new');
    const second = await request(alice.socket, 'message:send', { to: 'bob', text: 'once', clientId: id });
    if (!first.ok || !second.ok) throw new Error('send failed');
    expect(second.duplicate).toBe(true);
    expect(second.message).toEqual(first.message);
    expect(await again).toEqual(first.message);
    const hist = await request(alice.socket, 'history:fetch', { with: 'bob' });
    expect(hist.ok && hist.messages.length).toBe(1);
  });

  test('errors: unknown recipient, bad name, yourself, empty and oversized text', async () => {
    const alice = await h.register('alice');
    await h.register('bob');
    expectError(await request(alice.socket, 'message:send', { to: 'nobody', text: 'x', clientId: cid() }), 'unknown_user');
    expectError(await request(alice.socket, 'message:send', { to: '../etc/passwd', text: 'x', clientId: cid() }), 'invalid_name');
    expectError(await request(alice.socket, 'message:send', { to: 'a'.repeat(33), text: 'x', clientId: cid() }), 'invalid_name');
    expectError(await request(alice.socket, 'message:send', { to: '', text: 'x', clientId: cid() }), 'invalid_name');
    expectError(await request(alice.socket, 'message:send', { to: 'alice', text: 'x', clientId: cid() }), 'self_message');
    expectError(await request(alice.socket, 'message:send', { to: 'bob', text: '', clientId: cid() }), 'empty_message');
    expectError(await request(alice.socket, 'message:send', { to: 'bob', text: ' \n\t ', clientId: cid() }), 'empty_message');
    const big = expectError(
      await request(alice.socket, 'message:send', { to: 'bob', text: 'é'.repeat(4097), clientId: cid() }),
      'message_too_long',
    );
    expect(big.message).toContain('8194');
    const exact = await request(alice.socket, 'message:send', { to: 'bob', text: 'x'.repeat(8192), clientId: cid() });
    expect(exact.ok).toBe(true);
    const hist = await request(alice.socket, 'history:fetch', { with: 'bob' });
    expect(hist.ok && hist.messages.length).toBe(1);
  });
});
