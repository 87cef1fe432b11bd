import { describe, expect, test } from '@jest/globals';
import { hashPassword, SqliteStore } from '@tui-chat/server';
import { expectNoDuplicates, sentSince, startHarness, TEST_COST, waitFor, waitForMessage, perTest } from '@tui-chat/testkit';
import { texts } from '@tui-chat/testkit';

const h = perTest(() => startHarness());

describe('a lost server', () => {
  test('the client reconnects with its token, resends the outbox, fetches what it missed, and nothing shows twice', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    const carol = await h.register('carol');
    await alice.open('bob');
    await bob.open('alice');
    await alice.submit('before the restart');
    await waitForMessage(bob, 'alice', 'before the restart');
    const handshakesBefore = h.handshakes.length;

    const connections: string[] = [];
    alice.subscribe((s) => {
      if (connections.at(-1) !== s.connection) connections.push(s.connection);
    });
    await h.stop();
    const lost = await waitFor(alice, (s) => s.connection === 'reconnecting', 'reconnecting');
    expect(lost.connectionDetail).toMatch(/server lost/);
    expect(lost.screen).toBe('chat');
    await waitFor(bob, (s) => s.connection === 'reconnecting', 'bob reconnecting');

    // Typed while the server is down: shown pending at once, kept in the outbox.
    await alice.submit('while it was down');
    await alice.submit('/msg carol also pending');
    let s = alice.getState();
    expect(s.messages.bob!.at(-1)).toMatchObject({ text: 'while it was down', status: 'pending' });
    expect(s.messages.carol!.at(-1)).toMatchObject({ text: 'also pending', status: 'pending' });
    expect(s.responses.at(-1)!.text).toMatch(/Not connected: the message to carol will be sent when the connection is back/);

    await h.start();
    s = await waitFor(alice, (st) => st.connection === 'connected', 'alice connected again');
    expect(connections).toEqual(['connected', 'reconnecting', 'connected']);
    await waitForMessage(alice, 'bob', 'while it was down');
    await waitForMessage(alice, 'carol', 'also pending');
    await waitFor(alice, (st) => st.responses.some((r) => r.text === 'resent 2 unacknowledged messages'), 'resent line');
    // The same server back: no move to speak of.
    expect(
      alice
        .getState()
        .responses.filter((r) => r.text.startsWith('Connection restored'))
        .map((r) => r.text),
    ).toEqual(['Connection restored.']);

    // Reconnects used the token, never the password (each client comes back at its own jittered moment).
    for (const c of [bob, carol]) await waitFor(c, (st) => st.connection === 'connected', 'connected again');
    const after = h.handshakes.slice(handshakesBefore);
    expect(after.length).toBeGreaterThanOrEqual(3);
    expect(after.every((x) => x.with === 'token')).toBe(true);

    const b = await waitForMessage(bob, 'alice', 'while it was down');
    expect(texts(b, 'alice')).toEqual(['before the restart', 'while it was down']);
    // Carol has it live when she was back before alice's resend, else (a conversation new to her,
    // counted unread by her catch-up) when she opens it.
    await waitFor(carol, (st) => st.connection === 'connected' && st.conversations.some((v) => v.with === 'alice'), 'carol told');
    await carol.open('alice');
    const c = await waitForMessage(carol, 'alice', 'also pending');
    expect(texts(c, 'alice')).toEqual(['also pending']);
    // Stored once on the server.
    const stored = await h.server.store.history('alice:bob', 50);
    expect(stored.map((m) => m.text)).toEqual(['before the restart', 'while it was down']);

    // And the conversation keeps working.
    await bob.submit('welcome back');
    await waitForMessage(alice, 'bob', 'welcome back');
    for (const client of [alice, bob, carol]) expectNoDuplicates(client.getState());
    expect(texts(alice.getState(), 'bob')).toEqual(['before the restart', 'while it was down', 'welcome back']);
  });

  test('messages sent while a client was away are fetched after its reconnect', async () => {
    const alice = await h.register('alice');
    // Bob retries slowly, so he is usually still away while alice (fast) sends; either way works.
    const bob = h.client({ socketOptions: { reconnectionDelay: 1500, reconnectionDelayMax: 1500, randomizationFactor: 0 } });
    expect(await bob.login({ user: 'bob', password: 'secret-pw', register: true })).toBe(true);
    await bob.open('alice');
    await alice.submit('/msg bob one');
    await waitForMessage(bob, 'alice', 'one');
    await h.stop();
    await waitFor(bob, (s) => s.connection === 'reconnecting', 'bob reconnecting');
    await h.start();
    await waitFor(alice, (s) => s.connection === 'connected', 'alice back');
    // Alice may get back before bob: what bob misses comes from history on his reconnect.
    await alice.submit('/msg bob two');
    await alice.submit('/msg bob three');
    const s = await waitForMessage(bob, 'alice', 'three');
    await waitFor(bob, (st) => st.connection === 'connected', 'bob back');
    expect(texts(s, 'alice')).toEqual(['one', 'two', 'three']);
    expectNoDuplicates(bob.getState());
    expect(bob.getState().unreadTotal).toBe(0);
  });

  test('the catch-up is one sync:since, not history pages; a new conversation shows with its unread count', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    const carol = await h.register('carol');
    await bob.open('alice');
    await alice.submit('/msg bob hello');
    await waitForMessage(bob, 'alice', 'hello');
    const mark = h.received.length;
    await h.stop();
    await waitFor(bob, (s) => s.connection === 'reconnecting', 'bob reconnecting');
    await h.start();
    await waitFor(alice, (s) => s.connection === 'connected', 'alice back');
    await waitFor(carol, (s) => s.connection === 'connected', 'carol back');
    // Whether bob is back yet or not, he ends with each message once (live, or from the catch-up).
    await alice.submit('/msg bob missed one');
    await alice.submit('/msg bob missed two');
    await carol.submit('/msg bob from carol');
    const s = await waitFor(
      bob,
      (st) =>
        st.connection === 'connected' &&
        (st.messages.alice ?? []).some((m) => m.text === 'missed two') &&
        (st.conversations.find((c) => c.with === 'carol')?.unread ?? 0) > 0,
      'bob caught up',
    );
    expect(texts(s, 'alice')).toEqual(['hello', 'missed one', 'missed two']);
    expect(s.conversations.find((c) => c.with === 'carol')).toMatchObject({ unread: 1 });
    expectNoDuplicates(s);
    await waitFor(bob, () => sentSince(h, mark, 'bob').includes('sync:since'), 'bob synced');
    const bobSent = sentSince(h, mark, 'bob');
    expect(bobSent).not.toContain('history:fetch');
    expect(bobSent).not.toContain('conversations:list');
  });

  test('with nothing open, a message that came while the connection was down opens its conversation as a live one would', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    expect(bob.getState().openConversation).toBeNull();
    await h.stop();
    await waitFor(bob, (s) => s.connection === 'reconnecting', 'bob reconnecting');
    await h.start();
    // bob's way back is held until alice's message is stored, so it reaches him only by the catch-up.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    h.server.io.use((socket, next) => {
      if (socket.data.user === 'bob') void held.then(() => next());
      else next();
    });
    await waitFor(alice, (s) => s.connection === 'connected', 'alice back');
    await alice.submit('/msg bob while you were away');
    await waitForMessage(alice, 'bob', 'while you were away');
    release();
    const s = await waitFor(
      bob,
      (st) => st.openConversation === 'alice' && texts(st, 'alice').includes('while you were away'),
      'alice open',
    );
    expect(s.connection).toBe('connected');
    expect(s.newMarker).toMatchObject({ conversation: 'alice' });
  });

  test('a session the server no longer knows: back to the login screen with a clear reason', async () => {
    const alice = await h.register('alice');
    await h.stop();
    await waitFor(alice, (s) => s.connection === 'reconnecting', 'reconnecting');
    // While the server is down, an admin removes the account and adds it again: its sessions are gone.
    const store = new SqliteStore(h.dbFile);
    await store.removeUser('alice');
    await store.createUser('alice', await hashPassword('secret-pw', TEST_COST), Date.now());
    await store.close();
    await h.start();
    const s = await waitFor(alice, (st) => st.screen === 'login', 'login screen');
    expect(s.loginError).toBe('Your session has ended; log in again with your password.');
    expect(s.connection).toBe('offline');
    expect(await alice.login({ user: 'alice', password: 'secret-pw' })).toBe(true);
  });
});
