/** Keys typed during a login wait for the chat screen, and nothing typed later overtakes them. */
import { describe, expect, test } from '@jest/globals';
import { HeldKeys } from '../../src/ui/held-keys.js';
import { parseKey, type KeyEvent } from '../../src/ui/keys.js';

const keys = (raw: string): KeyEvent[] => [...raw].map((c) => parseKey(c));
const text = (events: KeyEvent[]): string => events.map((e) => (e.name === 'text' ? e.text : `<${e.name}>`)).join('');
const connecting = { screen: 'login', connection: 'connecting' } as const;
const loggedIn = { screen: 'chat', connection: 'connected' } as const;

describe('keys typed while a login is on its way', () => {
  test('wait, and go to the chat screen in the order they were typed', () => {
    const hold = new HeldKeys();
    for (const k of keys('/inbox')) expect(hold.route(k, 'login', connecting)).toEqual([]);
    expect(hold.route(parseKey('\r'), 'login', connecting)).toEqual([]);
    expect(text(hold.release())).toBe('/inbox<return>');
    expect(hold.release()).toEqual([]);
  });

  test('the client is logged in but the login screen is still drawn: they still wait', () => {
    const hold = new HeldKeys();
    expect(hold.route(parseKey('x'), 'login', loggedIn)).toEqual([]);
    expect(text(hold.release())).toBe('x');
  });

  test('a key typed after the chat screen is drawn but before the waiting keys were handed over goes after them', () => {
    // Seen in tmux: "/inbox" waited, the Enter typed after it reached the fresh chat screen first
    // (an empty line: nothing sent), then "/inbox" was put in the input line, and stayed there.
    const hold = new HeldKeys();
    for (const k of keys('/inbox')) hold.route(k, 'login', connecting);
    expect(text(hold.route(parseKey('\r'), 'chat', loggedIn))).toBe('/inbox<return>');
    expect(hold.release()).toEqual([]);
  });

  test('Ctrl+C goes through at once; a failed login drops what waited, and the form gets the next keys', () => {
    const hold = new HeldKeys();
    hold.route(parseKey('a'), 'login', connecting);
    expect(text(hold.route(parseKey('\x03'), 'login', connecting))).toBe('c');
    hold.drop();
    expect(text(hold.route(parseKey('p'), 'login', { screen: 'login', connection: 'idle' }))).toBe('p');
    expect(hold.release()).toEqual([]);
  });
});
