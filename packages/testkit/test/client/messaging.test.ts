import { describe, expect, test } from '@jest/globals';
import { MESSAGE_MAX_BYTES } from '@tui-chat/protocol';
import { expectNoDuplicates, respond, sentSince, startHarness, waitFor, waitForMessage, perTest } from '@tui-chat/testkit';
import { texts } from '@tui-chat/testkit';
import { currentPreview } from '@tui-chat/client';

const h = perTest(() => startHarness());

describe('private messages', () => {
  test('lines run in the order given, each after the one before: "/open bob" then "hi" and "/open carol" then "yo", given at once', async () => {
    const alice = await h.register('alice');
    await h.register('bob');
    await h.register('carol');
    // None is awaited before the next is given, as a paste or quick typing gives them.
    const lines = ['/open bob', 'hi', '/open carol', 'yo'].map((line) => alice.submit(line));
    await Promise.all(lines);
    await waitForMessage(alice, 'carol', 'yo');
    const s = await waitForMessage(alice, 'bob', 'hi');
    expect(texts(s, 'bob')).toEqual(['hi']);
    expect(texts(s, 'carol')).toEqual(['yo']);
  });

  test('/msg, /send and /message arrive at the other client; with nothing open the conversation opens on both sides, with one open it stays', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    const carol = await h.register('carol');
    const line = await respond(alice, '/msg bob hello  there');
    expect(line).toMatchObject({ kind: 'info', text: 'message to bob sent' });
    // Nothing was open: what alice wrote is on her screen.
    expect(alice.getState().openConversation).toBe('bob');
    await respond(alice, '/send Bob second');
    await respond(alice, '/message bob third');
    const s = await waitForMessage(bob, 'alice', 'third');
    expect(texts(s, 'alice')).toEqual(['hello  there', 'second', 'third']);
    expect(s.messages.alice!.map((m) => m.seq)).toEqual([1, 2, 3]);
    // Nothing was open for bob either: the first arrival opened alice's conversation, read, with
    // its new line above the first message.
    expect(s.openConversation).toBe('alice');
    expect(s.newMarker).toEqual({ conversation: 'alice', afterSeq: 0 });
    expect(s.conversations.find((c) => c.with === 'alice')).toMatchObject({ unread: 0, online: true });
    expect(s.unreadTotal).toBe(0);
    expect(s.lastArrival).toMatchObject({ conversation: 'alice', from: 'alice', text: 'third', inOpen: true, opened: false });
    expect(currentPreview(s)).toBeNull();
    // carol writes while bob reads alice: unread, and the preview line; nothing switches.
    await respond(carol, '/msg bob psst, bob');
    const s2 = await waitFor(bob, (st) => st.conversations.find((c) => c.with === 'carol')?.unread === 1, 'carol unread');
    expect(s2.openConversation).toBe('alice');
    expect(s2.lastArrival).toMatchObject({ from: 'carol', inOpen: false, opened: false, mention: true });
    expect(currentPreview(s2)).toMatchObject({ arrival: { conversation: 'carol', text: 'psst, bob' }, others: 0 });
    // Once carol's conversation is read, no preview is left.
    await bob.open('carol');
    expect(currentPreview(bob.getState())).toBeNull();
    // With a conversation open, /msg to someone else keeps it open.
    await respond(alice, '/msg carol hi carol');
    expect(alice.getState().openConversation).toBe('bob');
    expect(texts(alice.getState(), 'carol')).toEqual(['hi carol']);
    expect(alice.getState().conversations.map((c) => c.with)).toEqual(['carol', 'bob', '(broadcasts)']);
  });

  test('/msg to a name that does not exist, with nothing open, leaves nothing open', async () => {
    const alice = await h.register('alice');
    expect((await respond(alice, '/msg nobody hi')).text).toBe('There is no user named nobody.');
    expect(alice.getState().openConversation).toBeNull();
    expect(alice.getState().responses.filter((r) => r.kind === 'error')).toHaveLength(1);
  });

  test('an own message is pending until acknowledged, then sent with seq and server time', async () => {
    const alice = await h.register('alice');
    await h.register('bob');
    const seen: string[] = [];
    alice.subscribe((s) => {
      const m = s.messages.bob?.[0];
      if (m && seen.at(-1) !== m.status) seen.push(m.status);
    });
    const pending = waitFor(alice, (s) => s.messages.bob?.[0]?.status === 'pending', 'pending');
    const done = alice.submit('/msg bob hi');
    const p = await pending;
    expect(p.messages.bob![0]).toMatchObject({ from: 'alice', to: 'bob', text: 'hi', kind: 'direct' });
    expect(p.messages.bob![0]!.seq).toBeUndefined();
    await done;
    expect(seen).toEqual(['pending', 'sent']);
    const m = alice.getState().messages.bob![0]!;
    expect(m).toMatchObject({ status: 'sent', seq: 1 });
    expect(m.key).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });

  test('to an offline user: the response says it waits in the inbox; /inbox shows it later', async () => {
    const bob = await h.register('bob');
    await bob.logout();
    const alice = await h.register('alice');
    expect((await respond(alice, '/msg bob are you there?')).text).toBe('bob is offline; it will wait in their inbox');
    await respond(alice, '/msg bob second one');
    const bob2 = await h.login('bob');
    expect(bob2.getState().conversations.find((c) => c.with === 'alice')).toMatchObject({ unread: 2 });
    const line = await respond(bob2, '/inbox');
    expect(line.kind).toBe('info');
    expect(line.text).toMatch(/^inbox: 2 messages\nalice \(2\):\n {2}\d\d:\d\d {2}are you there\?\n {2}\d\d:\d\d {2}second one$/);
    const s = await waitFor(bob2, (st) => st.unreadTotal === 0, 'inbox marked read');
    expect(texts(s, 'alice')).toEqual(['are you there?', 'second one']);
    expect((await respond(bob2, '/inbox')).text).toBe('your inbox is empty');
  });

  test('refused sends are marked failed with the reason: unknown user, blocked', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    const line = await respond(alice, '/msg nobody hi');
    expect(line).toEqual(expect.objectContaining({ kind: 'error', text: 'There is no user named nobody.' }));
    expect(alice.getState().messages.nobody![0]).toMatchObject({ status: 'failed', error: 'There is no user named nobody.' });
    expect(alice.getState().conversations.map((c) => c.with)).not.toContain('nobody');

    expect((await respond(bob, '/block alice')).text).toBe('blocked alice; you block: alice');
    expect((await respond(bob, '/block alice')).text).toBe('you block alice already; you block: alice');
    const refused = await respond(alice, '/msg bob let me in');
    expect(refused).toMatchObject({ kind: 'error', text: 'bob does not accept messages from you.' });
    expect(alice.getState().messages.bob!.at(-1)).toMatchObject({ status: 'failed', error: 'bob does not accept messages from you.' });
    expect((await respond(bob, '/blocks')).text).toBe('you block: alice');
    expect((await respond(bob, '/unblock alice')).text).toBe('unblocked alice; you block nobody');
    // Not blocked: said so, rather than "unblocked".
    expect((await respond(bob, '/unblock alice')).text).toBe('you were not blocking alice; you block nobody');
    expect((await respond(bob, '/blocks')).text).toBe('you block nobody');
    await respond(alice, '/msg bob back again');
    await waitForMessage(bob, 'alice', 'back again');
    expect(texts(bob.getState(), 'alice')).toEqual(['back again']);
  });

  test('plain text goes to the open conversation; with none open it says how, and sends nothing', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    const mark = h.received.length;
    const line = await respond(alice, 'hello?');
    expect(line.kind).toBe('usage');
    expect(line.text).toMatch(/No conversation is open: \/open <user>/);
    expect(sentSince(h, mark, 'alice')).toEqual([]);

    await alice.open('bob');
    expect(alice.getState().openConversation).toBe('bob');
    await alice.submit('plain hello');
    await alice.submit('//slash at the start');
    const s = await waitForMessage(bob, 'alice', '/slash at the start');
    expect(texts(s, 'alice')).toEqual(['plain hello', '/slash at the start']);
    // Quiet on success: no response line for plain text.
    expect(alice.getState().responses.filter((r) => r.kind === 'info')).toEqual([]);
  });

  test('a message too long is refused before sending', async () => {
    const alice = await h.register('alice');
    await h.register('bob');
    await alice.open('bob');
    const mark = h.received.length;
    const line = await respond(alice, 'x'.repeat(MESSAGE_MAX_BYTES + 1));
    expect(line).toMatchObject({ kind: 'error' });
    expect(line.text).toMatch(/at most 8192 bytes; this one has 8193/);
    const usage = await respond(alice, `/msg bob ${'é'.repeat(5000)}`);
    expect(usage.kind).toBe('usage');
    expect(sentSince(h, mark, 'alice')).toEqual([]);
    expect(alice.getState().messages.bob ?? []).toEqual([]);
  });
});

