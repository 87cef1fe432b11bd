/**
 * What a person sees of what arrives: the screen with nothing open, the preview line, broadcasts
 * inline, the new line and the start position, the start of a conversation and older pages
 * loading when the view reaches the top, one's own name highlighted.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { messageRows } from '../../src/ui/message-rows.js';
import { previewRow } from '../../src/ui/preview-row.js';
import { theme } from '../../src/ui/colors.js';
import { inputText, KEY, makeState, msg, msgs, setup, type Harness } from './helpers.js';
import { arrival } from './arrival.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

/** The row of the input box's top border. */
const inputBorder = (frame: string): string => frame.split('\n').find((l) => /^[╔┌].*Esc ═?─?[╗┐]$/.test(l)) ?? '';
const inputBorderIndex = (frame: string): number => frame.split('\n').findIndex((l) => /^[╔┌].*Esc/.test(l));

describe('nothing open', () => {
  test('says that arrivals open here by themselves, and names the first commands', async () => {
    h = await setup(
      makeState({ openConversation: null, conversations: [{ with: '(broadcasts)', unread: 0, online: false, lastAt: null }] }),
    );
    const frame = h.frame();
    expect(frame).toContain('Nothing is open yet. A message that arrives opens');
    expect(frame).toMatch(/\/msg <user> <text> +start a conversation/);
    expect(frame).toMatch(/\/group create <name> <users> +a group conversation/);
    expect(frame).toMatch(/F1 +every key and command/);
  });
});

