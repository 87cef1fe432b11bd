/** The merge rules that keep a conversation free of duplicates and in order (pure functions). */
import { describe, expect, test } from '@jest/globals';
import type { ChatMessage } from '@tui-chat/protocol';
import { _internal, fromChatMessage, mergeMessages, patchMessage, pendingMessage } from '../../src/core/messages.js';
import { initialState } from '../../src/core/initial-state.js';
import { contiguousSeq, seenSeqs } from '../../src/core/catch-up.js';
import { BROADCASTS, type DisplayMessage } from '../../src/core/types.js';

let nextId = 100;
function stored(seq: number, from: string, text = `m${seq}`, clientId = `client-${seq}-${from}`): ChatMessage {
  return {
    id: nextId++,
    conversation: 'alice:bob',
    seq,
    from,
    to: from === 'alice' ? 'bob' : 'alice',
    text,
    at: 1000 + seq,
    clientId,
    kind: 'direct',
  };
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

describe('mergeMessages: appending newer messages (the fast path) gives what the full merge gives', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => shown(stored(i + 1, i % 2 ? 'alice' : 'bob')));

  test('a newer message goes after the confirmed ones and failed ones, before pending ones', () => {
    let list = mergeMessages([], many(3));
    list = mergeMessages(list, [pendingMessage('f-1', 'alice', 'bob', 'failing', 9, 'direct')]);
    list = patchMessage(list, 'f-1', { status: 'failed', error: 'x' });
    list = mergeMessages(list, [pendingMessage('p-1', 'alice', 'bob', 'waiting', 10, 'direct')]);
    const before = list;
    list = mergeMessages(list, [shown(stored(4, 'bob', 'four'))]);
    expect(summary(list)).toEqual(['m1:sent1', 'm2:sent2', 'm3:sent3', 'failing:failed', 'four:sent4', 'waiting:pending']);
    expect(before).toHaveLength(5); // the old list is untouched
    expect(list[0]).toBe(before[0]);
  });

  test('an older (out-of-order) seq is sorted into place', () => {
    let list = mergeMessages([], [shown(stored(1, 'bob')), shown(stored(3, 'bob'))]);
    list = mergeMessages(list, [shown(stored(2, 'bob'))]);
    expect(summary(list)).toEqual(['m1:sent1', 'm2:sent2', 'm3:sent3']);
    list = mergeMessages(list, [shown(stored(5, 'bob')), shown(stored(4, 'bob'))]);
    expect(summary(list)).toEqual(['m1:sent1', 'm2:sent2', 'm3:sent3', 'm4:sent4', 'm5:sent5']);
  });

  test('a key it already holds is merged, never shown twice', () => {
    const first = shown(stored(1, 'bob', 'a'));
    const list = mergeMessages([], [first]);
    // The same key with a higher seq (cannot happen, but never two lines for one key).
    const moved = mergeMessages(list, [{ ...first, seq: 7 }]);
    expect(moved).toHaveLength(1);
    expect(moved[0]!.seq).toBe(7);
    // Twice in one batch: one entry.
    const second = shown(stored(2, 'bob', 'b'));
    const twice = mergeMessages(list, [second, { ...second, seq: 3 }]);
    expect(twice).toEqual(_internal.mergeGeneral(list, [second, { ...second, seq: 3 }]));
    expect(twice.filter((m) => m.key === second.key)).toHaveLength(1);
  });

  test('the acknowledged copy of a pending message replaces it at the end', () => {
    let list = mergeMessages([], many(2));
    list = mergeMessages(list, [pendingMessage('mine', 'alice', 'bob', 'hello', 5, 'direct')]);
    list = mergeMessages(list, [shown(stored(3, 'alice', 'hello', 'mine'))]);
    expect(summary(list)).toEqual(['m1:sent1', 'm2:sent2', 'hello:sent3']);
    expect(list.filter((m) => m.key === 'mine')).toHaveLength(1);
  });

  test('random lists and arrivals: the same result as the full merge', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      let list: DisplayMessage[] = [];
      let seq = 0;
      for (let step = 0; step < 25; step++) {
        const kind = random(6);
        let incoming: DisplayMessage[];
        if (kind === 0) {
          incoming = [pendingMessage(`p${round}-${step}`, 'alice', 'bob', 'p', step, 'direct')];
        } else if (kind === 1 && list.some((m) => m.status === 'pending')) {
          // Acknowledge a pending one (same key, next seq).
          const p = list.find((m) => m.status === 'pending')!;
          incoming = [{ ...p, status: 'sent', seq: ++seq }];
        } else if (kind === 2 && list.length > 0) {
          // A copy of something held, or an older seq.
          incoming = [{ ...list[random(list.length)]! }];
          if (incoming[0]!.seq !== undefined && random(2) === 0) incoming = [shown(stored(Math.max(1, incoming[0]!.seq - 1), 'bob'))];
        } else {
          const count = 1 + random(3);
          incoming = [];
          for (let i = 0; i < count; i++) incoming.push(shown(stored(seq + 1 + random(3), 'bob')));
          seq += 4;
        }
        const expected = _internal.mergeGeneral(list, incoming);
        const actual = mergeMessages(list, incoming);
        expect(actual).toEqual(expected);
        if (random(5) === 0) {
          const p = actual.find((m) => m.status === 'pending');
          list = p ? patchMessage(actual, p.key, { status: 'failed', error: 'no' }) : actual;
        } else {
          list = actual;
        }
      }
    }
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
