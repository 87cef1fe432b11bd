/**
 * NO_COLOR: colours go, but the input cursor and highlights stay visible in reverse video
 * (which is not a colour). Its own file: the choice is made once per process, on the first row drawn.
 */
import React from 'react';
import { render } from 'ink-testing-library';
import { RowText } from '../../src/ui/Pane.js';
import { inputRow } from '../../src/ui/InputLine.js';
import { ConversationList } from '../../src/ui/ConversationList.js';
import { hitRow } from '../../src/ui/search-rows.js';
import { ListOverlay } from '../../src/ui/ListOverlay.js';

process.env.NO_COLOR = '1';

test('with NO_COLOR the cursor cell is drawn in reverse video by hand, and nothing else is styled', () => {
  const { lastFrame, unmount } = render(<RowText row={[{ text: 'hi ', color: 'red' }, ...inputRow('abc', 1, 20, true)]} />);
  const frame = lastFrame()!;
  // The cursor is on "b": reverse video around it and around nothing else; no colour codes.
  expect(frame).toBe('hi a\u001b[7mb\u001b[27mc');
  unmount();
});

test('with NO_COLOR an away user is still told apart in the conversation list: ◐, not ●', () => {
  const { lastFrame, unmount } = render(
    <ConversationList
      conversations={[
        { with: 'bob', unread: 0, online: true, lastAt: 1 },
        { with: 'carol', unread: 0, online: true, lastAt: 1 },
      ]}
      away={{ carol: 'lunch' }}
      open={null}
      selected={0}
      width={20}
      height={6}
      focused={false}
    />,
  );
  const frame = lastFrame()!;
  expect(frame).toContain('│ ● bob');
  expect(frame).toContain('│ ◐ carol');
  expect(frame).not.toMatch(/\u001b\[3\dm/); // no colour
  unmount();
});

test('with NO_COLOR a search match is in reverse video, and on the selected row it turns back (the rest is reversed)', () => {
  const terms = ['lunch'];
  const columns = { when: 5, conversation: 5, sender: 3 };
  const message = {
    id: 1,
    conversation: '#team',
    seq: 1,
    from: 'bob',
    to: '#team',
    text: 'lunch now',
    at: new Date(2026, 0, 1, 12, 0).getTime(),
    clientId: 'c1',
    kind: 'direct' as const,
  };
  const row = hitRow(message, { me: 'alice', terms, columns, width: 40, now: message.at });
  const plain = render(<RowText row={row} />);
  expect(plain.lastFrame()).toBe(' 12:00 #team bob \u001b[7mlunch\u001b[27m now');
  plain.unmount();
  const selected = render(
    <ListOverlay
      title="Search"
      hint=""
      width={44}
      height={6}
      header={[]}
      count={1}
      selected={0}
      rowOf={() => row}
      status={null}
      footer=""
    />,
  );
  const line = selected
    .lastFrame()!
    .split('\n')
    .find((l) => l.includes('lunch'))!;
  // Everything but the match is reversed: the match stands out the other way.
  expect(line).toContain('\u001b[7m▸ 12:00 #team bob \u001b[27mlunch\u001b[7m now\u001b[27m');
  selected.unmount();
});
