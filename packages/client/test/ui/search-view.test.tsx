/** What the search results look like: the matched words found in a text, a match's row, and the overlay on screen. */
import type { ChatMessage } from '@tui-chat/protocol';
import { hitColumns, hitRow, matchRanges, matchStyle, whenLabel } from '../../src/ui/search-rows.js';
import { rowWidth, type Row } from '../../src/ui/segments.js';
import type { SearchResults } from '../../src/core/types.js';
import { KEY, makeState, msgs, setup, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

const text = (row: Row): string => row.map((s) => s.text).join('');
const NOW = new Date(2026, 11, 5, 15, 0).getTime();

function hit(patch: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: 1,
    conversation: '#team',
    seq: 12,
    from: 'bob',
    to: '#team',
    text: 'lunch at noon?',
    at: new Date(2026, 11, 5, 12, 30).getTime(),
    clientId: 'c1',
    kind: 'direct',
    ...patch,
  };
}

describe('the words found', () => {
  test('each term where it starts a word, in any case; not inside a word', () => {
    expect(matchRanges('Lunch? lunchtime, brunch and LUNCH', ['lunch'])).toEqual([
      [0, 5],
      [7, 12],
      [29, 34],
    ]);
    expect(matchRanges('at noon, lunch at nine', ['noon', 'lunch'])).toEqual([
      [3, 7],
      [9, 14],
    ]);
    expect(matchRanges('nothing here', [])).toEqual([]);
  });

  test('a word NFKC changes in length is marked whole; other scripts and marks are words too', () => {
    // "ﬁsh" (a ligature) is "fish" to the search.
    expect(matchRanges('ﬁsh today', ['fish'])).toEqual([[0, 3]]);
    expect(matchRanges('ＬＵＮＣＨ time', ['lunch'])).toEqual([[0, 5]]);
    expect(matchRanges('नमस्ते हिन्दी', ['हिन्दी'])).toEqual([[7, 13]]);
  });

  test('the style: bold colour, or reverse video with NO_COLOR', () => {
    expect(matchStyle(false)).toMatchObject({ bold: true, underline: true });
    expect(matchStyle(false).color).toBeDefined();
    expect(matchStyle(true)).toEqual({ inverse: true });
  });
});

describe("a match's row", () => {
  const columns = { when: 5, conversation: 6, sender: 5 };

  test('the time today, the day this year, the month and year before', () => {
    expect(whenLabel(new Date(2026, 11, 5, 9, 7).getTime(), NOW)).toBe('09:07');
    expect(whenLabel(new Date(2026, 5, 3, 9, 7).getTime(), NOW)).toBe('3 Jun');
    expect(whenLabel(new Date(2025, 0, 30).getTime(), NOW)).toBe('Jan 2025');
  });

  test('when, the conversation, the sender, and the text with the match highlighted, exactly the width', () => {
    const row = hitRow(hit(), { me: 'alice', terms: ['lunch'], columns, width: 60, now: NOW });
    expect(text(row)).toBe(' 12:30 #team  bob   lunch at noon?');
    expect(row.find((s) => s.text === 'lunch')).toMatchObject(matchStyle());
    // A pair conversation is named by the other side.
    const pair = hitRow(hit({ to: 'alice', conversation: 'alice:bob' }), { me: 'alice', terms: ['noon'], columns, width: 60, now: NOW });
    expect(text(pair)).toMatch(/^ 12:30 bob {4}bob {3}lunch at noon\?$/);
    expect(pair.find((s) => s.text === 'noon')).toMatchObject(matchStyle());
    const long = hitRow(hit({ text: 'a '.repeat(100) }), { me: 'alice', terms: ['a'], columns, width: 60, now: NOW });
    expect(rowWidth(long)).toBe(60);
  });

  test('a match far into a long text: the line starts shortly before it, after "…"', () => {
    const far = hit({ text: `${'blah '.repeat(40)}see you at lunch then` });
    const row = hitRow(far, { me: 'alice', terms: ['lunch'], columns, width: 60, now: NOW });
    const shown = text(row);
    // About a quarter of the room leads up to it, from the start of a word.
    expect(shown).toMatch(/ bob {3}… you at lunch then$/);
    expect(row.find((s) => s.text === 'lunch')).toMatchObject(matchStyle());
    expect(rowWidth(row)).toBeLessThanOrEqual(60);
  });

  test('control characters and escapes in a text or a name are shown inert, on one line', () => {
    const nasty = hit({ text: 'lunch\u001b[2J\nnow', from: 'bob' });
    const shown = text(hitRow(nasty, { me: 'alice', terms: ['lunch'], columns, width: 60, now: NOW }));
    expect(shown).not.toMatch(/[\u0000-\u001f]/);
    expect(shown).toContain('lunch␛[2J');
  });

  test('the columns fit the longest labels and names shown, the names within a sixth of the width', () => {
    expect(hitColumns([hit(), hit({ from: 'bartholomew' })], 'alice', 120, NOW)).toEqual({ when: 5, conversation: 5, sender: 11 });
    const old = hit({ from: 'b'.repeat(30), at: new Date(2024, 1, 1).getTime() });
    expect(hitColumns([hit(), old], 'alice', 60, NOW)).toEqual({ when: 8, conversation: 5, sender: 10 });
  });
});

describe('the search overlay on screen', () => {
  const found = (patch: Partial<SearchResults> = {}): SearchResults => ({
    serial: 1,
    query: 'lunch',
    with: null,
    terms: ['lunch'],
    messages: [hit({ id: 3, seq: 30, text: 'lunch today?' }), hit({ id: 2, seq: 20, from: 'carol', text: 'Lunchtime!' }), hit()],
    before: null,
    loading: false,
    error: null,
    ...patch,
  });

  test.each([
    [120, 36],
    [80, 24],
  ])('at %ix%i: the header, a row per match newest first, Enter shows the selected one', async (columns, rows) => {
    h = await setup(makeState({ messages: { bob: msgs(3) } }), { columns, rows });
    h.client.set({ search: found({ serial: 1, loading: true, messages: [] }) });
    await h.until((f) => f.includes('Searching for lunch…'));
    h.client.set({ search: found({ before: 17 }) });
    const frame = await h.until((f) => f.includes('3 matches for lunch · more: scroll down'));
    const lines = frame.split('\n');
    const first = lines.findIndex((l) => l.includes('lunch today?'));
    expect(lines[first]).toMatch(/▸ \S+(?: \S+)? +#team +bob +lunch today\?/);
    expect(lines[first + 1]).toMatch(/#team +carol +Lunchtime!/);
    expect(lines[first + 2]).toMatch(/#team +bob +lunch at noon\?/);
    expect(frame).toContain('Enter: show it in place · Esc: close');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
    await h.press(KEY.down, KEY.enter);
    await h.until((f) => !f.includes('matches for lunch'));
    expect(h.client.asked).toContain('show #team 20');
  });

  test('nothing found, one conversation, a page that failed', async () => {
    h = await setup(makeState(), { columns: 80, rows: 24 });
    h.client.set({ search: found({ messages: [], with: '#team' }) });
    await h.until((f) => f.includes('No messages in #team match lunch.') && f.includes('0 matches for lunch in #team'));
    h.client.set({ search: found({ serial: 2, error: 'The server is busy; try again.' }) });
    await h.until((f) => f.includes('The server is busy; try again.') && f.includes('3 matches for lunch'));
    await h.press(KEY.esc);
    await h.until((f) => !f.includes('matches for lunch'));
  });
});
