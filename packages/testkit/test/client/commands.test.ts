import { describe, expect, test } from '@jest/globals';
import { COMMANDS } from '@tui-chat/client';
import { expectNoDuplicates, respond, responsesOf, sentSince, startHarness, waitFor, waitForMessage, perTest } from '@tui-chat/testkit';
import { texts } from '@tui-chat/testkit';

const h = perTest(() => startHarness());

describe('who is around', () => {
  test('/whoelse lists the others online, or says nobody', async () => {
    const alice = await h.register('alice');
    expect(await respond(alice, '/whoelse')).toMatchObject({ kind: 'info', text: 'nobody else is online' });
    await h.register('carol');
    await h.register('bob');
    expect((await respond(alice, '/whoelse')).text).toBe('online: bob, carol');
    expect(alice.getState().online).toEqual(['bob', 'carol']);
    expect(alice.getState().knownUsers).toEqual(['bob', 'carol']);
  });

  test('/people (and /users, /names) lists every user, online marked, by the start of a name; Tab completes someone offline who was never talked to', async () => {
    await h.server.store.createUser('zoe', 'x', 1);
    await h.server.store.createUser('al.b', 'x', 1);
    const alice = await h.register('alice');
    await h.register('bob');
    expect((await respond(alice, '/people')).text).toBe('people on this server (4, 2 of them online ●): al.b, ● alice (you), ● bob, zoe');
    expect((await respond(alice, '/users AL')).text).toBe(
      'people whose name starts with "al" (2, 1 of them online ●): al.b, ● alice (you)',
    );
    expect((await respond(alice, '/names q')).text).toBe('nobody whose name starts with "q"');
    // Known from the login on (the first page of users), not only after /people.
    const carol = await h.register('carol');
    await waitFor(carol, (s) => s.knownUsers.includes('zoe'), 'zoe known to carol');
    expect(carol.complete('/msg z')).toEqual(['/msg zoe ']);
  });

  test('on a server larger than the first page, Tab still completes every user: the names are asked by prefix, once', async () => {
    // 600 users a000..a599 (the first page is 500 of them), then zoe and zora beyond it.
    for (let i = 0; i < 600; i++) await h.server.store.createUser(`a${String(i).padStart(3, '0')}`, 'x', 1);
    for (const name of ['zoe', 'zora']) await h.server.store.createUser(name, 'x', 1);
    const bob = await h.register('bob');
    await waitFor(bob, (s) => s.knownUsers.includes('a499'), 'the first page known');
    expect(bob.getState().knownUsers).not.toContain('zoe');
    expect(bob.complete('/msg zo')).toEqual([]);
    expect(await bob.lookupNames('/msg zo')).toBe(true);
    expect(bob.complete('/msg zo')).toEqual(['/msg zoe ', '/msg zora ']);
    // Names held already are not asked again: below the first page's last name, or under a prefix answered whole.
    expect(await bob.lookupNames('/msg a1')).toBe(false);
    expect(await bob.lookupNames('/msg zor')).toBe(false);
    expect(await bob.lookupNames('/msg a5')).toBe(true);
    expect(bob.complete('/msg a59')).toHaveLength(10);
    // Not a user position, or nobody there: nothing new.
    expect(await bob.lookupNames('/help zo')).toBe(false);
    expect(await bob.lookupNames('/msg qq')).toBe(false);
    expect(await bob.lookupNames('/msg #te')).toBe(false);
    // Typing a command asks early: Tab finds the names at once.
    await h.server.store.createUser('quinn', 'x', 1);
    bob.draft('/open qu');
    await waitFor(bob, (s) => s.knownUsers.includes('quinn'), 'quinn asked while typing');
  });

  test('on a small server every name is known from the login on: nothing is asked', async () => {
    await h.server.store.createUser('zoe', 'x', 1);
    const bob = await h.register('bob');
    await waitFor(bob, (s) => s.knownUsers.includes('zoe'), 'zoe known');
    await h.server.store.createUser('zed', 'x', 1);
    // The whole list was the first page: a name made after it is not looked for (the people list finds it).
    expect(await bob.lookupNames('/msg ze')).toBe(false);
  });

  test('the people list (F6): a page by the start of a name, the next page after it, an answer for a prefix no longer asked dropped', async () => {
    for (let i = 0; i < 120; i++) await h.server.store.createUser(`p${String(i).padStart(3, '0')}`, 'x', 1);
    const alice = await h.register('alice');
    await alice.listPeople('p');
    let people = alice.getState().people!;
    expect(people).toMatchObject({ prefix: 'p', more: true, loading: false, error: null });
    expect(people.users).toHaveLength(100);
    await alice.listPeople('p', true);
    people = alice.getState().people!;
    expect(people.users.map((u) => u.name)).toEqual(Array.from({ length: 120 }, (_, i) => `p${String(i).padStart(3, '0')}`));
    expect(people.more).toBe(false);
    // Typed quickly: the answer for "p0" comes after "p1" was asked, and is never shown.
    const shown: string[] = [];
    const stop = alice.subscribe((st) => {
      if (st.people && !st.people.loading) shown.push(st.people.prefix);
    });
    await Promise.all([alice.listPeople('p0'), alice.listPeople('p1')]);
    stop();
    expect(shown).toEqual(['p1']);
    people = alice.getState().people!;
    expect(people.prefix).toBe('p1');
    expect(people.users.every((u) => u.name.startsWith('p1'))).toBe(true);
    expect(people.users).toHaveLength(20);
  });

  test('/wholast 5 includes those gone offline; 0 and abc get the usage line and nothing is sent', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    await h.register('carol');
    await bob.logout();
    await waitFor(alice, (s) => !s.online.includes('bob'), 'bob gone');
    expect(await respond(alice, '/wholast 5')).toMatchObject({ kind: 'info', text: 'online in the last 5 minutes: bob, carol' });
    expect((await respond(alice, '/wholast 1')).text).toBe('online in the last 1 minute: bob, carol');
    const mark = h.received.length;
    for (const bad of ['/wholast 0', '/wholast abc', '/wholast', '/wholast 5 6', '/wholast 525601', '/wholast -3', '/wholast 2.5']) {
      const line = await respond(alice, bad);
      expect({ bad, kind: line.kind }).toEqual({ bad, kind: 'usage' });
      expect(line.text).toMatch(/usage: \/wholast <minutes>$/);
    }
    expect((await respond(alice, '/wholast 0')).text).toBe(
      'Minutes must be a whole number from 1 to 525600, not "0".\nusage: /wholast <minutes>',
    );
    expect(sentSince(h, mark, 'alice')).toEqual([]);
  });
});

