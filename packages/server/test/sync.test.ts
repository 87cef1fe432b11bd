/** 'sync:since': the catch-up after a reconnect. */
import { describe, expect, test } from '@jest/globals';
import { SYNC_CONVERSATIONS_MAX, type SyncedConversation } from '@tui-chat/protocol';
import { cid, expectError, request, startHarness, type TestSocket } from './helpers.js';
import { perTest } from '@tui-chat/testkit';

const h = perTest(() => startHarness());

async function send(socket: TestSocket, to: string, text: string): Promise<number> {
  const r = await request(socket, 'message:send', { to, text, clientId: cid() });
  if (!r.ok) throw new Error(r.error.message);
  return r.message.seq;
}

async function sync(socket: TestSocket, seen: Record<string, number>, limit?: number) {
  const r = await request(socket, 'sync:since', limit === undefined ? { seen } : { seen, limit });
  if (!r.ok) throw new Error(r.error.message);
  return r;
}

const byWith = (list: SyncedConversation[]) => Object.fromEntries(list.map((c) => [c.with, c]));

describe('sync:since', () => {
  test('replays what a listed conversation missed and names the new conversations with their unread counts', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    const carol = await h.register('carol');
    await h.register('dave');
    for (const t of ['b1', 'b2', 'b3']) await send(bob.socket, 'alice', t);
    await send(alice.socket, 'bob', 'a4');
    for (const t of ['c1', 'c2']) await send(carol.socket, 'alice', t);

    // Alice has seen up to seq 1 with bob and does not know the conversation with carol.
    const r = await sync(alice.socket, { 'alice:bob': 1 });
    expect(r.more).toBe(false);
    const c = byWith(r.conversations);
    expect(Object.keys(c).sort()).toEqual(['bob', 'carol']);
    expect(c.bob).toMatchObject({ listed: true, more: false, lastSeq: 4, unread: 3, readSeq: 0, online: true });
    expect(c.bob!.messages.map((m) => [m.seq, m.from, m.text])).toEqual([
      [2, 'bob', 'b2'],
      [3, 'bob', 'b3'],
      [4, 'alice', 'a4'],
    ]);
    expect(c.carol).toMatchObject({ listed: false, messages: [], more: false, lastSeq: 2, unread: 2 });
    expect(c.carol!.last?.text).toBe('c2');

    // Up to date: nothing to replay.
    const again = await sync(alice.socket, { 'alice:bob': 4, 'alice:carol': 2 });
    expect(again.conversations.every((x) => x.listed && x.messages.length === 0 && !x.more)).toBe(true);
    // A seq beyond the end (a client that knows more than this server) is not an error.
    expect((await sync(alice.socket, { 'alice:bob': 99 })).conversations.find((x) => x.with === 'bob')!.messages).toEqual([]);
  });

  test('a long gap comes in pages: `more` until the client has it all, nothing twice', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    const carol = await h.register('carol');
    for (let i = 1; i <= 25; i++) await send(bob.socket, 'alice', `b${i}`);
    for (let i = 1; i <= 4; i++) await send(carol.socket, 'alice', `c${i}`);
    const seen: Record<string, number> = { 'alice:bob': 0, 'alice:carol': 0 };
    const got: string[] = [];
    let rounds = 0;
    for (;;) {
      rounds++;
      const r = await sync(alice.socket, seen, 10);
      const page = r.conversations.flatMap((x) => x.messages);
      expect(page.length).toBeLessThanOrEqual(10);
      for (const x of r.conversations) {
        if (x.messages.length > 0) seen[x.conversation] = x.messages.at(-1)!.seq;
        got.push(...x.messages.map((m) => m.text));
      }
      if (!r.more) break;
      expect(rounds).toBeLessThan(10);
    }
    expect(rounds).toBe(3);
    expect(got.sort()).toEqual([...Array.from({ length: 25 }, (_, i) => `b${i + 1}`), 'c1', 'c2', 'c3', 'c4'].sort());
  });

  test('ids that are not the user’s conversations, and too many of them, are refused clearly', async () => {
    const alice = await h.register('alice');
    await h.register('bob');
    for (const id of ['bob:carol', 'bob:alice', 'alice:alice', 'alice:..', 'alice:bob:carol']) {
      const e = expectError(await request(alice.socket, 'sync:since', { seen: { [id]: 0 } }), 'bad_request');
      expect(e.message.length).toBeGreaterThan(10);
    }
    const tooMany = Object.fromEntries(Array.from({ length: SYNC_CONVERSATIONS_MAX + 1 }, (_, i) => [`alice:u${i}`, 0]));
    const e = expectError(await request(alice.socket, 'sync:since', { seen: tooMany }), 'bad_request');
    expect(e.message).toMatch(/at most 500 conversations/);
    expectError(await request(alice.socket, 'sync:since', { seen: { 'alice:bob': -1 } }), 'bad_request');
    expectError(await request(alice.socket, 'sync:since', { seen: { 'alice:bob': 1 }, limit: 0 }), 'bad_request');
    // A conversation that does not exist yet is simply absent from the answer.
    expect((await sync(alice.socket, { 'alice:bob': 0 })).conversations).toEqual([]);
  });
});
