/**
 * Replies far larger than requests (red-team item 3): pages are bounded by their size as sent, a
 * session's page bytes are budgeted, a connection that does not read gets no more pages (and is
 * dropped when it falls far behind), so the server's memory for it stays bounded. Asserted on
 * bytes (sent, buffered), never on time.
 */
import { afterEach, expect, test } from '@jest/globals';
import { conversationId, REPLY_PAGE_MAX_BYTES, type ChatMessage } from '@tui-chat/protocol';
import pino from 'pino';
import { bufferedBytes, BUFFERED_SOFT_BYTES, watchReadPressure } from '../../src/guard/read-pressure.js';
import { cid, request, startHarness, until, type Harness, type TestSocket } from '../helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** 8 KiB of control characters: 49 KiB once JSON escapes each as \u00XX. */
const NASTY = '\u0001'.repeat(8 * 1024);
const sent = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/** `n` messages from alice to bob, stored as if sent (rate limits are not what is tested here). */
async function fill(n: number, text = NASTY): Promise<void> {
  for (let i = 0; i < n; i += 100) {
    const batch = Array.from({ length: Math.min(100, n - i) }, (_, k) => ({
      from: 'alice',
      to: 'bob',
      text,
      at: Date.now(),
      clientId: `fill-${i + k}-xxxx`,
      kind: 'direct' as const,
    }));
    await h.server.context.writer.append(batch);
  }
}

/** Stops reading the socket's TCP stream (the server's writes pile up) or starts again. */
function reading(socket: TestSocket, on: boolean): void {
  const tcp = (socket.io.engine.transport as unknown as { ws: { _socket: { pause(): void; resume(): void } } }).ws._socket;
  if (on) tcp.resume();
  else tcp.pause();
}

test('history, sync, inbox and broadcasts pages stay near REPLY_PAGE_MAX_BYTES as sent, and paging still reaches every message', async () => {
  // (Paging through all of it is more than a session's default page budget: raised here.)
  h = await startHarness({ limits: { readBytesPerWindow: 1e9 } });
  const alice = await h.register('alice');
  const bob = await h.register('bob');
  await fill(500);
  // The red team's 45-byte request: 500 of these was 24.6 MB.
  const first = await request(bob.socket, 'history:fetch', { with: 'alice', limit: 500 });
  if (!first.ok) throw new Error(first.error.message);
  expect(sent(first)).toBeLessThanOrEqual(REPLY_PAGE_MAX_BYTES + 1024);
  expect(first.messages.length).toBeGreaterThan(1);
  expect(first.messages.at(-1)!.seq).toBe(500);
  // Page back to the start: every message once, every page bounded.
  const seqs = first.messages.map((m) => m.seq);
  let before = first.before;
  while (before !== null) {
    const page = await request(bob.socket, 'history:fetch', { with: 'alice', limit: 500, before });
    if (!page.ok) throw new Error(page.error.message);
    expect(sent(page)).toBeLessThanOrEqual(REPLY_PAGE_MAX_BYTES + 1024);
    seqs.unshift(...page.messages.map((m) => m.seq));
    before = page.before;
  }
  expect(seqs).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));

  // The catch-up: bounded, `more`, and it moves on.
  const sync = await request(bob.socket, 'sync:since', { seen: { [conversationId('alice', 'bob')]: 0 }, limit: 1000 });
  if (!sync.ok) throw new Error(sync.error.message);
  expect(sent(sync)).toBeLessThanOrEqual(REPLY_PAGE_MAX_BYTES + 4096);
  expect(sync.more).toBe(true);
  // The summary's newest message is cut, not 49 KiB.
  const list = await request(bob.socket, 'conversations:list', {});
  expect(list.ok && sent(list)).toBeLessThan(2048);

  // The inbox: the oldest that fit, marked read; `more` for the rest.
  const inbox = await request(bob.socket, 'inbox:fetch', {});
  if (!inbox.ok) throw new Error(inbox.error.message);
  expect(sent(inbox)).toBeLessThanOrEqual(REPLY_PAGE_MAX_BYTES + 1024);
  expect(inbox.more).toBe(true);
  const firstInbox: ChatMessage[] = inbox.groups.flatMap((g) => g.messages);
  expect(firstInbox[0]!.seq).toBe(1);

  // Broadcasts.
  for (let i = 0; i < 10; i++) await request(alice.socket, 'broadcast:send', { text: NASTY, clientId: cid() });
  const b = await request(bob.socket, 'broadcasts:fetch', { limit: 500 });
  if (!b.ok) throw new Error(b.error.message);
  expect(sent(b)).toBeLessThanOrEqual(REPLY_PAGE_MAX_BYTES + 1024);
  expect(b.before).not.toBeNull();
}, 30_000);

