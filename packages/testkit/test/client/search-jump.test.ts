/**
 * A search hit shown in place, against a real server: the messages around it load, held as a
 * window away from the newest that fills as it is scrolled down (loadNewer) and joins the live
 * conversation; older pages load below it; what arrives meanwhile counts unread and is not lost;
 * nothing is marked read that was not on screen; End (open) and sending go back to the newest.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import type { ChatClient, ClientState } from '@tui-chat/client';
import { MESSAGE_MAX_BYTES } from '@tui-chat/protocol';
import { expectNoDuplicates, rawLogin, startHarness, waitFor, waitForMessage, type Harness, type TestSocket } from '@tui-chat/testkit';

let h: Harness;
const sockets: TestSocket[] = [];
beforeEach(async () => {
  // 500 messages from one user in a few seconds: more than the default rate allows.
  h = await startHarness({ limits: { messagesPerWindow: 100_000, requestsPerWindow: 100_000 } });
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await h.close();
});

/** `n` messages "line 1" ... "line n" from `user` to `to`, sent at once on a socket of its own (stored in that order). */
async function sendLines(user: string, to: string, n: number, pad = ''): Promise<void> {
  const { socket } = await rawLogin(h.port, { user, password: 'secret-pw' }, sockets);
  const acks = Array.from({ length: n }, (_, i) =>
    socket.emitWithAck('message:send', { to, text: `line ${i + 1}${pad}`, clientId: `flood-${to.replace('#', 'g')}-${i}` }),
  );
  for (const reply of await Promise.all(acks)) expect(reply.ok).toBe(true);
  socket.disconnect();
}

const seqs = (s: ClientState, name: string) => (s.messages[name] ?? []).flatMap((m) => (m.seq === undefined ? [] : [m.seq]));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const unread = (s: ClientState, name: string) => s.conversations.find((v) => v.with === name)?.unread;

/** Scrolls a window down to the newest, as the screen does: loadNewer until state.newer lets it go. */
async function scrollToNewest(client: ChatClient, name: string): Promise<number> {
  let pages = 0;
  while (client.getState().newer[name] !== undefined) {
    await client.loadNewer(name);
    pages++;
    if (pages > 50) throw new Error('the window never reached the newest');
  }
  return pages;
}