describe('broadcasts', () => {
  test('/broadcast <text> reaches everyone online: the broadcasts open where nothing is, inline in an open conversation', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    const carol = await h.register('carol');
    const dan = await h.register('dan');
    await carol.open('dan'); // carol reads dan's conversation
    const line = await respond(alice, '/broadcast hello all');
    expect(line).toMatchObject({ kind: 'info', text: 'broadcast to 3 users online' });
    // Nothing was open for alice: her broadcasts opened.
    expect(alice.getState().openConversation).toBe('(broadcasts)');
    // bob had nothing open: the broadcasts opened for him, read.
    const b = await waitForMessage(bob, '(broadcasts)', 'hello all');
    expect(b.messages['(broadcasts)']![0]).toMatchObject({ from: 'alice', to: null, kind: 'broadcast-all' });
    expect(b.openConversation).toBe('(broadcasts)');
    expect(b.conversations.find((v) => v.with === '(broadcasts)')!.unread).toBe(0);
    // carol had dan open: it shows there, inline (no seq of dan's conversation); seen there, it is not unread.
    const c = await waitForMessage(carol, '(broadcasts)', 'hello all');
    expect(c.openConversation).toBe('dan');
    expect(c.messages.dan).toEqual([expect.objectContaining({ from: 'alice', text: 'hello all', kind: 'broadcast-all' })]);
    expect(c.messages.dan![0]!.seq).toBeUndefined();
    expect(c.conversations.find((v) => v.with === '(broadcasts)')!.unread).toBe(0);
    expect(c.lastArrival).toMatchObject({ conversation: '(broadcasts)', inOpen: true });
    expect(alice.getState().messages['(broadcasts)']![0]).toMatchObject({ status: 'sent', text: 'hello all' });
    // The old form: /broadcast message <text>.
    await respond(alice, '/broadcast message the old way');
    await waitForMessage(bob, '(broadcasts)', 'the old way');
    // Opening the broadcasts clears their unread count.
    await carol.open('(broadcasts)');
    expect(carol.getState().unreadTotal).toBe(0);
    expectNoDuplicates(carol.getState());
    void dan;
  });

  test('(broadcasts) after a new login holds the broadcasts of earlier sessions (sent, or received while online), older pages by loadOlder', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    for (let i = 1; i <= 55; i++) await alice.submit(`/broadcast b${i}`);
    await waitForMessage(bob, '(broadcasts)', 'b55');
    await bob.logout();
    await alice.logout();
    const carol = await h.register('carol'); // offline then: has none
    expect(carol.getState().messages['(broadcasts)'] ?? []).toEqual([]);
    for (const name of ['alice', 'bob']) {
      const c = await h.login(name);
      let s = await waitFor(c, (st) => (st.messages['(broadcasts)'] ?? []).length === 50, `${name}'s latest 50 broadcasts`);
      expect(texts(s, '(broadcasts)')).toEqual(Array.from({ length: 50 }, (_, i) => `b${i + 6}`));
      expect(s.unreadTotal).toBe(0);
      await c.loadOlder('(broadcasts)');
      s = c.getState();
      expect(texts(s, '(broadcasts)')).toEqual(Array.from({ length: 55 }, (_, i) => `b${i + 1}`));
      expect(s.paging['(broadcasts)']).toBe('start');
      expectNoDuplicates(s);
    }
  });

  test('plain text with the broadcasts open is a broadcast to everyone', async () => {
    const alice = await h.register('alice');
    await alice.open('(broadcasts)');
    expect((await respond(alice, 'anyone?')).text).toBe('broadcast sent, but nobody else is online');
  });

  test('/broadcast user ... message ...: online users get it now, offline ones in their inbox', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    await h.register('carol');
    const dave = await h.register('dave');
    await dave.logout();
    const line = await respond(alice, '/broadcast user bob carol dave message meeting at 5');
    expect(line).toMatchObject({ kind: 'info', text: "broadcast: bob, carol have it now; it waits in dave's inbox" });
    const s = await waitForMessage(bob, 'alice', 'meeting at 5');
    expect(s.messages.alice![0]).toMatchObject({ kind: 'broadcast', from: 'alice', to: 'bob' });
    expect(texts(alice.getState(), 'dave')).toEqual(['meeting at 5']);
    expect(alice.getState().messages.dave![0]).toMatchObject({ status: 'sent', seq: 1, kind: 'broadcast' });
    const dave2 = await h.login('dave');
    expect((await respond(dave2, '/inbox')).text).toMatch(/^inbox: 1 message\nalice \(1\):\n {2}\d\d:\d\d {2}meeting at 5$/);
  });

  test('a list broadcast naming an unknown user is refused; nothing is sent', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    const line = await respond(alice, '/broadcast user bob zed message hi');
    expect(line).toMatchObject({ kind: 'error', text: 'No such user: zed. Nothing was sent.' });
    expect(alice.getState().messages.bob![0]).toMatchObject({ status: 'failed' });
    await respond(alice, '/msg bob after');
    await waitForMessage(bob, 'alice', 'after');
    expect(texts(bob.getState(), 'alice')).toEqual(['after']);
  });
});

