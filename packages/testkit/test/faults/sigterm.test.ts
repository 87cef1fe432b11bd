/**
 * SIGTERM: `tui-chat serve` stops gracefully (clients are told, the store is flushed and closed, the
 * process exits 0); restarted on the same port and file, the clients reconnect by themselves and
 * what was typed meanwhile goes out once.
 */
import fs from 'node:fs';
import { expect, test } from '@jest/globals';
import type { ChatClient } from '@tui-chat/client';
import { faultClient, faultPlace, cleanUpAfterEach, loginClient, ServerProcess, shownTwice, storedMessages, waitFor } from './fixtures.js';
import { allSent, texts } from '@tui-chat/testkit';

const clients: ChatClient[] = [];
cleanUpAfterEach(clients);

test('SIGTERM stops the server gracefully; restarted, the clients reconnect by themselves', async () => {
  const started = Date.now();
  const { db, port, url } = await faultPlace();
  const server = await ServerProcess.start({ port, db });
  const alice = await loginClient(faultClient(url), 'alice', true);
  const bob = await loginClient(faultClient(url), 'bob', true);
  clients.push(alice, bob);
  await bob.open('alice');
  await alice.open('bob');
  await alice.submit('before');
  await waitFor(bob, allSent('alice', ['before']), 'bob has it');

  const exit = await server.signal('SIGTERM');
  expect(exit).toEqual({ code: 0, signal: null });
  expect(server.stdout.join('')).toMatch(/tui-chat server stopped\./);
  for (const c of [alice, bob]) {
    const s = await waitFor(c, (st) => st.connection === 'reconnecting', 'reconnecting');
    expect(s.screen).toBe('chat');
    expect(s.responses.some((r) => r.kind === 'notice' && r.text === 'The server is shutting down.')).toBe(true);
  }
  // A graceful stop leaves a clean database: the WAL was checkpointed into the file on close.
  expect(fs.existsSync(`${db}-wal`) ? fs.statSync(`${db}-wal`).size : 0).toBe(0);
  await alice.submit('while it was down');

  await ServerProcess.start({ port, db });
  const a = await waitFor(alice, (s) => s.connection === 'connected' && allSent('bob', ['while it was down'])(s), 'alice back and resent');
  const b = await waitFor(bob, (s) => s.connection === 'connected' && allSent('alice', ['while it was down'])(s), 'bob back and caught up');
  expect(texts(a, 'bob')).toEqual(['before', 'while it was down']);
  expect(texts(b, 'alice')).toEqual(['before', 'while it was down']);
  expect(shownTwice(a)).toEqual([]);
  expect(shownTwice(b)).toEqual([]);
  expect(storedMessages(db).map((r) => r.body)).toEqual(['before', 'while it was down']);
  // Back without the password: still the same sessions, still working both ways.
  await bob.submit('welcome back');
  await waitFor(alice, allSent('bob', ['welcome back']), 'alice has the reply');

  console.log(
    `SIGTERM: graceful stop (exit 0, clients told), restart, clients back by themselves, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}, 60_000);
