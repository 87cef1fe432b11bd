/** The client's typing notices and away, against a real server: what is sent, when, and what each screen's state holds. */
import { describe, expect, test } from '@jest/globals';
import { TYPING_REFRESH_MS } from '@tui-chat/protocol';
import { respond, startHarness, waitFor, perTest } from '@tui-chat/testkit';

const h = perTest(() => startHarness());

/** Polls `check` until it holds: what the server received changes no client's state to wait on. */
async function until(check: () => boolean, what: string): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > 8000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The typing notices alice's sessions sent the server. */
const notices = (user = 'alice'): unknown[] => h.received.filter((r) => r.user === user && r.event === 'typing:send').map((r) => r.payload);

describe('typing', () => {
  test('a message being written tells the other party at most every few seconds; sending it stops it on both sides', async () => {
    let now = 1_000_000;
    const alice = h.client({ now: () => now });
    expect(await alice.login({ user: 'alice', password: 'secret-pw', register: true })).toBe(true);
    const bob = await h.register('bob');
    await alice.open('bob');
    alice.draft('h');
    alice.draft('he');
    alice.draft('hel');
    const typing = await waitFor(bob, (s) => s.typing.alice?.alice !== undefined, 'bob to see alice typing');
    expect(Object.keys(typing.typing)).toEqual(['alice']);
    // Within the refresh time: one notice for all three keys.
    expect(notices()).toEqual([{ conversation: 'alice:bob', active: true }]);
    now += TYPING_REFRESH_MS;
    alice.draft('hell');
    await until(() => notices().length === 2, 'the refresh');
    // Sent: the line empties (a stop), and bob's indicator goes when the message lands even before.
    await alice.submit('hello');
    alice.draft('');
    await waitFor(
      bob,
      (s) => s.messages.alice?.some((m) => m.text === 'hello') === true && s.typing.alice === undefined,
      'the message, no indicator',
    );
    await until(() => notices().length === 3, 'the stop');
    expect(notices()[2]).toEqual({ conversation: 'alice:bob', active: false });
  });

  test('no notice for a command, an empty line, the broadcasts, nothing open, or with the typing setting off', async () => {
    const alice = await h.register('alice');
    await h.register('bob');
    alice.draft('hi'); // nothing open
    await alice.open('(broadcasts)');
    alice.draft('hi all');
    await alice.open('bob');
    alice.draft('/msg bob hi');
    alice.draft('   ');
    await respond(alice, '/set typing off');
    alice.draft('hello');
    expect(notices()).toEqual([]);
    await respond(alice, '/set typing on');
    alice.draft('//not a command');
    await until(() => notices().length === 1, 'the notice');
    // Turning the line into a command stops it.
    alice.draft('/');
    await until(() => notices().length === 2, 'the stop');
    // A draft carried into another conversation stops there, and starts here only with a key.
    await h.register('carol');
    alice.draft('/x');
    alice.draft('for carol');
    await until(() => notices().length === 3, 'the notice to bob');
    await alice.open('carol');
    alice.draft('for carol');
    await until(() => notices().length === 4, 'the stop to bob');
    alice.draft('for carol!');
    await until(() => notices().length === 5, 'the notice to carol');
    expect(notices()).toEqual([
      { conversation: 'alice:bob', active: true },
      { conversation: 'alice:bob', active: false },
      { conversation: 'alice:bob', active: true },
      { conversation: 'alice:bob', active: false },
      { conversation: 'alice:carol', active: true },
    ]);
  });

  test('the indicator goes by itself when no notice refreshes it, and when the writer goes offline', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    await alice.open('bob');
    alice.draft('thinking…');
    await waitFor(bob, (s) => s.typing.alice !== undefined, 'alice typing');
    // No more keys: it expires (TYPING_EXPIRY_MS) without a word from the server.
    await waitFor(bob, (s) => s.typing.alice === undefined, 'the indicator to expire', 12_000);
    expect(notices()).toHaveLength(1);
    alice.draft('thinking again');
    await waitFor(bob, (s) => s.typing.alice !== undefined, 'alice typing again');
    alice.close();
    await waitFor(bob, (s) => !s.online.includes('alice') && s.typing.alice === undefined, 'alice gone, not typing');
  });
});

describe('away', () => {
  test('/away lunch shows on the others (whoelse, people, the state the header reads); /away alone toggles back; /back', async () => {
    const carol = await h.register('carol');
    const bob = await h.register('bob');
    expect((await respond(carol, '/away  lunch,\tback at 3')).text).toBe(
      'You are away: lunch, back at 3. /back (or /away) when you return.',
    );
    await waitFor(bob, (s) => s.away.carol === 'lunch, back at 3', 'bob to see carol away');
    expect(carol.getState().away.carol).toBe('lunch, back at 3');
    expect((await respond(bob, '/whoelse')).text).toBe('online: carol (away: lunch, back at 3)');
    expect((await respond(bob, '/people')).text).toBe(
      'people on this server (2, 2 of them online ●): ● bob (you), ● carol (away: lunch, back at 3)',
    );
    // A newcomer learns it at login.
    const dave = await h.register('dave');
    await waitFor(dave, (s) => s.away.carol === 'lunch, back at 3', 'dave to know at login');
    expect((await respond(carol, '/away')).text).toBe('You are back.');
    await waitFor(bob, (s) => s.away.carol === undefined, 'carol back');
    expect((await respond(carol, '/away')).text).toBe('You are away. /back (or /away) when you return.');
    await waitFor(bob, (s) => s.away.carol === '', 'away without a text');
    expect((await respond(bob, '/whoelse')).text).toBe('online: carol (away), dave');
    expect((await respond(carol, '/back')).text).toBe('You are back.');
    expect((await respond(carol, '/back')).text).toBe('You are not away.');
    expect((await respond(carol, '/back now')).text).toMatch(/^\/back takes no arguments/);
  });

  test('a text too long is refused before sending; control characters are made plain', async () => {
    const carol = await h.register('carol');
    const bob = await h.register('bob');
    const refused = await respond(carol, `/away ${'x'.repeat(101)}`);
    expect(refused).toMatchObject({ kind: 'usage' });
    expect(refused.text).toMatch(/^An away text holds at most 100 characters; this one has 101\. You are not away\./);
    expect(h.received.filter((r) => r.event === 'presence:away')).toEqual([]);
    await respond(carol, '/away \u001b[2Jgone\u202e');
    await waitFor(bob, (s) => s.away.carol === '[2Jgone', 'the cleaned text');
  });

  test('another session of the same user shares it; a dropped connection keeps it (the client says it again)', async () => {
    const carol = await h.register('carol');
    const carol2 = await h.login('carol');
    const bob = await h.register('bob');
    await respond(carol, '/away lunch');
    await waitFor(carol2, (s) => s.away.carol === 'lunch', 'the other session to know');
    expect((await respond(carol2, '/away')).text).toBe('You are back.');
    await waitFor(carol, (s) => s.away.carol === undefined, 'the first session to know it is back');
    carol2.close();
    await respond(carol, '/away lunch');
    await waitFor(bob, (s) => s.away.carol === 'lunch', 'bob to see it');
    // The server restarts: carol's only session drops (away ends there), and her client says it again.
    await h.stop();
    await h.start();
    await waitFor(carol, (s) => s.connection === 'connected', 'carol back', 15_000);
    await waitFor(bob, (s) => s.connection === 'connected', 'bob back', 15_000);
    await waitFor(bob, (s) => s.away.carol === 'lunch', 'carol away again for bob', 15_000);
  });
});
