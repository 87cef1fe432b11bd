/**
 * Connections before login (red-team items 2 and 4): idle TCP connections, unfinished handshakes
 * and abandoned logins from one address can neither exhaust the server nor keep slots; another
 * address still logs in and the health check still answers; every HTTP path is answered at once.
 */
import net from 'node:net';
import http from 'node:http';
import { afterEach, expect, test } from '@jest/globals';
import { HEALTH_PATH } from '@tui-chat/protocol';
import { hashingLoad } from '../../src/auth/passwords.js';
import { startHarness, until, type Harness } from '../helpers.js';

let h: Harness;
const raw: net.Socket[] = [];
afterEach(async () => {
  for (const s of raw.splice(0)) s.destroy();
  await h?.close();
});

/** A TCP connection from `localAddress`; resolves once connected, with a promise of its close. */
function tcp(port: number, localAddress = '127.0.0.1'): Promise<{ socket: net.Socket; closed: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    raw.push(socket);
    let received = '';
    socket.setEncoding('utf8').on('data', (d: string) => (received += d));
    const closed = new Promise<string>((done) => socket.once('close', () => done(received)));
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

function get(port: number, path: string, localAddress = '127.0.0.3'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, localAddress, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

test('300 idle connections from one address: the first 32 wait their login deadline, the rest are refused at once; others log in and health answers meanwhile', async () => {
  h = await startHarness({ limits: { loginDeadlineSeconds: 2 } });
  await h.register('bob');
  const conns = [];
  for (let i = 0; i < 300; i++) conns.push(await tcp(h.port).catch(() => null));
  const opened = conns.filter((c): c is NonNullable<typeof c> => c !== null);
  // The refused ones are told why and closed straight away.
  const refused = await Promise.all(opened.slice(32).map((c) => c.closed));
  expect(
    refused.every((text) => text.startsWith('HTTP/1.1 503') && text.includes('Too many connections logging in at once from your address')),
  ).toBe(true);
  // bob's own session from this address is open too.
  expect(h.server.context.connections.of('127.0.0.1')).toEqual({ open: 33, pending: 32 });
  // Another address logs in while they wait, and the health check answers.
  await expect(h.login('bob', 'secret-pw', {}, { localAddress: '127.0.0.2' })).resolves.toBeTruthy();
  expect((await get(h.port, HEALTH_PATH)).status).toBe(200);
  // The idle 32 are closed at their deadline, by the server.
  await Promise.all(opened.slice(0, 32).map((c) => c.closed));
  await until(() => h.server.context.connections.of('127.0.0.1').open === 1, 'the server to see them closed');
  expect(h.server.context.connections.of('127.0.0.1')).toEqual({ open: 1, pending: 0 });
  expect(h.server.context.connections.counts).toMatchObject({ expired: 32, refused: 268 });
}, 30_000);

test('unfinished handshakes are closed at the deadline: half an HTTP request, and a websocket that never logs in', async () => {
  h = await startHarness({ limits: { loginDeadlineSeconds: 1 } });
  const half = await tcp(h.port);
  half.socket.write('GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n');
  const upgraded = await tcp(h.port);
  upgraded.socket.write(
    'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
  );
  // The engine's handshake comes, then nothing: no socket.io CONNECT, no login.
  const [text] = await Promise.all([upgraded.closed, half.closed]);
  expect(text).toContain('101 Switching Protocols');
  expect(h.server.context.connections.counts.expired).toBe(2);
});

test('every HTTP path gets an answer at once', async () => {
  h = await startHarness();
  for (const path of ['/socket.io', '/socket.ioX', '/socket.io.js', '/', '/favicon.ico', '/tui-chat/nope']) {
    expect(await get(h.port, path)).toEqual({ status: 404, body: 'tui-chat server: connect with `tui-chat connect`.\n' });
  }
  expect((await get(h.port, '/socket.io/?EIO=4&transport=polling')).status).toBe(400);
  expect((await get(h.port, '/tui-chat/info')).status).toBe(200);
});

test('logins abandoned during the password hash give their slots back', async () => {
  // A cost that keeps each hash busy long enough to leave during it.
  h = await startHarness({ limits: { connectionsPerAddress: 3 }, passwordCost: { memoryKiB: 64 * 1024, passes: 4, parallelism: 1 } });
  for (let round = 0; round < 2; round++) {
    const before = hashingLoad().started;
    const attempts = [0, 1, 2].map((i) => h.login(`ghost${round}${i}`, 'wrong-pw').catch(() => undefined));
    await until(() => hashingLoad().started > before, 'a hash under way');
    // They leave while it runs.
    for (const s of h.sockets.splice(0)) s.disconnect();
    void Promise.all(attempts);
    await until(() => h.server.context.connections.of('127.0.0.1').open === 0, 'every slot given back');
    await until(() => hashingLoad().running === 0 && hashingLoad().waiting === 0, 'the hashes done');
  }
  // The address is not locked out of its connections: a real login goes through.
  await expect(h.register('alice')).resolves.toBeTruthy();
}, 30_000);