test('a user reading faster than the page budget is told to wait, with how long, in every session', async () => {
  h = await startHarness({ limits: { readBytesPerWindow: 600 * 1024, windowSeconds: 60 } });
  await h.register('alice');
  const bob = await h.register('bob');
  await fill(100);
  const replies = [];
  for (let i = 0; i < 5; i++) replies.push(await request(bob.socket, 'history:fetch', { with: 'alice', limit: 500 }));
  const refused = replies.filter((r) => !r.ok);
  expect(replies.filter((r) => r.ok).length).toBe(3); // 3 pages of ~256 KiB pass 600 KiB
  expect(refused[0]).toMatchObject({
    ok: false,
    error: {
      code: 'rate_limited',
      message: expect.stringMatching(/^You are reading faster than this server gives out; wait \d+ s and try again\.$/),
    },
  });
  // Other requests are not held up by it.
  expect((await request(bob.socket, 'presence:whoelse', {})).ok).toBe(true);
  // Another session of the same user shares the budget (a user holds up to 20 tokens).
  const bob2 = await h.login('bob');
  expect(await request(bob2.socket, 'history:fetch', { with: 'alice', limit: 500 })).toMatchObject({
    ok: false,
    error: { code: 'rate_limited' },
  });
});

test('a client that does not read gets no more pages once what it is owed reaches BUFFERED_SOFT_BYTES: what the server holds for it stays bounded', async () => {
  h = await startHarness();
  await h.register('alice');
  const bob = await h.register('bob');
  await fill(200);
  const serverSide = [...h.server.io.of('/').sockets.values()].find((s) => s.data.user === 'bob')!;
  let handled = 0;
  serverSide.onAny(() => handled++);
  reading(bob.socket, false);
  let most = 0;
  const sample = setInterval(() => (most = Math.max(most, bufferedBytes(serverSide))), 1);
  // The red team's 40 large pages, then a small request: once it is in, the 40 have been answered.
  const replies = Array.from({ length: 40 }, () => request(bob.socket, 'history:fetch', { with: 'alice', limit: 500 }));
  const last = request(bob.socket, 'presence:whoelse', {});
  await until(() => handled === 41, 'the 41 requests at the server');
  await new Promise((r) => setImmediate(r));
  most = Math.max(most, bufferedBytes(serverSide));
  clearInterval(sample);
  // The red team saw 2 GB held for 40 such requests: here at most what the soft bound lets through.
  expect(most).toBeLessThan(BUFFERED_SOFT_BYTES + REPLY_PAGE_MAX_BYTES);
  reading(bob.socket, true);
  const answers = await Promise.all(replies);
  await last;
  // A few pages go out before the bound is reached (the kernel's socket buffers, outside the
  // process, take some first); the rest are refused, not built.
  const pages = answers.filter((r) => r.ok);
  expect(pages.length).toBeGreaterThanOrEqual(1);
  expect(pages.length).toBeLessThan(20);
  expect(answers.find((r) => !r.ok)).toMatchObject({
    error: { code: 'rate_limited', message: 'Your connection has not taken in the last answers yet; try again in 1 s.' },
  });
}, 30_000);

test('a connection that falls far behind on deliveries is dropped, not buffered without end', async () => {
  h = await startHarness();
  const alice = await h.register('alice');
  const bob = await h.register('bob');
  const stop = watchReadPressure(h.server.io, pino({ level: 'silent' }), 20, 1024 * 1024);
  try {
    const serverSide = [...h.server.io.of('/').sockets.values()].find((x) => x.data.user === 'bob')!;
    const serverGone = new Promise<void>((resolve) => serverSide.once('disconnect', () => resolve()));
    reading(bob.socket, false);
    // Deliveries to bob (49 KiB each as sent), far more than the kernel's socket buffers take.
    const big = { id: 1, from: 'alice', text: NASTY, at: Date.now(), clientId: 'flood-xxxx' };
    for (let i = 0; i < 400 && serverSide.connected; i++) {
      h.server.io.to('user:bob').emit('broadcast:new', big);
      await new Promise((r) => setImmediate(r));
    }
    await serverGone;
    expect(bufferedBytes(serverSide)).toBe(0);
  } finally {
    stop();
    reading(bob.socket, true);
  }
  // alice is unaffected.
  expect((await request(alice.socket, 'presence:whoelse', {})).ok).toBe(true);
}, 30_000);
