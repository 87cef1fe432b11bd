/** Group conversations on a real server: made, joined, left, messages through the pair path, and every refusal. */
import { describe, expect, test } from '@jest/globals';
import { GROUP_MEMBERS_MAX, GROUPS_PER_USER_MAX, type ChatMessage } from '@tui-chat/protocol';
import { cid, expectError, next, request, startHarness, type TestSocket } from './helpers.js';
import { perTest } from '@tui-chat/testkit';

const h = perTest(() => startHarness());

function ok<T extends { ok: boolean }>(reply: T): Extract<T, { ok: true }> {
  if (!reply.ok) throw new Error(JSON.stringify(reply));
  return reply as Extract<T, { ok: true }>;
}

const send = (socket: TestSocket, to: string, text: string) => request(socket, 'message:send', { to, text, clientId: cid() });

/** The next message:new on each socket, and nothing on `silent` before they come. */
function arrivals(sockets: TestSocket[]): Promise<ChatMessage[]> {
  return Promise.all(sockets.map((s) => next(s, 'message:new')));
}

describe('group conversations', () => {
  test('made with members: each member hears of it, a message from each reaches the others at once, stored with a seq', async () => {
    const alice = (await h.register('alice')).socket;
    const bob = (await h.register('bob')).socket;
    const carol = (await h.register('carol')).socket;
    const told = Promise.all([next(bob, 'group:update'), next(carol, 'group:update')]);
    const made = ok(await request(alice, 'group:create', { name: 'Team', members: ['bob', 'CAROL', 'bob', 'alice'] }));
    expect(made.group).toMatchObject({ group: '#team', members: ['alice', 'bob', 'carol'], createdBy: 'alice' });
    for (const update of await told) expect(update).toMatchObject({ change: 'created', user: 'alice', group: { group: '#team' } });

    let seq = 0;
    for (const [sender, others] of [
      [alice, [bob, carol]],
      [bob, [alice, carol]],
      [carol, [alice, bob]],
    ] as const) {
      let own = false;
      sender.once('message:new', () => (own = true));
      const got = arrivals([...others]);
      const reply = ok(await send(sender, '#team', `hello ${++seq}`));
      expect(reply.message).toMatchObject({ conversation: '#team', to: '#team', seq, text: `hello ${seq}` });
      expect(reply.recipientOnline).toBe(true);
      for (const m of await got) expect(m).toEqual(reply.message);
      sender.off('message:new');
      expect(own).toBe(false);
    }
    const page = ok(await request(carol, 'history:fetch', { with: '#team', limit: 2 }));
    expect(page).toMatchObject({ with: '#team', before: 2 });
    expect(page.messages.map((m) => [m.from, m.seq])).toEqual([
      ['bob', 2],
      ['carol', 3],
    ]);
    const list = ok(await request(carol, 'conversations:list', {}));
    // Carol wrote the last line: what she wrote, and what came before it, counts as read.
    expect(list.conversations).toEqual([
      expect.objectContaining({ with: '#team', conversation: '#team', lastSeq: 3, readSeq: 3, unread: 0 }),
    ]);
    const marked = next(carol, 'read:update');
    expect(ok(await request(carol, 'read:mark', { with: '#team', seq: 3 })).readSeq).toBe(3);
    expect(await marked).toEqual({ with: '#team', readSeq: 3, unread: 0 });
  });

  test('a member offline finds the messages at the next login: unread in the list, and in the catch-up', async () => {
    const alice = (await h.register('alice')).socket;
    const carol = await h.register('carol');
    ok(await request(alice, 'group:create', { name: '#ops', members: ['carol'] }));
    carol.socket.disconnect();
    ok(await send(alice, '#ops', 'while you were out'));
    ok(await send(alice, '#ops', 'and again'));
    const back = (await h.login('carol')).socket;
    const list = ok(await request(back, 'conversations:list', {}));
    expect(list.conversations[0]).toMatchObject({ with: '#ops', unread: 2, last: { text: 'and again' } });
    const sync = ok(await request(back, 'sync:since', { seen: { '#ops': 1 } }));
    expect(sync.conversations[0]).toMatchObject({ with: '#ops', listed: true, more: false });
    expect(sync.conversations[0]!.messages.map((m) => m.text)).toEqual(['and again']);
    // The new session is in the group's room.
    const live = next(back, 'message:new');
    ok(await send(alice, '#ops', 'live now'));
    expect((await live).text).toBe('live now');
  });

  test('/inbox names the groups with something unread beside the private messages, and leaves them unread', async () => {
    const alice = (await h.register('alice')).socket;
    const carol = await h.register('carol');
    ok(await request(alice, 'group:create', { name: '#ops', members: ['carol'] }));
    ok(await request(alice, 'group:create', { name: '#dev', members: ['carol'] }));
    ok(await request(alice, 'group:create', { name: '#calm', members: ['carol'] }));
    carol.socket.disconnect();
    for (const text of ['one', 'two', 'three']) ok(await send(alice, '#ops', text));
    ok(await send(alice, '#dev', 'dev line'));
    ok(await send(alice, 'carol', 'a private word'));
    const back = (await h.login('carol')).socket;
    const inbox = ok(await request(back, 'inbox:fetch', {}));
    expect(inbox.total).toBe(1);
    expect(inbox.groups.map((g) => [g.from, g.messages.map((m) => m.text)])).toEqual([['alice', ['a private word']]]);
    expect(inbox.unreadGroups).toEqual([
      { group: '#dev', unread: 1 },
      { group: '#ops', unread: 3 },
    ]);
    // The private message is read now; the groups are not (they are read by opening them).
    const again = ok(await request(back, 'inbox:fetch', {}));
    expect(again.total).toBe(0);
    expect(again.unreadGroups).toEqual(inbox.unreadGroups);
    ok(await request(back, 'read:mark', { with: '#ops', seq: 3 }));
    expect(ok(await request(back, 'inbox:fetch', {})).unreadGroups).toEqual([{ group: '#dev', unread: 1 }]);
  });

  test('invite, members, leave: the one invited joins the room with the history and nothing unread; the one who left hears nothing more', async () => {
    const alice = (await h.register('alice')).socket;
    const bob = (await h.register('bob')).socket;
    const dan = (await h.register('dan')).socket;
    ok(await request(alice, 'group:create', { name: 'crew', members: ['bob'] }));
    ok(await send(alice, '#crew', 'before dan'));
    const danTold = next(dan, 'group:update');
    const bobTold = next(bob, 'group:update');
    const invited = ok(await request(bob, 'group:invite', { group: 'crew', user: 'Dan' }));
    expect(invited).toMatchObject({ changed: true, group: { members: ['alice', 'bob', 'dan'] } });
    expect(await danTold).toMatchObject({ change: 'joined', user: 'dan', by: 'bob' });
    expect(await bobTold).toMatchObject({ change: 'joined', user: 'dan' });
    expect(ok(await request(bob, 'group:invite', { group: '#crew', user: 'dan' })).changed).toBe(false);
    expect(ok(await request(dan, 'conversations:list', {})).conversations[0]).toMatchObject({ with: '#crew', unread: 0, lastSeq: 1 });
    expect(ok(await request(dan, 'history:fetch', { with: '#crew' })).messages.map((m) => m.text)).toEqual(['before dan']);
    const members = ok(await request(dan, 'group:members', { group: '#crew' }));
    expect(members.group.members).toEqual(['alice', 'bob', 'dan']);
    expect(members.online).toEqual(['alice', 'bob', 'dan']);
    const danHears = next(dan, 'message:new');
    ok(await send(alice, '#crew', 'welcome dan'));
    expect((await danHears).text).toBe('welcome dan');

    const left = Promise.all([next(alice, 'group:update'), next(bob, 'group:update')]);
    ok(await request(bob, 'group:leave', { group: '#crew' }));
    for (const u of await left) expect(u).toMatchObject({ change: 'left', user: 'bob', group: { members: ['alice', 'dan'] } });
    let bobGot = false;
    bob.on('message:new', () => (bobGot = true));
    const danGets = next(dan, 'message:new');
    ok(await send(alice, '#crew', 'bob is gone'));
    await danGets;
    expect(bobGot).toBe(false);
    expectError(await send(bob, '#crew', 'let me back'), 'not_member');
    expectError(await request(bob, 'history:fetch', { with: '#crew' }), 'not_member');
    expectError(await request(bob, 'group:leave', { group: '#crew' }), 'not_member');
    expect(ok(await request(bob, 'conversations:list', {})).conversations).toEqual([]);
  });

  test('refusals, each in one sentence: names, taken, unknown, not a member, blocks both ways, too many', async () => {
    const alice = (await h.register('alice')).socket;
    const bob = (await h.register('bob')).socket;
    await h.register('carol');
    await h.register('zed');
    expect(expectError(await request(alice, 'group:create', { name: '#bad name', members: [] }), 'invalid_name').message).toMatch(
      /is not a group name: A group name may only hold/,
    );
    expectError(await request(alice, 'group:create', { name: '#', members: [] }), 'invalid_name');
    expectError(await request(alice, 'group:create', { name: '_x', members: [] }), 'invalid_name');
    expect(expectError(await request(alice, 'group:create', { name: 'a', members: ['nobody'] }), 'unknown_user').message).toBe(
      'No such user: nobody. No group was made.',
    );
    expectError(await request(alice, 'group:create', { name: 'a', members: ['bad name'] }), 'invalid_name');
    ok(await request(alice, 'group:create', { name: 'a', members: [] }));
    expect(expectError(await request(bob, 'group:create', { name: '#A', members: [] }), 'name_taken').message).toMatch(/#a is taken/);
    expect(expectError(await send(bob, '#nope', 'x'), 'unknown_group').message).toBe('There is no group named #nope.');
    expectError(await send(bob, '#a', 'x'), 'not_member');
    expectError(await request(bob, 'group:members', { group: 'a' }), 'not_member');
    expectError(await request(bob, 'group:invite', { group: 'a', user: 'bob' }), 'not_member');
    expectError(await request(alice, 'group:invite', { group: 'a', user: 'alice' }), 'self_message');
    expectError(await request(alice, 'group:invite', { group: 'a', user: 'ghost' }), 'unknown_user');
    expectError(await send(alice, '#a', '   '), 'empty_message');

    ok(await request(bob, 'block:add', { user: 'alice' }));
    expect(expectError(await request(alice, 'group:create', { name: 'b', members: ['bob'] }), 'blocked').message).toBe(
      'bob does not accept messages from you, so you cannot add them. No group was made.',
    );
    expectError(await request(alice, 'group:invite', { group: 'a', user: 'bob' }), 'blocked');
    ok(await request(bob, 'block:remove', { user: 'alice' }));
    ok(await request(alice, 'block:add', { user: 'carol' }));
    expect(expectError(await request(alice, 'group:invite', { group: 'a', user: 'carol' }), 'blocked').message).toBe(
      'You block carol; unblock them first to add them.',
    );

    const many = Array.from({ length: GROUP_MEMBERS_MAX }, (_, i) => `u${i}`);
    expect(expectError(await request(alice, 'group:create', { name: 'big', members: many }), 'group_full').message).toBe(
      `A group holds at most ${GROUP_MEMBERS_MAX} members; #big would have ${GROUP_MEMBERS_MAX + 1}.`,
    );
    const zed = (await h.login('zed')).socket;
    for (let i = 1; i < GROUPS_PER_USER_MAX; i++) ok(await request(zed, 'group:create', { name: `z${i}`, members: [] }));
    ok(await request(zed, 'group:create', { name: `z${GROUPS_PER_USER_MAX}`, members: [] }));
    expect(expectError(await request(zed, 'group:create', { name: 'one-more', members: [] }), 'too_many_groups').message).toMatch(
      /You are in 50 groups/,
    );
    expectError(await request(alice, 'group:invite', { group: 'a', user: 'zed' }), 'too_many_groups');
  });

  test('typing in a group reaches its other members, not the writer nor outsiders; a non-member is refused', async () => {
    const alice = (await h.register('alice')).socket;
    const bob = (await h.register('bob')).socket;
    const carol = (await h.register('carol')).socket;
    const eve = (await h.register('eve')).socket;
    ok(await request(alice, 'group:create', { name: 'talk', members: ['bob', 'carol'] }));
    let heard = 0;
    for (const s of [alice, eve]) s.on('typing:update', () => heard++);
    const got = Promise.all([next(bob, 'typing:update'), next(carol, 'typing:update')]);
    ok(await request(alice, 'typing:send', { conversation: '#talk', active: true }));
    for (const u of await got) expect(u).toEqual({ conversation: '#talk', user: 'alice', active: true });
    expectError(await request(eve, 'typing:send', { conversation: '#talk', active: true }), 'bad_request');
    // A later event to bob after eve's refusal: nothing reached alice or eve meanwhile.
    const after = next(bob, 'typing:update');
    ok(await request(carol, 'typing:send', { conversation: '#talk', active: false }));
    await after;
    expect(heard).toBe(1); // alice heard carol's stop, eve nothing
  });

  test('a full group refuses one more by invitation, in one sentence, and stays as it was', async () => {
    const alice = (await h.register('alice')).socket;
    await h.register('zed');
    const others = Array.from({ length: GROUP_MEMBERS_MAX - 1 }, (_, i) => `m${String(i).padStart(3, '0')}`);
    for (const name of others) await h.server.store.createUser(name, 'x', 1);
    ok(await request(alice, 'group:create', { name: 'full', members: others }));
    expect(expectError(await request(alice, 'group:invite', { group: 'full', user: 'zed' }), 'group_full').message).toBe(
      `A group holds at most ${GROUP_MEMBERS_MAX} members; #full would have ${GROUP_MEMBERS_MAX + 1}.`,
    );
    const members = ok(await request(alice, 'group:members', { group: 'full' })).group.members;
    expect(members).toHaveLength(GROUP_MEMBERS_MAX);
    expect(members).not.toContain('zed');
  });

  test('typing in a group never reaches a member who blocks the writer, nor one the writer blocks', async () => {
    const alice = (await h.register('alice')).socket;
    const bob = (await h.register('bob')).socket;
    const carol = (await h.register('carol')).socket;
    const dan = (await h.register('dan')).socket;
    // All four in the group first; the blocks come after (a block does not take anyone out of a group).
    ok(await request(alice, 'group:create', { name: 'crew', members: ['bob', 'carol', 'dan'] }));
    ok(await request(bob, 'block:add', { user: 'alice' }));
    ok(await request(alice, 'block:add', { user: 'carol' }));
    const heard: Record<string, string[]> = { bob: [], carol: [], dan: [] };
    for (const [name, s] of [
      ['bob', bob],
      ['carol', carol],
      ['dan', dan],
    ] as const) {
      s.on('typing:update', (u: { user: string }) => heard[name]!.push(u.user));
    }
    // Answered the same as any other notice: alice does not learn who blocks her from it.
    expect(await request(alice, 'typing:send', { conversation: '#crew', active: true })).toEqual({ ok: true });
    // dan's notice after it reaches bob and carol: had alice's reached them, it would be there first.
    const after = Promise.all([next(bob, 'typing:update'), next(carol, 'typing:update')]);
    ok(await request(dan, 'typing:send', { conversation: '#crew', active: true }));
    await after;
    expect(heard).toEqual({ bob: ['dan'], carol: ['dan'], dan: ['alice'] });
  });

  test('a list broadcast works as before beside groups', async () => {
    const alice = (await h.register('alice')).socket;
    const bob = (await h.register('bob')).socket;
    ok(await request(alice, 'group:create', { name: 'g', members: ['bob'] }));
    const got = next(bob, 'message:new');
    const reply = ok(await request(alice, 'broadcast:list', { to: ['bob'], text: 'to bob alone', clientId: cid() }));
    expect(reply.delivered).toEqual(['bob']);
    expect(await got).toMatchObject({ conversation: 'alice:bob', kind: 'broadcast', text: 'to bob alone' });
  });
});
