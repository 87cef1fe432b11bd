/** What the screen shows of typing and away, and what it tells the client of the input line. */
import { inputText, KEY, makeState, msgs, setup, type Harness } from './helpers.js';
import { typingLabel } from '../../src/ui/MessagePane.js';
import { statusRow } from '../../src/ui/StatusBar.js';
import { groupHeader } from '../../src/ui/group-header.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

const rowText = (row: { text: string }[]): string => row.map((s) => s.text).join('');

test('typing labels for one, a few and many', () => {
  expect(typingLabel([])).toBe('');
  expect(typingLabel(['bob'])).toBe('bob is typing…');
  expect(typingLabel(['bob', 'carol'])).toBe('bob and carol are typing…');
  expect(typingLabel(['a', 'b', 'c'])).toBe('a, b and c are typing…');
  expect(typingLabel(['a', 'b', 'c', 'd'])).toBe('4 people are typing…');
});

test.each([
  [120, 36],
  [80, 24],
])('at %ix%i the indicator sits in the messages pane’s bottom border and goes without moving the input line', async (columns, rows) => {
  h = await setup(makeState({ messages: { bob: msgs(3) } }), { columns, rows });
  await h.press('d', 'r', 'a', 'f', 't');
  await h.until((f) => inputText(f).includes('draft'));
  const before = h.lines();
  const inputRow = before.findIndex((l) => l.includes('draft'));
  h.client.set({ typing: { bob: { bob: Date.now() + 6000 } } });
  const shown = await h.until((f) => f.includes('bob is typing…'));
  const lines = shown.split('\n');
  const at = lines.findIndex((l) => l.includes('bob is typing…'));
  expect(lines[at]).toMatch(/^└.*bob is typing… ─*┘/);
  expect(lines.findIndex((l) => l.includes('draft'))).toBe(inputRow);
  expect(lines).toHaveLength(before.length);
  h.client.set({ typing: {} });
  await h.until((f) => !f.includes('typing…'));
  // Someone typing in another conversation does not show here.
  h.client.set({ typing: { carol: { carol: Date.now() + 6000 } } });
  h.client.set({ responses: [{ id: 1, at: 1, kind: 'info', text: 'settled' }] });
  expect((await h.until((f) => f.includes('settled'))).includes('typing…')).toBe(false);
});

test("the other's away text is in the conversation's title; your own away is in the status bar", async () => {
  h = await setup(makeState({ away: { bob: 'lunch, back at 3', alice: '' } }), { columns: 120, rows: 36 });
  const frame = await h.until((f) => f.includes('bob ● away: lunch, back at 3'));
  expect(frame.split('\n').at(-1)).toContain('alice @ 127.0.0.1:4000 · connected · away · 2 unread');
  // Escape sequences in the text are shown inert.
  h.client.set({ away: { bob: 'x\u001b[31my' } });
  await h.until((f) => f.includes('bob ● away: x␛[31my'));
  expect(
    rowText(statusRow({ user: 'a', server: 's', connection: 'connected', connectionDetail: null, unread: 0, width: 80 })),
  ).not.toContain('away');
});

test('the people list shows who is away and what they said', async () => {
  h = await setup(
    makeState({
      away: { bob: 'lunch' },
      people: {
        prefix: '',
        users: [
          { name: 'alice', online: true },
          { name: 'bob', online: true, away: 'lunch' },
          { name: 'carol', online: false },
        ],
        more: false,
        loading: false,
        error: null,
      },
    }),
    { columns: 80, rows: 24 },
  );
  await h.press('\x1b[17~'); // F6
  const frame = await h.until((f) => f.includes('People'));
  expect(frame).toMatch(/● bob {2}away: lunch/);
  expect(frame).not.toMatch(/carol.*away/);
});

test('the screen tells the client what the input line holds, as it changes', async () => {
  h = await setup();
  await h.press('h', 'i');
  await h.until(() => h!.client.drafts.at(-1) === 'hi');
  await h.press(KEY.enter);
  await h.until(() => h!.client.drafts.at(-1) === '');
});

test.each([
  [120, 36],
  [80, 24],
])('at %ix%i the conversation list marks an away user ◐, online ●, offline nothing; a group no mark', async (columns, rows) => {
  h = await setup(
    makeState({
      conversations: [
        { with: 'bob', unread: 2, online: true, lastAt: 1 },
        { with: 'carol', unread: 0, online: true, lastAt: 1 },
        { with: 'dan', unread: 0, online: false, lastAt: 1 },
        { with: '#team', unread: 3, online: false, lastAt: 1 },
      ],
      online: ['bob', 'carol'],
      away: { carol: 'lunch', dan: 'stale' },
    }),
    { columns, rows },
  );
  const frame = await h.until((f) => f.includes('◐ carol'));
  // The list's rows: the left pane, up to its closing border.
  const row = (name: string) => frame.split('\n').find((l) => l.startsWith('│') && l.includes(` ${name} `))!;
  const listRow = (name: string) => row(name).slice(0, row(name).indexOf('│', 1) + 1);
  expect(listRow('bob')).toMatch(/^│▸● bob +2 *│/);
  expect(listRow('carol')).toMatch(/^│ ◐ carol +│/);
  // Away ends with being online: someone offline is never marked away.
  expect(listRow('dan')).toMatch(/^│ {3}dan +│/);
  expect(listRow('#team')).toMatch(/^│ {3}#team +3 *│/);
  // Every row as wide as the others: the mark takes one cell.
  expect(new Set(['bob', 'carol', 'dan', '#team'].map((n) => [...listRow(n)].length)).size).toBe(1);
  // Back: the green mark again.
  h.client.set({ away: {} });
  await h.until((f) => f.includes('● carol'));
});

test.each([
  [120, 36],
  [80, 24],
])('at %ix%i a group’s title says how many members, how many online, and who of them is away', async (columns, rows) => {
  const team = { with: '#team', unread: 0, online: false, lastAt: 1 };
  h = await setup(
    makeState({
      conversations: [team],
      openConversation: '#team',
      messages: { '#team': [] },
      online: ['bob', 'carol'],
      away: { carol: 'lunch' },
      groupMembers: { '#team': ['alice', 'bob', 'carol', 'dan'] },
    }),
    { columns, rows },
  );
  await h.until((f) => f.split('\n')[0]!.includes('#team · 4 members, 3 online · away: carol ─'));
  // Nothing known of its members yet: the name alone; while the connection is down: the count alone.
  h.client.set({ groupMembers: {} });
  await h.until((f) => /─ #team ─/.test(f.split('\n')[0]!));
  h.client.set({ groupMembers: { '#team': ['alice', 'bob'] }, presenceKnown: false });
  await h.until((f) => /─ #team · 2 members ─/.test(f.split('\n')[0]!));
});

test('a group’s title names three away at most, then counts', () => {
  const state = makeState({
    online: ['a1', 'a2', 'a3', 'a4', 'a5'],
    away: { a1: '', a2: 'x', a3: '', a4: '', a5: '' },
    groupMembers: { '#g': ['alice', 'a1', 'a2', 'a3', 'a4', 'a5', 'off'] },
  });
  expect(groupHeader(state, '#g')).toBe('7 members, 6 online · away: a1, a2, a3, 2 more');
  expect(groupHeader(state, '#none')).toBeUndefined();
});
