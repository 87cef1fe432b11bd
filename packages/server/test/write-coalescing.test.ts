/**
 * Write coalescing (src/write-coalescing.ts): everything sent to one socket in one turn of the
 * event loop leaves in one system call, in order, and nothing is held back.
 */
import { afterEach, expect, test } from '@jest/globals';
import type { ChatSocket } from '../src/context.js';
import { writesCoalesced } from '../src/patches/write-coalescing.js';
import { startHarness, type Harness } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

interface TcpWrites {
  _write: (...args: unknown[]) => unknown;
  _writev: (...args: unknown[]) => unknown;
}

/** Counts the write calls the TCP socket under `socket` makes from now on. */
function countWrites(socket: ChatSocket): { calls: number } {
  const transport = (socket.conn as unknown as { transport: { socket: { _socket: TcpWrites } } }).transport;
  const tcp = transport.socket._socket;
  const count = { calls: 0 };
  for (const name of ['_write', '_writev'] as const) {
    const real = tcp[name].bind(tcp);
    tcp[name] = (...args: unknown[]) => {
      count.calls += 1;
      return real(...args);
    };
  }
  return count;
}

test('50 packets to one socket in one turn leave in one write, in order', async () => {
  h = await startHarness();
  const { socket: client } = await h.register('alice');
  const [server] = await h.server.io.fetchSockets();
  const serverSocket = h.server.io.sockets.sockets.get(server!.id)!;
  expect(writesCoalesced((serverSocket.conn as unknown as { transport: unknown }).transport)).toBe(true);

  const got: string[] = [];
  const all = new Promise<void>((resolve) =>
    client.on('notice', (n) => {
      got.push(n.message);
      if (got.length === 50) resolve();
    }),
  );
  const writes = countWrites(serverSocket);
  for (let i = 0; i < 50; i++) serverSocket.emit('notice', { code: 'server_shutdown', message: `n${i}` });
  await all;
  expect(got).toEqual(Array.from({ length: 50 }, (_, i) => `n${i}`));
  expect(writes.calls).toBe(1);

  // A packet on its own still goes at once (in the same turn), not after a timer.
  const one = new Promise<void>((resolve) => client.once('notice', () => resolve()));
  serverSocket.emit('notice', { code: 'server_shutdown', message: 'alone' });
  await one;
  expect(writes.calls).toBe(2);
});
