/** search:run over a real server and sockets: what it finds, every refusal's sentence, bad shapes, the limit, pages. */
import { afterEach, describe, expect, test } from '@jest/globals';
import { REPLY_PAGE_MAX_BYTES, SEARCH_PAGE_DEFAULT, SEARCH_PAGE_MAX, SEARCH_QUERY_MAX, type ChatMessage } from '@tui-chat/protocol';
import { cid, expectError, rawRequest, request, startHarness, type Harness, type TestSocket } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const unlimited = { limits: { messagesPerWindow: 1e9, requestsPerWindow: 1e9, readBytesPerWindow: 1e12 } };

async function send(socket: TestSocket, to: string, text: string): Promise<ChatMessage> {
  const r = await request(socket, 'message:send', { to, text, clientId: cid() });
  if (!r.ok) throw new Error(r.error.message);
  return r.message;
}

/** Every page of a search, following `before` to the end. */
async function allPages(
  socket: TestSocket,
  query: string,
  limit?: number,
): Promise<{ pages: ChatMessage[][]; befores: (number | null)[] }> {
  const pages: ChatMessage[][] = [];
  const befores: (number | null)[] = [];
  let before: number | undefined;
  for (;;) {
    const r = await request(socket, 'search:run', { query, limit, before });
    if (!r.ok) throw new Error(r.error.message);
    pages.push(r.messages);
    befores.push(r.before);
    if (r.before === null) return { pages, befores };
    before = r.before;
  }
}

