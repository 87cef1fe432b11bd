/**
 * Reconnecting is quick and visible, against a real server stopped and started again on the same
 * port and file: the first retry goes at once, the waits are short and announced (for the
 * countdown), presence is unknown while the connection is down, and a retry can be started now.
 * Clients here use the real schedule (no shortened delays).
 */
import { describe, expect, test } from '@jest/globals';
import { RECONNECT_BACKOFF, type ChatClient, type ClientState } from '@tui-chat/client';
import { startHarness, waitFor, perTest } from '@tui-chat/testkit';

const h = perTest(() => startHarness());

/** A client on the real retry schedule. */
async function realClient(name: string, socketOptions = {}): Promise<ChatClient> {
  const c = h.client({ socketOptions });
  expect(await c.login({ user: name, password: 'secret-pw', register: true })).toBe(true);
  return c;
}

/** Every state the client goes through while reconnecting, with when it was seen. */
function record(client: ChatClient): { at: number; state: ClientState }[] {
  const seen: { at: number; state: ClientState }[] = [];
  client.subscribe((state) => {
    if (state.connection === 'reconnecting') seen.push({ at: Date.now(), state });
  });
  return seen;
}

const attempts = (seen: { state: ClientState }[]) =>
  seen.filter((x, i) => x.state.reconnectAt === null && seen[i - 1]?.state.reconnectAt !== null);

describe('a lost server', () => {
  test('presence turns unknown, the first retry goes at once, the waits stay under the cap, and the client is back soon after the server', async () => {
    const alice = await realClient('alice');
    await realClient('bob');
    await alice.submit('/msg bob hello');
    await waitFor(alice, (s) => s.presenceKnown && s.online.includes('bob'), 'bob online');
    expect(alice.getState().conversations.find((c) => c.with === 'bob')?.online).toBe(true);

    const seen = record(alice);
    await h.stop();
    const lost = await waitFor(alice, (s) => s.connection === 'reconnecting', 'reconnecting');
    // Nobody is claimed online while the connection is down.
    expect(lost.presenceKnown).toBe(false);
    expect(lost.online).toEqual([]);
    expect(lost.conversations.every((c) => !c.online)).toBe(true);
    // The first state after the loss is an attempt under way: no wait before it.
    expect(seen[0]!.state.reconnectAt).toBeNull();
    expect(seen[0]!.state.connectionDetail).toBe('server lost; trying now');

    // A few refused attempts: the old schedule (1, 2, 4, 8 s) would be waiting 8 s by now.
    await waitFor(alice, () => attempts(seen).length >= 5, 'five attempts', 15_000);
    const waits = seen.filter((x) => x.state.reconnectAt !== null);
    expect(waits.length).toBeGreaterThanOrEqual(4);
    for (const w of waits) {
      expect(w.state.reconnectAt! - w.at).toBeLessThanOrEqual(RECONNECT_BACKOFF.capMs);
      expect(w.state.connectionDetail).toBe('server lost');
      expect(w.state.presenceKnown).toBe(false);
    }
    // /whoelse does not claim anyone either: it says the connection is down.
    await alice.submit('/whoelse');
    expect(alice.getState().responses.at(-1)!.text).toMatch(/^Not connected/);
    expect(alice.getState().online).toEqual([]);

    await h.start();
    const waiting = alice.getState().reconnectAt;
    expect(waiting === null || waiting - Date.now() <= RECONNECT_BACKOFF.capMs).toBe(true);
    // Back, with real presence again once bob is back too.
    const back = await waitFor(alice, (s) => s.connection === 'connected' && s.presenceKnown && s.online.includes('bob'), 'back');
    expect(back.reconnectAt).toBeNull();
    expect(back.conversations.find((c) => c.with === 'bob')?.online).toBe(true);
  });

  test('retryNow starts the waiting attempt at once, long before its time', async () => {
    // A long schedule: after the first (immediate) retry fails, the next waits 6 to 60 s.
    const alice = await realClient('alice', { reconnectionDelay: 60_000, reconnectionDelayMax: 60_000 });
    expect(alice.retryNow()).toBe(false); // connected: nothing waits
    await h.stop();
    const waiting = await waitFor(alice, (s) => s.reconnectAt !== null, 'a retry waiting');
    expect(waiting.reconnectAt! - Date.now()).toBeGreaterThan(5000);
    await h.start();
    expect(alice.retryNow()).toBe(true);
    expect(alice.getState()).toMatchObject({ connection: 'reconnecting', reconnectAt: null, connectionDetail: 'server lost; trying now' });
    await waitFor(alice, (s) => s.connection === 'connected', 'back', 5000);
    expect(Date.now()).toBeLessThan(waiting.reconnectAt!);
    expect(alice.retryNow()).toBe(false);
  });
});