describe('IRC habits', () => {
  test('/query opens like /open; /me sends an action shown as * name action; a message can hold line breaks', async () => {
    {
      const alice = await h.register('alice');
      const bob = await h.register('bob');
      await alice.submit('/query bob');
      await waitFor(alice, (s) => s.openConversation === 'bob', 'bob open');
      await alice.submit('/me waves');
      await waitForMessage(bob, 'alice', '/me waves');
      await alice.submit('first line\nsecond line');
      const s = await waitForMessage(bob, 'alice', 'first line\nsecond line');
      expect(texts(s, 'alice')).toEqual(['/me waves', 'first line\nsecond line']);
      const before = alice.getState().responses.length;
      await alice.submit('/me');
      expect(
        alice
          .getState()
          .responses.slice(before)
          .map((r) => r.text),
      ).toEqual([expect.stringMatching(/\/me <action>/)]);
    }
  });
});

describe('wrong input: the usage line, and nothing sent', () => {
  test.each([
    ['/frobnicate now', /^There is no command \/frobnicate; \/help lists them/],
    ['/msg', /^usage: \/msg <user> <text>$/],
    ['/msg bob', /^usage: \/msg <user> <text>$/],
    ['/send ../etc hi', /is not a user name: .*\nusage: \/msg/],
    ['/msg alice hi', /^That is you; message someone else\.\nusage: \/msg/],
    ['/broadcast', /^usage: \/broadcast/],
    ['/broadcast user bob carol', /Put "message" between the names and the text/],
    ['/broadcast user message hi', /Name at least one user/],
    ['/broadcast user bob alice message hi', /leave yourself out/],
    ['/broadcast user b@d message hi', /is not a user name/],
    ['/broadcast message', /The message is empty; nothing was sent.\nusage: \/broadcast/],
    ['/whoelse now', /takes no arguments/],
    ['/people a b', /^usage: \/people \[start of a name\]$/],
    ['/people é', /No name starts with "é": names are a-z/],
    ['/inbox please', /takes no arguments/],
    ['/blocks x', /takes no arguments/],
    ['/block', /^usage: \/block <user>$/],
    ['/block alice', /You cannot block yourself/],
    ['/unblock a b', /^usage: \/unblock <user>$/],
    ['/open a b', /^usage: \/open/],
    ['/history', /No conversation is open; name one/],
    ['/logout now', /takes no arguments/],
    ['/quit now', /takes no arguments/],
    ['/help nosuch', /There is no command "nosuch"/],
    ['/', /A command needs a name/],
  ])('%s', async (line, expected) => {
    const alice = await h.register('alice');
    await h.register('bob');
    const mark = h.received.length;
    const got = await respond(alice, line);
    expect(got.kind).toBe('usage');
    expect(got.text).toMatch(expected);
    // Then a real request, so anything wrongly sent before it would have arrived already.
    await respond(alice, '/whoelse');
    expect(sentSince(h, mark, 'alice')).toEqual(['presence:whoelse']);
    expect(alice.getState().screen).toBe('chat');
  });

  test('blank lines do nothing', async () => {
    const alice = await h.register('alice');
    await alice.submit('   ');
    await alice.submit('');
    expect(alice.getState().responses).toEqual([]);
  });

  test('commands need a login; /help works before', async () => {
    const c = h.client();
    const lines = await responsesOf(c, () => c.submit('/msg bob hi'));
    expect(lines[0]).toMatchObject({ kind: 'error', text: 'Log in first.' });
    expect((await respond(c, '/help')).kind).toBe('info');
  });
});

