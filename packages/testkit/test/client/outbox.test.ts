/**
 * The outbox when the server does not simply answer: a send with no answer while connected is
 * retried with the same clientId; `rate_limited` is retried after `retryAfter`; both give up after a
 * bounded number of attempts and show the failure; the order of sending is kept throughout.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import type { ChatServerOptions } from '@tui-chat/server';
import { expectNoDuplicates, startHarness, waitFor, waitForMessage, type Harness } from '@tui-chat/testkit';
import { texts } from '@tui-chat/testkit';

let h: Harness;
afterEach(async () => {
  await h.close();
});

type Packet = unknown[];
/**
 * Lets `edit` see (and change or swallow) every request packet `user` sends from now on.
 * `edit` returns false to drop the packet: the server never sees it and never answers.
 */
function intercept(user: string, edit: (packet: Packet) => boolean): void {
  const hook = (socket: { data: { user: string }; use: (fn: (p: Packet, next: () => void) => void) => void }) => {
    if (socket.data.user !== user) return;
    socket.use((packet, next) => {
      if (edit(packet)) next();
    });
  };
  for (const socket of h.server.io.sockets.sockets.values()) hook(socket as never);
  h.server.io.on('connection', (socket) => hook(socket as never));
}

async function start(options: ChatServerOptions = {}): Promise<void> {
  h = await startHarness(options);
}

describe('no answer while connected', () => {
  test('a send whose request is lost is sent again with the same clientId; stored once, shown once', async () => {
    await start();
    const alice = h.client({ requestTimeoutMs: 300 });
    expect(await alice.login({ user: 'alice', password: 'secret-pw', register: true })).toBe(true);
    const bob = await h.register('bob');
    const ids: string[] = [];
    let dropped = 0;
    intercept('alice', (packet) => {
      if (packet[0] !== 'message:send') return true;
      ids.push((packet[1] as { clientId: string }).clientId);
      return dropped++ > 0; // the first one never reaches the server
    });
    await alice.submit('/msg bob lost once');
    await waitForMessage(alice, 'bob', 'lost once');
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);
    expect(alice.getState().responses.some((r) => /did not answer within .* Trying the message to bob again/.test(r.text))).toBe(true);
    await waitForMessage(bob, 'alice', 'lost once');
    expect((await h.server.store.history('alice:bob', 10)).map((m) => m.text)).toEqual(['lost once']);
  });

  test('a send stored by the server whose answer is lost: the retry gets the original acknowledgement', async () => {
    await start();
    const alice = h.client({ requestTimeoutMs: 300 });
    expect(await alice.login({ user: 'alice', password: 'secret-pw', register: true })).toBe(true);
    const bob = await h.register('bob');
    let swallowed = 0;
    intercept('alice', (packet) => {
      if (packet[0] === 'message:send' && swallowed++ === 0) packet[packet.length - 1] = () => undefined;
      return true;
    });
    await alice.submit('/msg bob answer lost');
    await alice.submit('/msg bob next');
    const s = await waitForMessage(alice, 'bob', 'next');
    expect(s.messages.bob!.map((m) => [m.text, m.seq, m.status])).toEqual([
      ['answer lost', 1, 'sent'],
      ['next', 2, 'sent'],
    ]);
    const b = await waitForMessage(bob, 'alice', 'next');
    expect(texts(b, 'alice')).toEqual(['answer lost', 'next']);
    expectNoDuplicates(b);
    expect((await h.server.store.history('alice:bob', 10)).map((m) => m.text)).toEqual(['answer lost', 'next']);
  });

  test('never answered: failed after a bounded number of attempts, with the reason; the queue moves on', async () => {
    await start();
    const alice = h.client({ requestTimeoutMs: 150, sendAttempts: 3 });
    expect(await alice.login({ user: 'alice', password: 'secret-pw', register: true })).toBe(true);
    await h.register('bob');
    let tries = 0;
    intercept(
      'alice',
      (packet) => packet[0] !== 'message:send' || (packet[1] as { text: string }).text !== 'black hole' || (tries++, false),
    );
    await alice.submit('/msg bob black hole');
    await alice.submit('/msg bob after it');
    const s = await waitForMessage(alice, 'bob', 'after it');
    expect(tries).toBe(3);
    const failed = s.messages.bob!.find((m) => m.text === 'black hole')!;
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed.error).toMatch(/No answer from the server after 3 attempts; the message to bob may not have been sent/);
  });
});

describe('rate_limited', () => {
  test('a flood is slowed, not refused: every message goes out after retryAfter, in the order typed', async () => {
    await start({ limits: { messagesPerWindow: 3, windowSeconds: 1 } });
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    await alice.open('bob');
    const lines = ['one', 'two', 'three', 'four', 'five', 'six'];
    // Typed quickly, without waiting for each other.
    await Promise.all(lines.map((t) => alice.submit(t)));
    const s = await waitFor(alice, (st) => (st.messages.bob ?? []).filter((m) => m.status === 'sent').length === 6, 'all six sent');
    expect(s.messages.bob!.map((m) => [m.text, m.seq])).toEqual(lines.map((t, i) => [t, i + 1]));
    expect(s.responses.some((r) => /^Sending too fast: the message to bob goes out in 1 s\.$/.test(r.text))).toBe(true);
    const b = await waitForMessage(bob, 'alice', 'six');
    expect(texts(b, 'alice')).toEqual(lines);
  });

  test('still limited after the bounded retries: shown failed with the server’s reason', async () => {
    // An allowance of none: every attempt is refused with retryAfter 1 s.
    await start({ limits: { messagesPerWindow: 0, windowSeconds: 1 } });
    const alice = h.client({ sendAttempts: 3 });
    expect(await alice.login({ user: 'alice', password: 'secret-pw', register: true })).toBe(true);
    await h.register('bob');
    const mark = h.received.length;
    await alice.submit('/msg bob squeezed out');
    const s = await waitFor(alice, (st) => st.messages.bob?.[0]?.status === 'failed', 'failed after retries');
    expect(s.messages.bob![0]!.error).toMatch(/^You are sending too fast; wait 1 s and try again\. Nothing was sent\.$/);
    expect(h.received.slice(mark).filter((r) => r.event === 'message:send')).toHaveLength(3);
    expect(alice.getState().responses.at(-1)).toMatchObject({ kind: 'error', text: s.messages.bob![0]!.error });
  });
});
