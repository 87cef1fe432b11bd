/** /set against a real client and server: changes a setting now, saves only that one to the file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { DEFAULT_SETTINGS, settingsFile } from '@tui-chat/client';
import { respond, startHarness, type Harness } from '@tui-chat/testkit';

let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-settings-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('/set', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  test('lists, shows one, changes one now and saves only that change to the file; bad input gets the usage line', async () => {
    const file = settingsFile(path.join(dir, 'tui-chat', 'config.toml'));
    file.save({ ...DEFAULT_SETTINGS, title: false });
    // This run started with --notify osc9 over the file.
    const alice = h.client({ settings: { ...file.load(), notify: 'osc9' }, settingsFile: file });
    expect(await alice.login({ user: 'alice', password: 'secret-pw', register: true })).toBe(true);
    const list = (await respond(alice, '/set')).text.split('\n');
    expect(list[0]).toBe(`settings (saved in ${file.path}; /set <setting> <value> changes one):`);
    expect(list.slice(1).map((l) => l.trim().split(/\s{2,}/)[0])).toEqual(['bell = on', 'title = off', 'notify = osc9', 'typing = on']);
    expect((await respond(alice, '/set notify')).text).toMatch(/^notify = osc9 \(off, osc9, osc777\): desktop notifications/);
    expect((await respond(alice, '/set bell off')).text).toBe(`bell is now off (saved in ${file.path}).`);
    expect(alice.getState().settings).toEqual({ bell: false, title: false, notify: 'osc9', typing: true });
    // The flag's notify=osc9 stayed out of the file.
    expect(file.load()).toEqual({ bell: false, title: false, notify: 'off', typing: true });
    expect((await respond(alice, '/set bell loud')).text).toBe('bell takes on or off, not "loud".\nusage: /set [setting [value]]');
    expect((await respond(alice, '/set volume 11')).text).toBe(
      'There is no setting "volume"; the settings are bell, title, notify, typing.\nusage: /set [setting [value]]',
    );
    expect((await respond(alice, '/set bell on now')).kind).toBe('usage');
    expect(alice.getState().settings.bell).toBe(false);
    // Tab completion knows the names and each one's values.
    expect(alice.complete('/set n')).toEqual(['/set notify ']);
    expect(alice.complete('/set notify o')).toEqual(['/set notify off ', '/set notify osc777 ', '/set notify osc9 ']);
    // Settings survive a logout and a new login in the same client.
    await alice.logout();
    expect(await alice.login({ user: 'alice', password: 'secret-pw' })).toBe(true);
    expect(alice.getState().settings.bell).toBe(false);
  });

  test('without a file the change holds for the session; a file that cannot be written says so in one line', async () => {
    const alice = await h.register('alice');
    expect((await respond(alice, '/set title off')).text).toBe('title is now off (for this session).');
    const blocker = path.join(dir, 'file');
    fs.writeFileSync(blocker, '');
    const bob = h.client({ settingsFile: settingsFile(path.join(blocker, 'config.toml')) });
    expect(await bob.login({ user: 'bob', password: 'secret-pw', register: true })).toBe(true);
    const line = await respond(bob, '/set bell off');
    expect(line.kind).toBe('error');
    expect(line.text).toMatch(/^bell is now off for this session, but cannot (read|write) .*config\.toml \(ENOTDIR\)\.$/);
    expect(bob.getState().settings.bell).toBe(false);
  });
});
