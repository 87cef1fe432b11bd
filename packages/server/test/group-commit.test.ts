/** Group commit as the sender sees it: an acknowledgement only ever follows the commit. */
import Database from 'better-sqlite3';
import { afterEach, expect, test } from '@jest/globals';
import type { AppendResult, NewMessage } from '../src/index.js';
import { cid, request, startHarness, type Harness } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

test('no message is acknowledged before its transaction commits; every acknowledged one is on disk', async () => {
  h = await startHarness();
  const users = ['alice', 'bob', 'carol'];
  const sockets = await Promise.all(users.map(async (u) => (await h.register(u)).socket));

  // Hold the store's writes behind a gate, and note each batch.
  const store = h.server.store;
  const realAppend = store.appendMessages.bind(store);
  const batches: number[] = [];
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let entered!: () => void;
  const firstWrite = new Promise<void>((resolve) => (entered = resolve));
  store.appendMessages = async (batch: NewMessage[]): Promise<AppendResult[]> => {
    batches.push(batch.length);
    entered();
    await gate;
    return realAppend(batch);
  };

  // Another connection to the same file: what it reads is what is committed.
  const reader = new Database(h.dbFile, { readonly: true, fileMustExist: true });
  const committed = reader.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM messages WHERE client_id = ?');
  const acked: string[] = [];
  const notOnDisk: string[] = [];
  const sends = sockets.flatMap((socket, i) =>
    Array.from({ length: 5 }, (_, k) => {
      const clientId = cid();
      return request(socket, 'message:send', { to: users[(i + 1) % 3]!, text: `${users[i]} ${k}`, clientId }).then((reply) => {
        // Checked the moment the acknowledgement arrives.
        if (committed.get(clientId)!.n !== 1) notOnDisk.push(clientId);
        acked.push(clientId);
        return reply;
      });
    }),
  );

  await firstWrite;
  // A later request on each connection is answered: the server has handled the sends before it,
  // and still no send is acknowledged, because nothing has been committed.
  await Promise.all(sockets.map((s) => request(s, 'presence:whoelse', {})));
  expect(acked).toEqual([]);
  expect(reader.prepare('SELECT COUNT(*) AS n FROM messages').get()).toEqual({ n: 0 });

  open();
  const replies = await Promise.all(sends);
  reader.close();
  expect(replies.every((r) => r.ok)).toBe(true);
  expect(acked).toHaveLength(15);
  expect(notOnDisk).toEqual([]);
  // Each message went through the store exactly once (same-turn batching itself: store.test.ts).
  expect(batches.reduce((a, b) => a + b, 0)).toBe(15);
});