describe('the preview line', () => {
  const withPreview = (patch = {}) =>
    makeState({
      conversations: [
        { with: 'bob', unread: 0, online: true, lastAt: 2 },
        { with: 'carol', unread: 1, online: true, lastAt: 3 },
        { with: 'dan', unread: 2, online: false, lastAt: 1 },
        { with: '(broadcasts)', unread: 0, online: false, lastAt: null },
      ],
      unreadTotal: 3,
      messages: { bob: msgs(3) },
      previews: [arrival({ conversation: 'dan', from: 'dan', text: 'older one' }), arrival()],
      ...patch,
    });

  test('shows the newest message elsewhere in the input box border, with how many more wait, without moving the input line', async () => {
    h = await setup(makeState({ messages: { bob: msgs(3) } }));
    const without = h.frame();
    h.unmount();
    h = await setup(withPreview());
    const frame = h.frame();
    expect(inputBorder(frame)).toMatch(/^╔═ carol: are you coming to the demo\? \+1 more \(Alt\+A\) ═+ Esc ═╗$/);
    expect(inputBorderIndex(frame)).toBe(inputBorderIndex(without));
    expect(frame.split('\n')).toHaveLength(without.split('\n').length);
    // A half-typed line is untouched by it.
    await h.press('half typed');
    await h.until((f) => inputText(f).includes('half typed'));
    h.client.set({ previews: [...h.client.state.previews, arrival({ id: 2, text: 'second' })] });
    const next = await h.until((f) => inputBorder(f).includes('carol: second'));
    expect(inputText(next)).toContain('half typed');
  });

  test('Alt+A opens the previewed conversation; once it is read the preview goes to the next one', async () => {
    h = await setup(withPreview());
    await h.press(KEY.alt('a'));
    expect(h.client.opened).toEqual(['carol']);
    h.client.set({
      conversations: h.client.state.conversations.map((c) => (c.with === 'carol' ? { ...c, unread: 0 } : c)),
      openConversation: 'carol',
    });
    await h.until((f) => inputBorder(f).includes('dan: older one (Alt+A)'));
    h.client.set({
      conversations: h.client.state.conversations.map((c) => (c.with === 'dan' ? { ...c, unread: 0 } : c)),
    });
    await h.until((f) => /^╔═+ Esc ═╗$/.test(inputBorder(f)));
  });

  test('is cut to the width with its hint kept, and shows text from the network inert', async () => {
    const long = arrival({ text: `\x1b[2J\x07evil ${'word '.repeat(40)}\nsecond line` });
    h = await setup(withPreview({ previews: [long] }), { columns: 60, rows: 16 });
    const border = inputBorder(h.frame());
    expect(border).toHaveLength(60);
    expect(border).toMatch(/^╔═ carol: ␛\[2J\^Gevil word word .*… \+1 more \(Alt\+A\) ═+ Esc ═╗$/);
    expect(border).not.toContain('second line');
  });

  test('the preview row alone: a list broadcast is labelled, a mention is bold, room for the hint is kept', () => {
    const row = previewRow({ arrival: arrival({ kind: 'broadcast', mention: true, text: 'hi alice' }), others: 0 }, 40);
    expect(row.map((s) => s.text).join('')).toBe('carol: (broadcast) hi alice (Alt+A)');
    expect(row.find((s) => s.text.includes('hi alice'))?.bold).toBe(true);
    const tiny = previewRow({ arrival: arrival({ text: 'x'.repeat(100) }), others: 3 }, 30);
    expect(tiny.map((s) => s.text).join('')).toBe('carol: xxxxxx… +3 more (Alt+A)');
  });
});

describe("broadcasts inline, and one's own name", () => {
  test('a broadcast to everyone in a pair conversation is labelled and coloured; in the broadcasts it is plain', () => {
    const b = msg(2, { kind: 'broadcast-all', from: 'carol', text: 'lunch is here', seq: undefined });
    const inline = messageRows(b, { width: 60, senderWidth: 5, self: 'alice' });
    expect(inline[0]!.map((s) => s.text).join('')).toMatch(/carol \(broadcast\) lunch is here$/);
    expect(inline[0]!.at(-1)!.color).toBe(theme.broadcast);
    const there = messageRows(b, { width: 60, senderWidth: 5, self: 'alice', inBroadcasts: true });
    expect(there[0]!.map((s) => s.text).join('')).toMatch(/carol lunch is here$/);
  });

  test("your name in someone else's message is highlighted where it stands as a word; never in your own", () => {
    const m = msg(2, { text: 'Alice, ask alice.b or malice? thanks alice.' });
    const rows = messageRows(m, { width: 80, senderWidth: 5, self: 'alice' });
    const marked = rows[0]!.filter((s) => s.color === theme.mention).map((s) => s.text);
    expect(marked).toEqual(['Alice', 'alice']);
    const own = messageRows(msg(1, { text: 'I am alice' }), { width: 80, senderWidth: 5, self: 'alice' });
    expect(own[0]!.some((s) => s.color === theme.mention)).toBe(false);
  });
});

describe('IRC actions and line breaks', () => {
  test('/me waves (stored as typed) shows as * carol waves; other text starting with /me does not', () => {
    const rows = messageRows(msg(2, { from: 'carol', text: '/me waves at everyone' }), { width: 60, senderWidth: 5, self: 'alice' });
    expect(rows[0]!.map((s) => s.text).join('')).toMatch(/ \* {5}carol waves at everyone$/);
    const plain = messageRows(msg(3, { from: 'carol', text: '/meeting at 5' }), { width: 60, senderWidth: 5, self: 'alice' });
    expect(plain[0]!.map((s) => s.text).join('')).toMatch(/carol \/meeting at 5$/);
  });

  test('a line break typed with Alt+Enter shows as ↵ in the input line, and Enter sends the whole message', async () => {
    h = await setup();
    await h.press('one', KEY.alt(KEY.enter), 'two');
    await h.until((f) => inputText(f).endsWith('one↵two'));
    await h.press(KEY.enter);
    await h.until(() => h!.client.submitted.length === 1);
    expect(h.client.submitted).toEqual(['one\ntwo']);
  });
});

describe('reading position', () => {
  test('a conversation opened with unread messages starts at the new line, with the unread ones below counted', async () => {
    // 100 messages (seq 1-100); 61 onwards are unread.
    h = await setup(makeState({ openConversation: null, messages: { bob: msgs(100) } }));
    h.client.set({ openConversation: 'bob', newMarker: { conversation: 'bob', afterSeq: 60 } });
    const frame = await h.until((f) => f.includes('── new ──'));
    const lines = frame.split('\n');
    expect(lines[1]).toMatch(/^│.*│[─]+ new [─]+│$/);
    expect(lines[2]).toMatch(/message number 60 /);
    expect(frame).not.toContain('message number 99');
    expect(frame).toMatch(/\d+ new ↓/);
    // The line stays while scrolling to the end, and goes when another conversation opens.
    await h.press(KEY.end);
    await h.until((f) => f.includes('message number 99'));
    h.client.set({ openConversation: 'carol', newMarker: null, messages: { ...h.client.state.messages, carol: msgs(2) } });
    const other = await h.until((f) => !f.includes('── new ──'));
    expect(other).toContain('carol');
  });

  test('waits for the first unread message to be loaded before jumping', async () => {
    // Only the newest three (seq 98-100) are held when the conversation opens; the rest arrive with its page.
    h = await setup(makeState({ openConversation: null, messages: { bob: msgs(3, 97) } }));
    h.client.set({ openConversation: 'bob', newMarker: { conversation: 'bob', afterSeq: 60 } });
    await h.until((f) => f.includes('message number 99'));
    expect(h.frame()).not.toContain('── new ──'); // not above seq 98: that is not the first unread
    h.client.set({ messages: { bob: msgs(100) } });
    const frame = await h.until((f) => f.includes('── new ──'));
    expect(frame.split('\n')[2]).toMatch(/message number 60 /);
  });

  test('at the top of what is held the older page is asked for (Up, PgUp, Home), shown loading; the start is marked', async () => {
    h = await setup(makeState({ messages: { bob: msgs(30, 50) } })); // seq 51-80
    await h.press(KEY.f3, KEY.home);
    await h.until(() => h!.client.older.length === 1);
    expect(h.client.older).toEqual(['bob']);
    h.client.set({ paging: { bob: 'loading' } });
    await h.until((f) => f.split('\n')[1]!.includes('loading older messages…'));
    // The page comes: the view keeps its place (the same message at the bottom).
    const bottom = (f: string) => f.split('\n')[h!.lines().length - 11];
    const before = bottom(h.frame());
    h.client.set({ paging: {}, messages: { bob: msgs(80) } });
    const after = await h.until((f) => !f.includes('loading older'));
    expect(bottom(after)).toBe(before);
    // Up to the very start: marked, and nothing more is asked for.
    h.client.set({ paging: { bob: 'start' } });
    await h.press(KEY.home);
    await h.until((f) => f.split('\n')[1]!.includes('start of the conversation with bob'));
    await h.press(KEY.pageUp, KEY.up);
    expect(h.client.older).toEqual(['bob']);
  });

  test('a short conversation whose first message is held shows its start without asking', async () => {
    h = await setup(makeState({ messages: { bob: msgs(3) } })); // seq 1-3
    const frame = h.frame();
    expect(frame.split('\n')[1]).toMatch(/start of the conversation with bob/);
    expect(frame).not.toContain('── new ──');
  });
});
