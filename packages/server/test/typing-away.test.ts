/** Typing notices (relayed, never stored, never across a block, rate limited) and away (kept per user, told to everyone). */
import { afterEach, describe, expect, test } from '@jest/globals';
import type { PresenceChange, TypingUpdate } from '@tui-chat/protocol';
import { disconnected, expectError, request, startHarness, until, type Harness, type TestSocket } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

/** Every typing update a socket receives, in order. */
function typingSeen(socket: TestSocket): TypingUpdate[] {
  const seen: TypingUpdate[] = [];
  socket.on('typing:update', (u) => seen.push(u));
  return seen;
}

/** Every presence change a socket receives, in order. */
function changesSeen(socket: TestSocket): PresenceChange[] {
  const seen: PresenceChange[] = [];
  socket.on('presence:changes', (u) => seen.push(...u.changes));
  return seen;
}

describe('typing:send', () => {
  test("reaches every session of the other party at once, not the sender's, not anyone else; nothing is stored", async () => {
    h = await startHarness();
    const alice = await h.register('alice');
    const alice2 = await h.login('alice');
    const bob = await h.register('bob');
    const bob2 = await h.login('bob');
    const carol = await h.register('carol');
    const seen = {
      bob: typingSeen(bob.socket),
      bob2: typingSeen(bob2.socket),
      alice2: typingSeen(alice2.socket),
      carol: typingSeen(carol.socket),
    };
    expect(await request(alice.socket, 'typing:send', { conversation: 'alice:bob', active: true })).toEqual({ ok: true });
    await until(() => seen.bob.length === 1 && seen.bob2.length === 1, 'both of bob’s sessions to hear');
    expect(seen.bob[0]).toEqual({ conversation: 'alice:bob', user: 'alice', active: true });
    // The stop goes the same way; expiring is the receiver's job (the server sends nothing by itself).
    expect((await request(alice.socket, 'typing:send', { conversation: 'alice:bob', active: false })).ok).toBe(true);
    await until(() => seen.bob.length === 2, 'the stop');
    expect(seen.bob[1]).toEqual({ conversation: 'alice:bob', user: 'alice', active: false });
    // Carol's notice to alice reaches alice2 after anything alice's could have sent her.
    expect((await request(carol.socket, 'typing:send', { conversation: 'alice:carol', active: true })).ok).toBe(true);
    await until(() => seen.alice2.length === 1, 'carol’s notice');
    expect(seen.alice2).toEqual([{ conversation: 'alice:carol', user: 'carol', active: true }]);
    expect(seen.carol).toEqual([]);
    const history = await request(bob.socket, 'history:fetch', { with: 'alice' });
    expect(history.ok && history.messages).toEqual([]);
  });

  test('never across a block, either way; the sender is answered the same', async () => {
    h = await startHarness();
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    const carol = await h.register('carol');
    const toBob = typingSeen(bob.socket);
    const toAlice = typingSeen(alice.socket);
    expect((await request(bob.socket, 'block:add', { user: 'alice' })).ok).toBe(true);
    // Bob blocked alice: she is not relayed to him, and he does not tell her either.
    expect(await request(alice.socket, 'typing:send', { conversation: 'alice:bob', active: true })).toEqual({ ok: true });
    expect(await request(bob.socket, 'typing:send', { conversation: 'alice:bob', active: true })).toEqual({ ok: true });
    // Carol's notices come after anything those could have sent: their arrival proves there was none.
    await request(carol.socket, 'typing:send', { conversation: 'bob:carol', active: true });
    await request(carol.socket, 'typing:send', { conversation: 'alice:carol', active: true });
    await until(() => toBob.length === 1 && toAlice.length === 1, 'carol’s notices');
    expect(toBob.map((u) => u.user)).toEqual(['carol']);
    expect(toAlice.map((u) => u.user)).toEqual(['carol']);
    // Unblocked: relayed again.
    expect((await request(bob.socket, 'block:remove', { user: 'alice' })).ok).toBe(true);
    await request(alice.socket, 'typing:send', { conversation: 'alice:bob', active: true });
    await until(() => toBob.length === 2, 'alice after the unblock');
    expect(toBob[1]?.user).toBe('alice');
  });

  test.each([
    ['bob:carol', 'bad_request', /is not one of your conversations/],
    ['bob:alice', 'bad_request', /is not one of your conversations/],
    ['alice:alice', 'bad_request', /is not one of your conversations/],
    ['alice', 'bad_request', /is not one of your conversations/],
    ['alice:BOB', 'bad_request', /is not one of your conversations/],
    ['alice:zed', 'unknown_user', /no user named zed/],
  ] as const)('%p is refused with a sentence', async (conversation, code, message) => {
    h = await startHarness();
    const alice = await h.register('alice');
    await h.register('bob');
    await h.register('carol');
    expect(expectError(await request(alice.socket, 'typing:send', { conversation, active: true }), code).message).toMatch(message);
  });

  test('notices are limited per user, apart from messages', async () => {
    h = await startHarness({ limits: { typingPerWindow: 3, windowSeconds: 30 } });
    const alice = await h.register('alice');
    await h.register('bob');
    for (let i = 0; i < 3; i++)
      expect((await request(alice.socket, 'typing:send', { conversation: 'alice:bob', active: true })).ok).toBe(true);
    const err = expectError(await request(alice.socket, 'typing:send', { conversation: 'alice:bob', active: true }), 'rate_limited');
    expect(err.retryAfter).toBeGreaterThan(0);
    const other = await h.login('alice');
    expectError(await request(other.socket, 'typing:send', { conversation: 'alice:bob', active: false }), 'rate_limited');
    // Messages have their own budget.
    const sent = await request(alice.socket, 'message:send', { to: 'bob', text: 'still', clientId: 'typing-limit-1' });
    expect(sent.ok).toBe(true);
  });
});

