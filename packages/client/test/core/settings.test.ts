/** The settings: the file (parse, write, modes), and /set against a real client and server. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { DEFAULT_SETTINGS, parseSetting } from '../../src/settings/settings.js';
import { formatSettings, parseSettings, settingsFile, settingsPath, SettingsError } from '../../src/settings/settings-file.js';

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
    const mine = { bell: false, title: true, notify: 'osc777' as const, typing: false };
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
      ['bell = "yes"', /^f line 1: bell must be true or false, not "yes"$/],
      ['\n# a switch\nbell = 1', /^f line 3: bell must be true or false, not 1$/],
      ['notify = false', /^f line 1: notify must be "off", "osc9", "osc777", not false$/],
      ['bell = true\n"Bell" = true', /^f line 2: there is no setting "Bell" \(the settings are bell, title, notify, typing\)$/],
      ['bell = true\n[section]\nbell = true', /^f line 2: there is no setting "section"/],
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
    expect(parseSetting('typing', 'OFF')).toEqual({ name: 'typing', value: false });
    expect(parseSetting('bel', 'on')).toEqual({ error: 'There is no setting "bel"; the settings are bell, title, notify, typing.' });
    expect(parseSetting('notify', 'loud')).toEqual({ error: 'notify takes off, osc9 or osc777, not "loud".' });
  });
});