describe('conversations', () => {
  test('open() loads history, marks read (on every session), and new messages in the open conversation stay read', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    const bob2 = await h.login('bob');
    // Something else open in both sessions, so alice's messages wait as unread.
    await bob.open('(broadcasts)');
    await bob2.open('(broadcasts)');
    await alice.submit('/msg bob one');
    await alice.submit('/msg bob two');
    await waitFor(bob2, (s) => s.unreadTotal === 2, 'two unread on the second session');
    await waitFor(bob, (s) => s.unreadTotal === 2, 'two unread on the first session');
    await bob.open('alice');
    expect(texts(bob.getState(), 'alice')).toEqual(['one', 'two']);
    expect(bob.getState().unreadTotal).toBe(0);
    // The new line goes above the first unread message, and stays while the conversation is open.
    expect(bob.getState().newMarker).toEqual({ conversation: 'alice', afterSeq: 0 });
    // The other session of bob hears of the read marker.
    await waitFor(bob2, (s) => s.unreadTotal === 0, 'read on the second session too');
    const marks = h.received.filter((r) => r.user === 'bob' && r.event === 'read:mark');
    expect(marks.map((r) => r.payload)).toEqual([{ with: 'alice', seq: 2 }]);

    await alice.submit('/msg bob three');
    const s = await waitForMessage(bob, 'alice', 'three');
    expect(s.conversations.find((c) => c.with === 'alice')!.unread).toBe(0);
    expect(s.newMarker).toEqual({ conversation: 'alice', afterSeq: 0 });
    await bob.open('(broadcasts)');
    expect(bob.getState().newMarker).toBeNull();
    await waitFor(bob2, (st) => texts(st, 'alice').includes('three'), 'three on bob2');
    await waitFor(bob2, (st) => st.unreadTotal === 0, 'bob2 unread back to 0 after bob read it');
    expectNoDuplicates(bob.getState());
    expectNoDuplicates(bob2.getState());
  });

  test('/open validates the user; /open (broadcasts) opens the broadcasts', async () => {
    const alice = await h.register('alice');
    await h.register('bob');
    await respond(alice, '/open nobody');
    expect(alice.getState().responses.at(-1)).toMatchObject({ kind: 'error', text: 'There is no user named nobody.' });
    expect(alice.getState().openConversation).toBeNull();
    expect((await respond(alice, '/open alice')).kind).toBe('usage');
    expect((await respond(alice, '/open')).text).toBe('usage: /open <user>  |  /open #group  |  /open (broadcasts)');
    await alice.submit('/open bob');
    expect(alice.getState().openConversation).toBe('bob');
    expect(alice.getState().conversations.map((c) => c.with)).toEqual(['bob', '(broadcasts)']);
    await alice.submit('/open (broadcasts)');
    expect(alice.getState().openConversation).toBe('(broadcasts)');
  });

  test('/history pages backwards, prepending older messages, without duplicates', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    // 60 messages: the first page holds the latest 50.
    for (let i = 1; i <= 60; i++) await alice.submit(`/msg bob m${i}`);
    await waitForMessage(bob, 'alice', 'm60');
    await bob.open('alice');
    let s = bob.getState();
    expect(s.messages.alice!.length).toBe(60); // 60 arrived live; the history page merged into them
    expectNoDuplicates(s);

    // A fresh session starts with the latest page only.
    const bob2 = await h.login('bob');
    await bob2.open('alice');
    expect(texts(bob2.getState(), 'alice')).toEqual(Array.from({ length: 50 }, (_, i) => `m${i + 11}`));
    const line = await respond(bob2, '/history');
    expect(line.text).toBe('loaded 10 older messages with alice (back to the start of the conversation)');
    s = bob2.getState();
    expect(texts(s, 'alice')).toEqual(Array.from({ length: 60 }, (_, i) => `m${i + 1}`));
    expectNoDuplicates(s);
    expect((await respond(bob2, '/history')).text).toBe('no older messages with alice: this is the start of the conversation');
    expect((await respond(bob2, '/history alice bob')).kind).toBe('usage');
  });

  test('/history <user> opens a conversation that is not open', async () => {
    const alice = await h.register('alice');
    await h.register('bob');
    await alice.submit('/open (broadcasts)');
    await alice.submit('/msg bob hi');
    const line = await respond(alice, '/history bob');
    expect(line.text).toBe('bob: the latest 1 message');
    expect(alice.getState().openConversation).toBe('bob');
    expect((await respond(alice, '/history (broadcasts)')).text).toMatch(/not stored/);
    expect((await respond(alice, '/history nobody')).text).toBe('There is no user named nobody.');
  });

  test('the same message never shows twice: live delivery, history and inbox overlap', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    await alice.submit('/msg bob one');
    await waitForMessage(bob, 'alice', 'one');
    await bob.submit('/inbox');
    await bob.open('alice');
    await bob.submit('/history');
    await alice.open('bob');
    await alice.submit('two');
    await waitForMessage(bob, 'alice', 'two');
    await bob.open('alice');
    for (const c of [alice, bob]) {
      expectNoDuplicates(c.getState());
    }
    expect(texts(bob.getState(), 'alice')).toEqual(['one', 'two']);
    expect(texts(alice.getState(), 'bob')).toEqual(['one', 'two']);
  });

  test('a message that never arrived live (its node died after storing it) is fetched when the next one shows the gap', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    const carol = await h.register('carol');
    await carol.open('alice');
    await bob.open('(broadcasts)');
    await alice.submit('/msg bob one');
    await alice.submit('/msg carol one');
    await waitForMessage(bob, 'alice', 'one');
    await waitForMessage(carol, 'alice', 'one');
    // Stored but never delivered, as when the node that stored it is killed before handing it on.
    for (const to of ['bob', 'carol']) {
      await h.server.context.writer.append([{ from: 'alice', to, text: 'lost', at: Date.now(), clientId: `lost-${to}`, kind: 'direct' }]);
    }
    const mark = h.received.length;
    await alice.submit('/msg bob three');
    await alice.submit('/msg carol three');
    let s = await waitForMessage(bob, 'alice', 'lost');
    expect(s.messages.alice!.map((m) => [m.seq, m.text])).toEqual([
      [1, 'one'],
      [2, 'lost'],
      [3, 'three'],
    ]);
    await waitFor(bob, (st) => st.conversations.find((c) => c.with === 'alice')?.unread === 3, 'three unread');
    expect(sentSince(h, mark, 'bob')).toEqual(['sync:since']);
    // In the open conversation the filled gap is shown in its place and counts as read.
    s = await waitForMessage(carol, 'alice', 'lost');
    expect(s.messages.alice!.map((m) => m.text)).toEqual(['one', 'lost', 'three']);
    await waitFor(carol, (st) => st.conversations.find((c) => c.with === 'alice')?.unread === 0, 'carol has read all');
  });

  test('presence updates reach the online list and the conversations', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    await waitFor(alice, (s) => s.online.includes('bob'), 'bob online');
    await alice.submit('/msg bob hi');
    expect(alice.getState().conversations.find((c) => c.with === 'bob')!.online).toBe(true);
    await bob.logout();
    const s = await waitFor(alice, (st) => !st.online.includes('bob'), 'bob offline');
    expect(s.conversations.find((c) => c.with === 'bob')!.online).toBe(false);
    expect(s.knownUsers).toEqual(['bob']);
  });
});