describe('help and completion', () => {
  test('/help lists every command with usage and summary; /help <command> explains one', async () => {
    const alice = await h.register('alice');
    const all = await respond(alice, '/help');
    for (const c of COMMANDS) {
      expect(all.text).toContain(c.usage);
      expect(all.text).toContain(c.summary);
    }
    const one = await respond(alice, '/help send');
    expect(one.text).toBe(
      'usage: /msg <user> <text>\nsend a private message (with nothing open, its conversation opens; otherwise the open one stays) (also /send, /message)',
    );
    expect((await respond(alice, '/help /wholast')).text).toMatch(/^usage: \/wholast <minutes>/);
  });

  test('COMMANDS has one entry per command with a usage line and a summary', () => {
    expect(COMMANDS.map((c) => c.name)).toEqual([
      'msg',
      'broadcast',
      'open',
      'group',
      'join',
      'part',
      'invite',
      'me',
      'history',
      'search',
      'inbox',
      'whoelse',
      'wholast',
      'people',
      'away',
      'back',
      'block',
      'unblock',
      'blocks',
      'set',
      'logout',
      'quit',
      'help',
    ]);
    for (const c of COMMANDS) {
      expect(c.usage.startsWith(`/${c.name}`)).toBe(true);
      expect(c.summary.length).toBeGreaterThan(10);
    }
  });

  test('complete() returns full lines: commands after "/", then users where a user goes', async () => {
    const alice = await h.register('alice');
    await h.register('bob');
    await h.register('bill');
    await respond(alice, '/whoelse');
    expect(alice.complete('/ms')).toEqual(['/msg ']);
    expect(alice.complete('/m')).toEqual(['/me ', '/message ', '/msg ']);
    expect(alice.complete('/q')).toEqual(['/query ', '/quit ']);
    expect(alice.complete('/WHO')).toEqual(['/whoelse ', '/wholast ']);
    expect(alice.complete('/')).toContain('/broadcast ');
    expect(alice.complete('/msg b')).toEqual(['/msg bill ', '/msg bob ']);
    expect(alice.complete('/msg ')).toEqual(['/msg bill ', '/msg bob ']);
    expect(alice.complete('/send bo')).toEqual(['/send bob ']);
    expect(alice.complete('/msg bob hel')).toEqual([]);
    expect(alice.complete('/open (')).toEqual(['/open (broadcasts) ']);
    expect(alice.complete('/broadcast u')).toEqual(['/broadcast user ']);
    expect(alice.complete('/broadcast user bob m')).toEqual(['/broadcast user bob message ']);
    expect(alice.complete('/broadcast user bi')).toEqual(['/broadcast user bill ']);
    expect(alice.complete('/broadcast user bob message b')).toEqual([]);
    expect(alice.complete('/help wh')).toEqual(['/help whoelse ', '/help wholast ']);
    expect(alice.complete('/nosuch b')).toEqual([]);
    expect(alice.complete('hi bi')).toEqual(['hi bill ']);
    expect(alice.complete('hi ')).toEqual([]);
    expect(alice.complete('/msg al')).toEqual([]); // never yourself
  });
});
