/** The database is the owner's alone (red-team item 7): folder 0700, file, WAL and SHM 0600; an existing readable file is reported. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from '@jest/globals';
import { SqliteStore } from '../../src/index.js';
import { cid, startHarness, request, type Harness } from '../helpers.js';

const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);
let dir = '';
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a new database: its folders 0700, the file and its WAL and SHM 0600 (whatever the umask lets others have)', async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-modes-'));
  const previous = process.umask(0o022); // the usual umask: 0644 files, 0755 folders by default
  try {
    const file = path.join(dir, 'data', 'tui-chat', 'chat.db');
    const store = new SqliteStore(file);
    await store.createUser('alice', 'h', 1);
    await store.appendMessages([{ from: 'alice', to: 'bob', text: 'hi', at: 1, clientId: 'mode-test-1', kind: 'direct' }]);
    expect(store.warnings).toEqual([]);
    expect([mode(path.join(dir, 'data')), mode(path.dirname(file))]).toEqual(['700', '700']);
    expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual(['600', '600', '600']);
    await store.close();
  } finally {
    process.umask(previous);
  }
});

test('the server on a new file: the same modes while it runs', async () => {
  h = await startHarness();
  dir = h.dir;
  const alice = await h.register('alice');
  await request(alice.socket, 'broadcast:send', { text: 'x', clientId: cid() });
  expect([mode(h.dbFile), mode(`${h.dbFile}-wal`), mode(`${h.dbFile}-shm`)]).toEqual(['600', '600', '600']);
});

test('an existing database that others can read is opened, and reported in one sentence saying what to do', async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-modes-'));
  const file = path.join(dir, 'chat.db');
  await new SqliteStore(file).close();
  fs.chmodSync(file, 0o644);
  fs.chmodSync(dir, 0o755);
  const store = new SqliteStore(file);
  expect(store.warnings).toEqual([
    `the database file ${file} can be read by other users of this machine (mode 0644); chmod 600 it.`,
    `the folder of the database ${dir} can be read by other users of this machine (mode 0755); chmod 700 it.`,
  ]);
  await store.close();
});
