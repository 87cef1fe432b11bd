/** A logout and another user's login on the same client: nothing of the first session carries over. */
import { expect, test } from '@jest/globals';
import { startHarness, waitFor } from '@tui-chat/testkit';

test('after a logout, another user logging in on the same client starts from a fresh session: nothing of the first one carries over', async () => {
  const h = await startHarness();
  try {
    await h.register('bob');
    await h.register('carol');
    const alice = await h.register('alice');
    await h.stop();
    await alice.submit('/msg bob queued while the server is down');
    expect(alice.getState().messages.bob?.at(-1)?.status).toBe('pending');
    await alice.logout();
    await h.start();
    // carol sits down at the same terminal.
    expect(await alice.login({ user: 'carol', password: 'secret-pw' })).toBe(true);
    const s = await waitFor(alice, (st) => st.screen === 'chat', 'the chat screen');
    expect(s.user).toBe('carol');
    expect(s.messages.bob ?? []).toEqual([]);
    // alice's queued message is not sent as carol's (nor as alice's by carol's session).
    await alice.submit('/whoelse');
    const bob = await h.login('bob');
    await bob.open('carol');
    await bob.open('alice');
    expect(bob.getState().messages.carol ?? []).toEqual([]);
    expect(bob.getState().messages.alice ?? []).toEqual([]);
  } finally {
    await h.close();
  }
});
