/**
 * NO_COLOR: colours go, but the input cursor and highlights stay visible in reverse video
 * (which is not a colour). Its own file: the choice is made once per process, on the first row drawn.
 */
import React from 'react';
import { render } from 'ink-testing-library';
import { RowText } from '../../src/ui/Pane.js';
import { inputRow } from '../../src/ui/InputLine.js';
import { ConversationList } from '../../src/ui/ConversationList.js';

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