describe('presence:away', () => {
  test('away with a text reaches everyone (the user’s other sessions too) and shows in whoelse and users:list; back clears it', async () => {
    h = await startHarness();
    const carol = await h.register('carol');
    const carol2 = await h.login('carol');
    const bob = await h.register('bob');
    const toBob = changesSeen(bob.socket);
    const toCarol2 = changesSeen(carol2.socket);
    expect(await request(carol.socket, 'presence:away', { away: true, text: '  lunch,\n back at 3\u001b[31m ' })).toEqual({
      ok: true,
      away: 'lunch, back at 3 [31m',
    });
    const away = { user: 'carol', online: true, away: 'lunch, back at 3 [31m' };
    await until(() => toBob.some((c) => c.away) && toCarol2.some((c) => c.away), 'the change');
    expect(toBob.at(-1)).toEqual(away);
    expect(toCarol2.at(-1)).toEqual(away);
    const who = await request(bob.socket, 'presence:whoelse', {});
    expect(who.ok && who).toEqual({ ok: true, users: ['carol'], away: [{ user: 'carol', text: 'lunch, back at 3 [31m' }] });
    const list = await request(bob.socket, 'users:list', {});
    expect(list.ok && list.users).toEqual([
      { name: 'bob', online: true },
      { name: 'carol', online: true, away: 'lunch, back at 3 [31m' },
    ]);
    // Away without a text.
    expect(await request(carol2.socket, 'presence:away', { away: true, text: '' })).toEqual({ ok: true, away: '' });
    await until(() => toBob.at(-1)?.away === '', 'away without a text');
    expect(await request(carol.socket, 'presence:away', { away: false })).toEqual({ ok: true, away: null });
    await until(() => toBob.at(-1)?.away === null, 'back');
    const after = await request(bob.socket, 'presence:whoelse', {});
    expect(after.ok && after.away).toEqual([]);
  });

  test('a text over the limit is refused and changes nothing', async () => {
    h = await startHarness();
    const carol = await h.register('carol');
    const bob = await h.register('bob');
    const err = expectError(await request(carol.socket, 'presence:away', { away: true, text: 'ä'.repeat(101) }), 'bad_request');
    expect(err.message).toBe('An away text holds at most 100 characters; this one has 101. You are not away.');
    expect((await request(carol.socket, 'presence:away', { away: true, text: '😀'.repeat(100) })).ok).toBe(true);
    const who = await request(bob.socket, 'presence:whoelse', {});
    expect(who.ok && who.away).toEqual([{ user: 'carol', text: '😀'.repeat(100) }]);
  });

  test('away lasts while any session does, and ends when the last one goes', async () => {
    h = await startHarness();
    const carol = await h.register('carol');
    const carol2 = await h.login('carol');
    const bob = await h.register('bob');
    const toBob = changesSeen(bob.socket);
    await request(carol.socket, 'presence:away', { away: true, text: 'lunch' });
    let gone = disconnected(carol.socket);
    carol.socket.disconnect();
    await gone;
    // carol2 still holds it.
    const still = await request(bob.socket, 'presence:whoelse', {});
    expect(still.ok && still.away).toEqual([{ user: 'carol', text: 'lunch' }]);
    gone = disconnected(carol2.socket);
    carol2.socket.disconnect();
    await gone;
    await until(() => toBob.at(-1)?.online === false, 'carol offline');
    expect(toBob.at(-1)).toEqual({ user: 'carol', online: false, away: null });
    const back = await h.login('carol');
    await until(() => toBob.at(-1)?.online === true, 'carol online again');
    expect(toBob.at(-1)).toEqual({ user: 'carol', online: true, away: null });
    const who = await request(bob.socket, 'presence:whoelse', {});
    expect(who.ok && who.away).toEqual([]);
    back.socket.disconnect();
  });

  test('away changes share the per-user message budget (each reaches everyone)', async () => {
    h = await startHarness({ limits: { messagesPerWindow: 2, windowSeconds: 30 } });
    const carol = await h.register('carol');
    expect((await request(carol.socket, 'presence:away', { away: true, text: 'a' })).ok).toBe(true);
    expect((await request(carol.socket, 'presence:away', { away: false })).ok).toBe(true);
    expectError(await request(carol.socket, 'presence:away', { away: true, text: 'b' }), 'rate_limited');
  });
});
