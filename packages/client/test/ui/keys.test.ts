import { parseKey } from '../../src/ui/keys.js';
import { textEvents } from '../../src/ui/use-keyboard.js';

describe('parseKey', () => {
  test.each([
    ['\x1bOP', 'f1'],
    ['\x1bOQ', 'f2'],
    ['\x1bOR', 'f3'],
    ['\x1bOS', 'f4'],
    ['\x1b[11~', 'f1'],
    ['\x1b[12~', 'f2'],
    ['\x1b[13~', 'f3'],
    ['\x1b[14~', 'f4'],
    ['\x1b[[A', 'f1'],
    ['\x1b[15~', 'f5'],
    ['\x1b[1;2P', 'f1'],
    ['\x1b[A', 'up'],
    ['\x1bOB', 'down'],
    ['\x1b[5~', 'pageup'],
    ['\x1b[6~', 'pagedown'],
    ['\x1b[H', 'home'],
    ['\x1b[1~', 'home'],
    ['\x1b[F', 'end'],
    ['\x1b[4~', 'end'],
    ['\x1b[3~', 'delete'],
    ['\r', 'return'],
    ['\t', 'tab'],
    ['\x7f', 'backspace'],
    ['\x1b', 'escape'],
  ])('%j is %s', (raw, name) => {
    expect(parseKey(raw).name).toBe(name);
  });

  test('Shift+Tab, Alt+digit, Alt+letter, Ctrl+letter, modified arrows', () => {
    expect(parseKey('\x1b[Z')).toMatchObject({ name: 'tab', shift: true });
    expect(parseKey('\x1b1')).toMatchObject({ name: 'text', text: '1', meta: true });
    expect(parseKey('\x1ba')).toMatchObject({ name: 'text', text: 'a', meta: true });
    expect(parseKey('\x0e')).toMatchObject({ name: 'text', text: 'n', ctrl: true });
    expect(parseKey('\x03')).toMatchObject({ name: 'text', text: 'c', ctrl: true });
    expect(parseKey('\x1b[1;5D')).toMatchObject({ name: 'left', ctrl: true });
    expect(parseKey('\x1b[1;3A')).toMatchObject({ name: 'up', meta: true });
    expect(parseKey('\x1b\x1b[A')).toMatchObject({ name: 'up', meta: true });
  });

  test('text is text, including wide characters', () => {
    expect(parseKey('héllo 漢字 👍')).toMatchObject({ name: 'text', text: 'héllo 漢字 👍' });
  });
});

describe('textEvents', () => {
  test('typed lines become text and Enter keys', () => {
    expect(textEvents('ab\rcd\r').map((k) => k.name)).toEqual(['text', 'return', 'text', 'return']);
  });
  test('control keys inside a run of text are keys', () => {
    expect(textEvents('\x15/logout\r').map((k) => [k.name, k.text])).toEqual([
      ['text', 'u'],
      ['text', '/logout'],
      ['return', ''],
    ]);
    expect(textEvents('ab\x7fc').map((k) => k.name)).toEqual(['text', 'backspace', 'text']);
    expect(textEvents('x\ty').map((k) => k.name)).toEqual(['text', 'tab', 'text']);
  });
  test('a run ending mid-line is held as a paste', () => {
    expect(textEvents('ab\rcd').map((k) => k.name)).toEqual(['paste']);
  });
});