describe('search:run', () => {
  test('finds what the user can read, newest first, with the terms it looked for; never anyone else’s', async () => {
    h = await startHarness();
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    const carol = await h.register('carol');
    const first = await send(alice.socket, 'bob', 'Lunchtime at noon?');
    await send(carol.socket, 'bob', 'lunch with me instead, secretly');
    expect((await request(alice.socket, 'group:create', { name: 'team', members: ['bob'] })).ok).toBe(true);
    const inGroup = await send(bob.socket, '#team', 'LUNCH at the café');
    await send(alice.socket, 'bob', 'nothing to see');

    const r = await request(alice.socket, 'search:run', { query: 'Lunch!' });
    expect(r).toEqual({ ok: true, messages: [inGroup, first], terms: ['lunch'], before: null });
    const both = await request(alice.socket, 'search:run', { query: '  "lunch"  CAFE* ' });
    expect(both).toEqual({ ok: true, messages: [inGroup], terms: ['lunch', 'cafe'], before: null });
    // Bob reads all three conversations; carol only hers.
    const forBob = await request(bob.socket, 'search:run', { query: 'lunch' });
    expect(forBob.ok && forBob.messages.map((m) => m.conversation)).toEqual(['#team', 'bob:carol', 'alice:bob']);
    const forCarol = await request(carol.socket, 'search:run', { query: 'lunch' });
    expect(forCarol.ok && forCarol.messages.map((m) => m.text)).toEqual(['lunch with me instead, secretly']);
    const nothing = await request(carol.socket, 'search:run', { query: 'noon' });
    expect(nothing).toEqual({ ok: true, messages: [], terms: ['noon'], before: null });
  });

  test('`with` keeps to one conversation, a user or a group', async () => {
    h = await startHarness();
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    await h.register('carol');
    expect((await request(alice.socket, 'group:create', { name: 'team', members: ['bob'] })).ok).toBe(true);
    const pair = await send(alice.socket, 'bob', 'plan the trip');
    const group = await send(bob.socket, '#team', 'plan B');
    await send(alice.socket, 'carol', 'plan with carol');
    const texts = async (w: string) => {
      const r = await request(alice.socket, 'search:run', { query: 'plan', with: w });
      return r.ok ? r.messages : r.error.message;
    };
    expect(await texts('bob')).toEqual([pair]);
    expect(await texts('BOB')).toEqual([pair]);
    expect(await texts('#team')).toEqual([group]);
  });

  test('refusals, each in one sentence', async () => {
    h = await startHarness();
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    await h.register('carol');
    expect((await request(bob.socket, 'group:create', { name: 'crew', members: ['carol'] })).ok).toBe(true);
    const refused = async (payload: { query: string; with?: string }, code: Parameters<typeof expectError>[1]) =>
      expectError(await request(alice.socket, 'search:run', payload), code).message;

    const noWords = 'Give words to search for, such as /search lunch.';
    expect(await refused({ query: '' }, 'bad_request')).toBe(noWords);
    expect(await refused({ query: '   ' }, 'bad_request')).toBe(noWords);
    expect(await refused({ query: '"*" ( ) -- :^ 🙂 _ ...' }, 'bad_request')).toBe(noWords);
    expect(await refused({ query: 'x'.repeat(SEARCH_QUERY_MAX + 1) }, 'bad_request')).toBe(
      `A search holds at most ${SEARCH_QUERY_MAX} characters; this one has ${SEARCH_QUERY_MAX + 1}.`,
    );
    // Characters, not UTF-16 units: 200 emoji are 200 characters.
    expect((await request(alice.socket, 'search:run', { query: `a${'🙂'.repeat(SEARCH_QUERY_MAX - 1)}` })).ok).toBe(true);
    expect(await refused({ query: 'lunch', with: 'zed' }, 'unknown_user')).toBe('There is no user named zed.');
    expect(await refused({ query: 'lunch', with: 'alice' }, 'self_message')).toBe('There is no conversation with yourself to search.');
    expect(await refused({ query: 'lunch', with: 'no body' }, 'invalid_name')).toMatch(/^"no body" is not a user name: .+\.$/);
    expect(await refused({ query: 'lunch', with: '#nope' }, 'unknown_group')).toBe('There is no group named #nope.');
    expect(await refused({ query: 'lunch', with: '#crew' }, 'not_member')).toBe(
      'You are not a member of #crew; a member can /group invite you.',
    );
  });

  test('bad shapes are refused with a sentence, never a crash', async () => {
    h = await startHarness();
    const alice = await h.register('alice');
    for (const payload of [
      undefined,
      {},
      { query: 5 },
      { query: 'x'.repeat(1025) },
      { query: 'lunch', with: 7 },
      { query: 'lunch', with: 'x'.repeat(257) },
      { query: 'lunch', before: 0 },
      { query: 'lunch', before: 1.5 },
      { query: 'lunch', before: '9' },
      { query: 'lunch', limit: 0 },
      { query: 'lunch', limit: -3 },
      { query: 'lunch', limit: 2.5 },
    ]) {
      const reply = (await rawRequest(alice.socket, 'search:run', payload)) as { ok: boolean; error?: { code: string; message: string } };
      expect(reply.ok).toBe(false);
      expect(reply.error?.code).toBe('bad_request');
      expect(reply.error?.message).toMatch(/^The request has the wrong shape/);
    }
    // The server is still there.
    expect((await request(alice.socket, 'search:run', { query: 'still here' })).ok).toBe(true);
  });

  test(`pages of ${SEARCH_PAGE_DEFAULT} by default, at most ${SEARCH_PAGE_MAX} whatever is asked, each below the last, to the end`, async () => {
    h = await startHarness(unlimited);
    const alice = await h.register('alice');
    await h.register('bob');
    const total = SEARCH_PAGE_MAX + 30;
    const sent = await Promise.all(Array.from({ length: total }, (_, i) => send(alice.socket, 'bob', `note ${i}`)));
    const newestFirst = sent.map((m) => m.id).sort((a, b) => b - a);

    const byDefault = await request(alice.socket, 'search:run', { query: 'note' });
    expect(byDefault.ok && byDefault.messages.length).toBe(SEARCH_PAGE_DEFAULT);
    const huge = await request(alice.socket, 'search:run', { query: 'note', limit: 1_000_000 });
    expect(huge.ok && huge.messages.length).toBe(SEARCH_PAGE_MAX);
    expect(huge.ok && huge.before).toBe(newestFirst[SEARCH_PAGE_MAX - 1]);

    const { pages, befores } = await allPages(alice.socket, 'note', 7);
    expect(pages.flat().map((m) => m.id)).toEqual(newestFirst);
    expect(pages.map((p) => p.length)).toEqual([...Array(Math.floor(total / 7)).fill(7), total % 7]);
    expect(befores.at(-1)).toBeNull();
    // A page that ends exactly at the last match says so: no empty page after it.
    const exact = await allPages(alice.socket, 'note', total / 10);
    expect(exact.pages.map((p) => p.length)).toEqual(Array(10).fill(total / 10));
  });

  test('a page stops at REPLY_PAGE_MAX_BYTES as sent, and the next one goes on from there', async () => {
    h = await startHarness(unlimited);
    const alice = await h.register('alice');
    await h.register('bob');
    // 8 KiB texts of control characters: each costs six times as much sent (\u001b), ~48 KiB.
    const text = `alarm ${'\u001b'.repeat(8 * 1024 - 6)}`;
    const sent = await Promise.all(Array.from({ length: 12 }, () => send(alice.socket, 'bob', text)));
    const { pages } = await allPages(alice.socket, 'alarm', SEARCH_PAGE_MAX);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) {
      expect(page.length).toBeGreaterThan(0);
      expect(Buffer.byteLength(JSON.stringify(page))).toBeLessThanOrEqual(REPLY_PAGE_MAX_BYTES);
    }
    expect(pages.flat().map((m) => m.id)).toEqual(sent.map((m) => m.id).sort((a, b) => b - a));
  });
});
