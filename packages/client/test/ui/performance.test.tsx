import { messageList } from '../../src/ui/MessagePane.js';
import { scrollBy, scrollHome, visibleRows } from '../../src/ui/virtual-list.js';
import { KEY, makeState, msg, msgs, setup, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

test('10,000 messages: only what is visible is laid out', () => {
  const all = msgs(10_000);
  let built = 0;
  const list = messageList(all, 60, 20, 'alice', 'bob');
  const counting = { ...list, rowsOf: (m: (typeof all)[number], i: number) => (built++, list.rowsOf(m, i)) };
  const view = visibleRows(counting, null);
  expect(view.rows).toHaveLength(20);
  expect(built).toBeLessThan(50);
  built = 0;
  let scroll = scrollBy(counting, null, -19);
  scroll = scrollBy(counting, scroll, -19);
  visibleRows(counting, scroll);
  expect(built).toBeLessThan(300);
});

test('10,000 messages render, scroll to both ends and take arrivals', async () => {
  const many = msgs(10_000);
  h = await setup(makeState({ messages: { bob: many } }), { columns: 100, rows: 30 });
  expect(h.frame()).toContain('message number 9999');
  await h.press(KEY.f3, KEY.home);
  await h.until((f) => f.includes('message number 0 '));
  await h.press(KEY.end);
  await h.until((f) => f.includes('message number 9999'));
  let messages = many;
  for (let i = 0; i < 20; i++) {
    messages = [...messages, msg(10_000 + i)];
    h.client.set({ messages: { bob: messages } });
  }
  await h.until((f) => f.includes('message number 10019'));
});

// Speed itself is measured by `npm run bench` (the client scenario); tests count the work instead.
test('Home on 10,000 messages lays out only the rows near the top', () => {
  const all = msgs(10_000);
  const list = messageList(all, 60, 20, 'alice', 'bob');
  let built = 0;
  const counting = { ...list, rowsOf: (m: (typeof all)[number], i: number) => (built++, list.rowsOf(m, i)) };
  const top = scrollHome(counting, null);
  expect(
    visibleRows(counting, top)
      .rows[1].map((s) => s.text)
      .join(''),
  ).toContain('message number 0');
  expect(built).toBeLessThan(100);
});
