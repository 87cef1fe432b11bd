/**
 * TLS: `serve --tls-cert/--tls-key` with a certificate signed by a private authority the test makes,
 * a client that trusts that authority (`connect --ca`), and one that does not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { io as connectSocket } from 'socket.io-client';
import { ChatClient } from '@tui-chat/client';
import { testCertificates } from '@tui-chat/testkit';
import { childEnv, cleanup, expectOneLine, run, start, tempDir, type Running } from './helpers.js';

let dir: string;
let server: Running;
let port: number;
let caFile: string;

beforeAll(async () => {
  dir = tempDir();
  const certs = testCertificates(dir);
  caFile = certs.ca;
  server = start([
    'serve',
    '--port',
    '0',
    '--log-level',
    'warn',
    '--db',
    path.join(dir, 'tls.db'),
    '--tls-cert',
    certs.cert,
    '--tls-key',
    certs.key,
  ]);
  const m = await server.waitFor(/^tui-chat server listening on wss:\/\/127\.0\.0\.1:(\d+) /m);
  port = Number(m[1]);
});
afterAll(cleanup);

describe('TLS', () => {
  /** Resolves once the client's state satisfies `check`. */
  const until = (client: ChatClient, check: (s: ReturnType<ChatClient['getState']>) => boolean): Promise<void> =>
    new Promise((resolve) => {
      if (check(client.getState())) return resolve();
      const stop = client.subscribe((s) => {
        if (check(s)) {
          stop();
          resolve();
        }
      });
    });

  test('a client trusting the private CA registers and messages over wss://', async () => {
    const ca = fs.readFileSync(caFile, 'utf8');
    const alice = new ChatClient({ url: `https://127.0.0.1:${port}`, display: `127.0.0.1:${port}`, socketOptions: { ca } });
    const bob = new ChatClient({ url: `https://localhost:${port}`, display: `localhost:${port}`, socketOptions: { ca } });
    try {
      // The login screen's check of the server trusts the private authority too.
      await until(alice, (s) => s.serverCheck?.state === 'answers' && s.registrationOpen === true);
      expect(await alice.login({ user: 'alice', password: 'alice-pw', register: true })).toBe(true);
      expect(await bob.login({ user: 'bob', password: 'bob-pw', register: true })).toBe(true);
      const arrived = new Promise<void>((resolve) => {
        const stop = bob.subscribe((s) => {
          if (s.messages.alice?.some((m) => m.text === 'over tls')) {
            stop();
            resolve();
          }
        });
      });
      await alice.submit('/msg bob over tls');
      await arrived;
    } finally {
      alice.close();
      bob.close();
    }
  });

  test('a client that does not trust the certificate hears why before any password', async () => {
    const carol = new ChatClient({ url: `https://127.0.0.1:${port}`, display: `127.0.0.1:${port}` });
    try {
      await until(carol, (s) => s.serverCheck?.state === 'silent');
      expect(carol.getState().serverCheck).toMatchObject({ problem: expect.stringMatching(/certificate .*--ca/) });
    } finally {
      carol.close();
    }
  });

  test('a client that does not trust the certificate is refused', async () => {
    const socket = connectSocket(`https://127.0.0.1:${port}`, {
      transports: ['websocket'],
      reconnection: false,
      auth: { user: 'alice', password: 'alice-pw' },
    });
    const err = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    socket.disconnect();
    expect(String((err as { description?: { message?: string } }).description?.message ?? err.message)).toMatch(
      /self.signed|unable to verify|certificate|websocket error/i,
    );
  });

  test('bad TLS flags get one clear line and exit 2', async () => {
    const db = path.join(dir, 'x.db');
    expectOneLine(await run(['serve', '--port', '0', '--db', db, '--tls-cert', caFile]), 2, /--tls-cert and --tls-key go together/);
    expectOneLine(
      await run(['serve', '--port', '0', '--db', db, '--tls-cert', path.join(dir, 'nope.pem'), '--tls-key', caFile]),
      2,
      /cannot read --tls-cert .*ENOENT/,
    );
    expectOneLine(
      await run(['serve', '--port', '0', '--db', db, '--tls-cert', caFile, '--tls-key', caFile]),
      2,
      /not a PEM certificate and its matching key/,
    );
    expectOneLine(await run(['connect', `wss://127.0.0.1:${port}`, '--ca', path.join(dir, 'nope.pem')], childEnv()), 2, /cannot read --ca/);
    expectOneLine(await run(['connect', `127.0.0.1:${port}`, '--ca', caFile], childEnv()), 2, /--ca only applies to a wss:\/\//);
    expectOneLine(
      await run(['connect', `wss://127.0.0.1:${port}`, '--ca', path.join(dir, 'ext.cnf')], childEnv()),
      2,
      /is not a PEM certificate/,
    );
  });
});
