/** The merge rules that keep a conversation free of duplicates and in order (pure functions). */
import { describe, expect, test } from '@jest/globals';
import type { ChatMessage } from '@tui-chat/protocol';
import { fromChatMessage, mergeMessages, patchMessage, pendingMessage } from '../../src/core/messages.js';
import { initialState } from '../../src/core/initial-state.js';
import { contiguousSeq, seenSeqs } from '../../src/core/sync.js';
import { BROADCASTS, type DisplayMessage } from '../../src/core/types.js';

let nextId = 100;
function stored(seq: number, from: string, text = `m${seq}`, clientId = `client-${seq}-${from}`): ChatMessage {
  return { id: nextId++, conversation: 'alice:bob', seq, from, to: from === 'alice' ? 'bob' : 'alice', text, at: 1000 + seq, clientId, kind: 'direct' };
}
const shown = (m: ChatMessage): DisplayMessage => fromChatMessage(m, 'alice');
const summary = (list: DisplayMessage[]): string[] => list.map((m) => `${m.text}:${m.status}${m.seq ?? ''}`);

describe('mergeMessages', () => {
  test('orders by seq, prepends older pages, ignores what it already has', () => {
    const page2 = [stored(3, 'bob'), stored(4, 'alice')].map(shown);
    const page1 = [stored(1, 'bob'), stored(2, 'bob')].map(shown);
    let list = mergeMessages([], page2);
    list = mergeMessages(list, page1);
    expect(summary(list)).toEqual(['m1:sent1', 'm2:sent2', 'm3:sent3', 'm4:sent4']);
    const again = mergeMessages(list, [...page1, ...page2]);
    expect(again).toBe(list); // nothing changed: the same array
  });

  test('the acknowledged copy replaces the pending one (same clientId), which stays at the end until then', () => {
    const pending = pendingMessage('my-client-id', 'alice', 'bob', 'hello', 5, 'direct');
    let list = mergeMessages([shown(stored(1, 'bob'))], [pending]);
    list = mergeMessages(list, [shown(stored(2, 'bob'))]);
    expect(summary(list)).toEqual(['m1:sent1', 'm2:sent2', 'hello:pending']);
    list = mergeMessages(list, [shown(stored(3, 'alice', 'hello', 'my-client-id'))]);
    expect(summary(list)).toEqual(['m1:sent1', 'm2:sent2', 'hello:sent3']);
    expect(list[2]!.key).toBe('my-client-id');
    // A late pending copy (a resend) never downgrades it.
    expect(mergeMessages(list, [pending])).toBe(list);
  });

  test('a failed message keeps its place after the message it followed', () => {
    let list = mergeMessages([], [shown(stored(1, 'bob')), pendingMessage('failing-id', 'alice', 'bob', 'nope', 5, 'direct')]);
    list = patchMessage(list, 'failing-id', { status: 'failed', error: 'blocked' });
    list = mergeMessages(list, [shown(stored(2, 'bob')), shown(stored(3, 'bob'))]);
    expect(summary(list)).toEqual(['m1:sent1', 'nope:failed', 'm2:sent2', 'm3:sent3']);
    // A confirmed message is never marked failed afterwards.
    const sent = mergeMessages([], [shown(stored(1, 'alice', 'x', 'sent-id'))]);
    expect(patchMessage(sent, 'sent-id', { status: 'failed' })).toBe(sent);
  });

  test('the same seq under another key is the same message', () => {
    const list = mergeMessages([], [shown(stored(1, 'bob', 'a'))]);
    const other = { ...shown(stored(1, 'bob', 'a')), key: 'different' };
    expect(mergeMessages(list, [other])).toBe(list);
  });
});

describe('what a reconnecting client says it has seen (sync:since)', () => {
  const list = (...seqs: number[]): DisplayMessage[] => seqs.map((seq) => shown(stored(seq, seq % 2 ? 'bob' : 'alice')));

  test('the highest seq reached from the oldest held without a gap', () => {
    expect(contiguousSeq([])).toBeNull();
    expect(contiguousSeq([pendingMessage('p-1234567', 'alice', 'bob', 'x', 1, 'direct')])).toBeNull();
    expect(contiguousSeq(list(1, 2, 3))).toBe(3);
    // A latest page (history starts at 51) is complete from where it starts.
    expect(contiguousSeq(list(51, 52, 53))).toBe(53);
    // A message that arrived live after a drop does not hide the ones never fetched before it.
    expect(contiguousSeq(list(1, 2, 3, 7))).toBe(3);
    expect(contiguousSeq([...list(4, 2, 3), pendingMessage('p-1234567', 'alice', 'bob', 'x', 1, 'direct')])).toBe(4);
  });

  test('one entry per conversation that holds confirmed messages; broadcasts and pending-only ones are left out', () => {
    const base = initialState('x:1');
    const state = {
      ...base,
      messages: {
        bob: list(1, 2, 3, 5),
        carol: [pendingMessage('p-1234567', 'alice', 'carol', 'x', 1, 'direct')],
        [BROADCASTS]: [],
      },
    };
    expect([...seenSeqs(state)]).toEqual([['bob', 3]]);
  });
});