describe('a search hit shown in place', () => {
  test('500 messages back in a group: the context loads as a window, scrolls down to the newest, and joins it', async () => {
    const alice = await h.register('alice');
    const first = await h.register('bob');
    await alice.submit('/group create team bob');
    await waitFor(first, (s) => s.conversations.some((v) => v.with === '#team'), 'bob in #team');
    first.close();
    // Bob is away while 520 are said; back, he goes straight to the 10th (as Enter on a search hit does).
    await sendLines('alice', '#team', 520);
    const bob = await h.login('bob');
    await waitFor(bob, (s) => unread(s, '#team') === 520, '520 unread');
    await bob.showMessage('#team', 10);
    let s = bob.getState();
    expect(s.openConversation).toBe('#team');
    expect(s.hit).toEqual({ conversation: '#team', seq: 10 });
    // The hit with 25 each side (the start is 9 back), far from the newest: a window.
    expect(seqs(s, '#team')).toEqual(range(1, 35));
    expect(s.messages['#team']!.find((m) => m.seq === 10)?.text).toBe('line 10');
    expect(s.newer['#team']).toBe('more');
    expect(s.paging['#team']).toBe('start');
    // Nothing is marked read: the newest are not on screen.
    expect(unread(s, '#team')).toBe(520);

    // A message that arrives meanwhile is beyond the window: unread, on the preview line, not shown after it.
    await alice.submit('/msg #team while bob reads line 10');
    s = await waitFor(bob, (st) => unread(st, '#team') === 521, 'the arrival counted unread');
    expect(s.previews.at(-1)).toMatchObject({ conversation: '#team', text: 'while bob reads line 10' });
    expect(seqs(s, '#team')).toEqual(range(1, 35));

    // Scrolling down fills the window a page at a time until it joins the newest.
    const pages = await scrollToNewest(bob, '#team');
    expect(pages).toBeGreaterThanOrEqual(10);
    s = await waitFor(bob, (st) => seqs(st, '#team').length === 521, 'every message, the arrival too');
    expect(seqs(s, '#team')).toEqual(range(1, 521));
    expect(s.messages['#team']!.at(-1)!.text).toBe('while bob reads line 10');
    expectNoDuplicates(s);
    expect(unread(s, '#team')).toBe(521);
    // Joined: the next arrival shows at once, after the newest, and the open conversation is read.
    await alice.submit('/msg #team after the join');
    s = await waitForMessage(bob, '#team', 'after the join');
    expect(seqs(s, '#team')).toEqual(range(1, 522));
    await waitFor(bob, (st) => unread(st, '#team') === 0, 'read once joined and a message came in view');
  });

  test('a hit next to the newest held joins them: no window, nothing between', async () => {
    await h.register('alice');
    (await h.register('bob')).close();
    await sendLines('alice', 'bob', 600);
    // Back, bob opens the conversation: the newest 500 (the largest page).
    const bob = await h.login('bob');
    await bob.open('alice');
    const held = seqs(bob.getState(), 'alice');
    expect(held).toEqual(range(101, 600));
    await bob.showMessage('alice', 91);
    const s = bob.getState();
    expect(s.newer.alice).toBeUndefined();
    expect(seqs(s, 'alice')).toEqual(range(66, 600));
    expect(s.hit).toEqual({ conversation: 'alice', seq: 91 });
  });

  test('from a window: older pages load below it, End opens the newest again, and a message sent goes after the newest', async () => {
    await h.register('alice');
    (await h.register('bob')).close();
    await sendLines('alice', 'bob', 600);
    const bob = await h.login('bob');
    await bob.showMessage('alice', 300);
    let s = bob.getState();
    expect(seqs(s, 'alice')).toEqual(range(275, 325));
    expect(s.newer.alice).toBe('more');
    expect(s.paging.alice).toBeUndefined();
    await bob.loadOlder('alice');
    s = bob.getState();
    expect(seqs(s, 'alice')).toEqual(range(225, 325));
    expect(s.newer.alice).toBe('more');

    // End: the conversation opens again at its newest; the window goes.
    await bob.open('alice');
    s = bob.getState();
    expect(s.newer.alice).toBeUndefined();
    expect(seqs(s, 'alice')).toEqual(range(101, 600));

    // At a hit again, then writing there: the reply goes after the newest, not after the window.
    await bob.showMessage('alice', 50);
    expect(bob.getState().newer.alice).toBe('more');
    expect(seqs(bob.getState(), 'alice')).toEqual(range(25, 75));
    await bob.submit('a reply to line 50');
    s = await waitForMessage(bob, 'alice', 'a reply to line 50');
    s = await waitFor(bob, (st) => seqs(st, 'alice').includes(600), 'the newest loaded again');
    expect(s.newer.alice).toBeUndefined();
    const list = seqs(s, 'alice');
    expect(list).toEqual(range(list[0]!, 601));
    expect(s.messages.alice!.at(-1)!.text).toBe('a reply to line 50');
    expectNoDuplicates(s);
  });

  test('the server restarts while a window is shown: the catch-up leaves it be, what came meanwhile counts unread, scrolling down still reaches it', async () => {
    const alice = await h.register('alice');
    (await h.register('bob')).close();
    await sendLines('alice', 'bob', 300);
    const bob = await h.login('bob');
    await waitFor(bob, (s) => unread(s, 'alice') === 300, '300 unread');
    await bob.showMessage('alice', 100);
    expect(seqs(bob.getState(), 'alice')).toEqual(range(75, 125));
    await h.stop();
    await waitFor(bob, (s) => s.connection === 'reconnecting', 'bob reconnecting');
    await h.start();
    await waitFor(alice, (s) => s.connection === 'connected', 'alice back');
    await waitFor(bob, (s) => s.connection === 'connected', 'bob back');
    await alice.submit('/msg bob said while bob read line 100');
    let s = await waitFor(bob, (st) => unread(st, 'alice') === 301, 'counted unread');
    // The catch-up fetched nothing into the window, and the view stays on it.
    expect(seqs(s, 'alice')).toEqual(range(75, 125));
    expect(s.newer.alice).toBe('more');
    expect(s.openConversation).toBe('alice');
    await scrollToNewest(bob, 'alice');
    s = await waitFor(bob, (st) => seqs(st, 'alice').length === 301 - 74, 'to the newest');
    expect(seqs(s, 'alice')).toEqual(range(75, 301));
    expect(s.messages.alice!.at(-1)!.text).toBe('said while bob read line 100');
    expectNoDuplicates(s);
  });

  test("pages the server cuts by bytes: the rest of the hit's context, and of each newer page, is asked for again", async () => {
    await h.register('alice');
    (await h.register('bob')).close();
    // Near the largest message: 51 of them are more than a page's bytes.
    await sendLines('alice', 'bob', 160, ' ' + 'x'.repeat(MESSAGE_MAX_BYTES - 20));
    const bob = await h.login('bob');
    const mark = h.received.length;
    await bob.showMessage('alice', 60);
    expect(seqs(bob.getState(), 'alice')).toEqual(range(35, 85));
    const asked = h.received.slice(mark).filter((r) => r.user === 'bob' && r.event === 'history:fetch');
    expect(asked.length).toBeGreaterThan(1);
    await scrollToNewest(bob, 'alice');
    const s = bob.getState();
    expect(seqs(s, 'alice')).toEqual(range(35, 160));
    expectNoDuplicates(s);
  });

  test('a hit that cannot be shown says why in one sentence and changes nothing', async () => {
    const alice = await h.register('alice');
    await h.register('bob');
    await alice.submit('/msg bob hello');
    await alice.open('bob');
    const before = alice.getState();
    await alice.showMessage('bob', 99);
    let s = alice.getState();
    expect(s.responses.at(-1)).toMatchObject({ kind: 'error', text: 'That message is no longer in bob.' });
    expect(s.messages).toBe(before.messages);
    expect(s.hit).toBeNull();
    await alice.showMessage('#nowhere', 1);
    s = alice.getState();
    expect(s.responses.at(-1)?.kind).toBe('error');
    expect(s.responses.at(-1)?.text).not.toMatch(/\n|at .*\.js/);
    expect(s.openConversation).toBe('bob');
  });
});
