import { expect, test } from '@jest/globals';
import type { ChatIo } from '../src/context.js';
import { PresenceFeed } from '../src/presence-feed.js';
import { next, startHarness } from './helpers.js';

test('changes within a window go out as one packet, the last change per user winning', () => {
  const sent: unknown[] = [];
  const io = { emit: (event: string, payload: unknown) => sent.push([event, payload]) } as unknown as ChatIo;
  const feed = new PresenceFeed(io, 60_000);
  feed.push('alice', true);
  feed.push('bob', true);
  feed.push('alice', false);
  expect(sent).toEqual([]);
  feed.flush();
  expect(sent).toEqual([
    [
      'presence:changes',
      {
        changes: [
          { user: 'bob', online: true, away: null },
          { user: 'alice', online: false, away: null },
        ],
      },
    ],
  ]);
  feed.flush();
  expect(sent).toHaveLength(1);
});

test('a burst of logins reaches a watcher in fewer packets than logins', async () => {
  const h = await startHarness();
  try {
    const watcher = await h.register('watcher');
    const packets: { user: string; online: boolean }[][] = [];
    watcher.socket.on('presence:changes', (u) => packets.push(u.changes));
    const names = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
    await Promise.all(names.map((n) => h.register(n)));
    // Every login is announced; wait until all are seen.
    while (new Set(packets.flat().map((c) => c.user)).size < names.length) await next(watcher.socket, 'presence:changes');
    expect(packets.flat().every((c) => c.online)).toBe(true);
    expect(packets.length).toBeLessThan(names.length);
  } finally {
    await h.close();
  }
});
