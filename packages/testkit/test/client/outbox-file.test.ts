/**
 * Nothing typed is lost: what the server has not taken when a client ends (quit, crash, a closed
 * terminal) is kept on disk for that server and user, and the next login of that user sends it,
 * once, in order. Real server, real SQLite, real files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import type { ChatClient } from '@tui-chat/client';
import { startHarness, tempDir, texts, waitFor, waitForMessage, type Harness } from '@tui-chat/testkit';

let h: Harness;
let dir: string;
afterEach(async () => {
  await h.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<void> {
  h = await startHarness();
  dir = tempDir('state');
}

/** Every outbox file left under the state folder (any server, any user). */
function outboxFiles(): string[] {
  const root = path.join(dir, 'outbox');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .flatMap((e) => (e.isFile() ? [path.join(e.parentPath, e.name)] : []));
}

async function loginCarol(): Promise<ChatClient> {
  const carol = h.client({ stateDir: dir });
  expect(await carol.login({ user: 'carol', password: 'secret-pw' })).toBe(true);
  return carol;
}

describe('the outbox on disk', () => {
  test('a message queued while the server is down survives quitting and reaches bob exactly once at the next start', async () => {
    await start();
    const bob = await h.register('bob');
    (await h.register('carol')).close();
    const carol = await loginCarol();
    await h.stop();
    await waitFor(carol, (s) => s.connection !== 'connected', 'carol to lose the server');
    await carol.submit('/msg bob sent while the server was down');
    await carol.submit('/msg bob and a second one');
    expect(carol.unsent()).toEqual({ unsent: 2, kept: true });
    // On disk before anything else happens, readable by carol only.
    const [file] = outboxFiles();
    expect(file).toBeDefined();
    expect(fs.statSync(file!).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file!)).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(file!, 'utf8')).toContain('sent while the server was down');
    carol.close(); // /quit, Ctrl+C, a closed terminal

    await h.start();
    await waitFor(bob, (s) => s.connection === 'connected', 'bob back');
    const again = await loginCarol();
    await waitForMessage(again, 'bob', 'and a second one');
    expect(again.getState().responses.map((r) => r.text)).toContain('Sending 2 messages left unsent when tui-chat last closed.');
    await waitForMessage(bob, 'carol', 'and a second one');
    expect(texts(bob.getState(), 'carol')).toEqual(['sent while the server was down', 'and a second one']);
    const stored = await h.server.store.history('bob:carol', 10);
    expect(stored.map((m) => m.text)).toEqual(['sent while the server was down', 'and a second one']);
    expect(outboxFiles()).toEqual([]); // all taken: nothing is left to send twice
  });

  test('a message the server stored but whose answer never came is not stored again', async () => {
    await start();
    await h.register('bob');
    const carol = await h.register('carol');
    await carol.submit('/msg bob stored before the answer was lost');
    await waitForMessage(carol, 'bob', 'stored before the answer was lost');
    const clientId = carol.getState().messages.bob![0]!.key; // an own message's key is its client id
    carol.close();
    // As a client that died between the server's commit and its answer would leave it.
    const folder = path.join(dir, 'outbox', h.display.replace(/:/g, '_3a'));
    fs.mkdirSync(folder, { recursive: true });
    const entry = { kind: 'direct', clientId, to: 'bob', text: 'stored before the answer was lost' };
    fs.writeFileSync(path.join(folder, 'carol.999999-0a0b0c0d.json'), JSON.stringify({ version: 1, entries: [entry] }));
    const again = await loginCarol();
    await waitFor(again, (s) => s.responses.some((r) => r.text.startsWith('Sending 1 message left unsent')), 'the resend');
    await waitFor(again, () => again.unsent().unsent === 0, 'the outbox to empty');
    expect((await h.server.store.history('bob:carol', 10)).map((m) => m.text)).toEqual(['stored before the answer was lost']);
    expect(outboxFiles()).toEqual([]);
  });

  test('logging out keeps the queue for the next login; another user and a running client leave it alone', async () => {
    await start();
    await h.register('bob');
    (await h.register('carol')).close();
    (await h.register('dave')).close();
    const carol = await loginCarol();
    const running = await loginCarol(); // carol in a second terminal
    await h.stop();
    await waitFor(carol, (s) => s.connection !== 'connected', 'carol to lose the server');
    await carol.submit('/msg bob typed before logging out');
    await carol.logout();
    await h.start();
    await waitFor(running, (s) => s.connection === 'connected', 'the second terminal back');
    // dave logs in on the same machine: carol's queue is not his.
    const dave = h.client({ stateDir: dir });
    expect(await dave.login({ user: 'dave', password: 'secret-pw' })).toBe(true);
    expect(dave.getState().responses.some((r) => r.text.includes('left unsent'))).toBe(false);
    expect(outboxFiles()).toHaveLength(1);
    // carol again, on the client she logged out of.
    expect(await carol.login({ user: 'carol', password: 'secret-pw' })).toBe(true);
    await waitForMessage(carol, 'bob', 'typed before logging out');
    expect((await h.server.store.history('bob:carol', 10)).map((m) => m.text)).toEqual(['typed before logging out']);
  });

  test('a damaged file is set aside with one sentence and nothing from it is sent', async () => {
    await start();
    (await h.register('carol')).close();
    const folder = path.join(dir, 'outbox', h.display.replace(/:/g, '_3a'));
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'carol.999999-00000001.json'), '{"version":1,"entries":[{"kind":"direct","to":"bob"');
    const carol = await loginCarol();
    const state = await waitFor(carol, (s) => s.responses.some((r) => r.text.includes('damaged')), 'the damaged file said');
    const said = state.responses.find((r) => r.text.includes('damaged'))!;
    expect(said.text).toMatch(/^A file of unsent messages was damaged; it was kept as .*\.damaged and nothing from it was sent\.$/);
    expect(fs.readdirSync(folder).filter((f) => f.endsWith('.damaged'))).toHaveLength(1);
  });
});
