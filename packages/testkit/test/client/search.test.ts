/**
 * /search in the client against a real server: what it finds over everything the user can read and
 * in one conversation, the pages as the list scrolls, the sentences for every wrong input (the
 * client's and the server's), completion after in:, and a hit's Enter loading its context.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { SEARCH_PAGE_DEFAULT, SEARCH_QUERY_MAX } from '@tui-chat/protocol';
import type { ChatClient, ClientState } from '@tui-chat/client';
import { respond, startHarness, waitFor, waitForMessage, type Harness } from '@tui-chat/testkit';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ limits: { messagesPerWindow: 100_000, requestsPerWindow: 100_000 } });
});
afterEach(async () => {
  await h.close();
});

/** Runs a /search and waits for its first page. */
async function search(client: ChatClient, line: string): Promise<NonNullable<ClientState['search']>> {
  await client.submit(line);
  const s = await waitFor(client, (st) => st.search !== null && !st.search.loading, 'the first page');
  return s.search!;
}

const texts = (found: { messages: { text: string }[] }) => found.messages.map((m) => m.text);

describe('/search', () => {
  test('over every conversation the user can read, newest first; in:user and in:#group keep to one', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    const carol = await h.register('carol');
    await respond(alice, '/group create team bob');
    await alice.submit('/msg bob Lunch at noon?');
    await waitForMessage(bob, 'alice', 'Lunch at noon?');
    await bob.submit('/msg #team lunchtime for the team');
    await waitForMessage(alice, '#team', 'lunchtime for the team');
    await carol.submit('/msg bob lunch without alice');
    await waitForMessage(bob, 'carol', 'lunch without alice');
    await alice.submit('/msg bob brunch is not lunch-time');
    await waitForMessage(bob, 'alice', 'brunch is not lunch-time');

    const all = await search(alice, '/search LUNCH');
    // Carol's message to bob is not alice's to read; "brunch" is not a word starting with lunch.
    expect(texts(all)).toEqual(['brunch is not lunch-time', 'lunchtime for the team', 'Lunch at noon?']);
    expect(all).toMatchObject({ query: 'LUNCH', with: null, terms: ['lunch'], before: null, error: null });
    expect(alice.getState().search?.serial).toBeGreaterThan(0);

    expect(texts(await search(alice, '/search in:#team lunch'))).toEqual(['lunchtime for the team']);
    expect(texts(await search(alice, '/find in:Bob lunch noon'))).toEqual(['Lunch at noon?']);
    const none = await search(bob, '/search in:carol noon');
    expect(none).toMatchObject({ messages: [], with: 'carol', before: null });
  });

  test('more matches than a page: the next pages come by searchMore, newest first, to the end', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    const n = SEARCH_PAGE_DEFAULT * 2 + 5;
    for (let i = 1; i <= n; i++) await alice.submit(`/msg bob ticket ${i} lunch`);
    await waitForMessage(bob, 'alice', `ticket ${n} lunch`);
    const first = await search(bob, '/search lunch');
    expect(first.messages).toHaveLength(SEARCH_PAGE_DEFAULT);
    expect(first.before).not.toBeNull();
    expect(first.messages[0]!.text).toBe(`ticket ${n} lunch`);
    await bob.searchMore();
    await bob.searchMore();
    const s = bob.getState().search!;
    expect(s.messages.map((m) => m.text)).toEqual(Array.from({ length: n }, (_, i) => `ticket ${n - i} lunch`));
    expect(s.before).toBeNull();
    // All loaded: nothing more is asked.
    const mark = h.received.length;
    await bob.searchMore();
    expect(h.received.slice(mark).filter((r) => r.event === 'search:run')).toEqual([]);
  });

  test('every wrong input gets one sentence and the usage line; nothing is asked of the server', async () => {
    const alice = await h.register('alice');
    await h.register('bob');
    const mark = h.received.length;
    const cases: [string, string][] = [
      ['/search', 'Give the words to look for.'],
      ['/search in:bob', 'Give the words to look for.'],
      ['/search in:bob in:#team lunch', 'Search one conversation at a time: give in: once.'],
      ['/search in: lunch', 'in: needs a conversation: in:bob, in:#team.'],
      ['/search in:alice lunch', 'There is no conversation with yourself.'],
      ['/search in:(broadcasts) lunch', 'Broadcasts to everyone are not stored, so they cannot be searched.'],
      ['/search in:b@d lunch', '"b@d" is not a user name'],
      ['/search ?!* --', '"?!* --" has no word to look for: a search looks for letters and digits.'],
      [
        `/search ${'x'.repeat(SEARCH_QUERY_MAX + 1)}`,
        `A search holds at most ${SEARCH_QUERY_MAX} characters; this one has ${SEARCH_QUERY_MAX + 1}.`,
      ],
    ];
    for (const [line, sentence] of cases) {
      const r = await respond(alice, line);
      expect({ line, kind: r.kind }).toEqual({ line, kind: 'usage' });
      expect(r.text.startsWith(sentence)).toBe(true);
      expect(r.text.split('\n')).toEqual([r.text.split('\n')[0], 'usage: /search [in:user | in:#group] <words>']);
    }
    expect(h.received.slice(mark).filter((r) => r.event === 'search:run')).toEqual([]);
    expect(alice.getState().search).toBeNull();
  });

  test("the server's refusals show in the responses pane, and the list closes (state.search goes)", async () => {
    const alice = await h.register('alice');
    await h.register('bob');
    await alice.submit('/search in:#nowhere lunch');
    const s = await waitFor(alice, (st) => st.responses.at(-1)?.kind === 'error', 'the refusal');
    expect(s.search).toBeNull();
    expect(s.responses.at(-1)!.text).not.toContain('\n');
    await alice.submit('/search in:nobody lunch');
    const t = await waitFor(alice, (st) => st.responses.filter((r) => r.kind === 'error').length === 2, 'the second refusal');
    expect(t.search).toBeNull();
    expect(t.responses.at(-1)!.text).toMatch(/nobody/);
  });

  test('Tab completes the conversation after in:, users and groups; plain words do not complete', async () => {
    const alice = await h.register('alice');
    await h.register('bob');
    await h.register('bobby');
    await respond(alice, '/group create team bob');
    await alice.submit('/msg bobby hi');
    expect(alice.complete('/search in:bo')).toEqual(['/search in:bob ', '/search in:bobby ']);
    expect(alice.complete('/search lunch in:#t')).toEqual(['/search lunch in:#team ']);
    expect(alice.complete('/search IN:#t')).toEqual(['/search in:#team ']);
    expect(alice.complete('/search bo')).toEqual([]);
    expect(alice.complete('/sea')).toEqual(['/search ']);
  });

  test('Enter on a hit: its conversation opens with the hit and the messages around it', async () => {
    const alice = await h.register('alice');
    const bob = await h.register('bob');
    for (let i = 1; i <= 120; i++) await alice.submit(`/msg bob ${i === 7 ? 'the secret word is pancake' : `filler ${i}`}`);
    await waitForMessage(bob, 'alice', 'filler 120');
    const found = await search(bob, '/search pancake');
    expect(found.messages).toHaveLength(1);
    const hit = found.messages[0]!;
    await bob.showMessage('alice', hit.seq);
    const s = bob.getState();
    expect(s.openConversation).toBe('alice');
    expect(s.hit).toEqual({ conversation: 'alice', seq: 7 });
    expect(s.messages.alice!.find((m) => m.seq === 7)?.text).toBe('the secret word is pancake');
  });
});
