/** The settings: the file (parse, write, modes), and /set against a real client and server. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { DEFAULT_SETTINGS, parseSetting } from '../../src/settings/settings.js';
import { formatSettings, parseSettings, settingsFile, settingsPath, SettingsError } from '../../src/settings/settings-file.js';
import { respond, startHarness, type Harness } from './harness.js';

let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tui-chat-settings-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the settings file', () => {
  test('lives under XDG_CONFIG_HOME, else ~/.config', () => {
    expect(settingsPath({ XDG_CONFIG_HOME: '/x/conf' })).toBe('/x/conf/tui-chat/config.toml');
    // A relative XDG_CONFIG_HOME is to be ignored (the XDG spec).
    expect(settingsPath({ XDG_CONFIG_HOME: 'rel' })).toBe(path.join(os.homedir(), '.config', 'tui-chat', 'config.toml'));
    expect(settingsPath({})).toBe(path.join(os.homedir(), '.config', 'tui-chat', 'config.toml'));
  });

  test('a missing file is the defaults; a written one reads back the same, commented, folder 0700 and file 0600', () => {
    const file = settingsFile(path.join(dir, 'deep', 'tui-chat', 'config.toml'));
    expect(file.load()).toEqual(DEFAULT_SETTINGS);
    const mine = { bell: false, title: true, notify: 'osc777' as const };
    file.save(mine);
    expect(file.load()).toEqual(mine);
    expect(fs.statSync(file.path).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file.path)).mode & 0o777).toBe(0o700);
    const text = fs.readFileSync(file.path, 'utf8');
    expect(text).toBe(formatSettings(mine));
    expect(text).toMatch(/^# tui-chat client settings/);
    expect(text).toContain('bell = false   # on, off');
    expect(text).toContain('notify = "osc777"   # off, osc9, osc777');
    expect(fs.readdirSync(path.dirname(file.path))).toEqual(['config.toml']); // no temporary file left
  });

  test('parsing: partial files keep the defaults; every bad file is one sentence naming it', () => {
    expect(parseSettings('# nothing\n', 'f')).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings('notify = "OSC9"\n', 'f')).toEqual({ ...DEFAULT_SETTINGS, notify: 'osc9' });
    const bad: [string, RegExp][] = [
      ['bell = "yes"', /^f: bell must be true or false, not "yes"$/],
      ['bell = 1', /^f: bell must be true or false, not 1$/],
      ['notify = false', /^f: notify must be "off", "osc9", "osc777", not false$/],
      ['Bell = true', /^f: there is no setting "Bell" \(the settings are bell, title, notify\)$/],
      ['[section]\nbell = true', /^f: there is no setting "section"/],
      ['bell = ', /^f line 1 is not valid TOML \(.+\)$/],
      ['title = true\n\nbell =', /^f line 3 is not valid TOML/],
    ];
    for (const [text, message] of bad) {
      expect(() => parseSettings(text, 'f')).toThrow(SettingsError);
      expect(() => parseSettings(text, 'f')).toThrow(message);
    }
  });

  test('an unreadable file or folder is a SettingsError, not a crash', () => {
    const blocker = path.join(dir, 'file');
    fs.writeFileSync(blocker, '');
    const under = settingsFile(path.join(blocker, 'tui-chat', 'config.toml'));
    expect(() => under.save(DEFAULT_SETTINGS)).toThrow(/^cannot write .*config\.toml \(ENOTDIR\)$/);
    const folder = settingsFile(dir); // a folder where the file should be
    expect(() => folder.load()).toThrow(/^cannot read .* \(EISDIR\)$/);
  });

  test('typed values: on/off and their synonyms, any case; one sentence otherwise', () => {
    expect(parseSetting('bell', 'OFF')).toEqual({ name: 'bell', value: false });
    expect(parseSetting('title', 'yes')).toEqual({ name: 'title', value: true });
    expect(parseSetting('notify', 'osc9')).toEqual({ name: 'notify', value: 'osc9' });
    expect(parseSetting('bel', 'on')).toEqual({ error: 'There is no setting "bel"; the settings are bell, title, notify.' });
    expect(parseSetting('notify', 'loud')).toEqual({ error: 'notify takes off, osc9 or osc777, not "loud".' });
  });
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
    expect(list.slice(1).map((l) => l.trim().split(/\s{2,}/)[0])).toEqual(['bell = on', 'title = off', 'notify = osc9']);
    expect((await respond(alice, '/set notify')).text).toMatch(/^notify = osc9 \(off, osc9, osc777\): desktop notifications/);
    expect((await respond(alice, '/set bell off')).text).toBe(`bell is now off (saved in ${file.path}).`);
    expect(alice.getState().settings).toEqual({ bell: false, title: false, notify: 'osc9' });
    // The flag's notify=osc9 stayed out of the file.
    expect(file.load()).toEqual({ bell: false, title: false, notify: 'off' });
    expect((await respond(alice, '/set bell loud')).text).toBe('bell takes on or off, not "loud".\nusage: /set [setting [value]]');
    expect((await respond(alice, '/set volume 11')).text).toBe(
      'There is no setting "volume"; the settings are bell, title, notify.\nusage: /set [setting [value]]',
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
