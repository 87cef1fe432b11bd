import stringWidth from 'string-width';
import { sanitize, sanitizeInline, sanitizeLines, visibleControl } from '../../src/ui/sanitize.js';
import { displayWidth, truncateWidth, wrapLine } from '../../src/ui/text-layout.js';

/** Anything a terminal would act on instead of printing. */
const ACTIVE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/;

describe('sanitize', () => {
  test('ESC and whole CSI/OSC/DCS sequences become visible text', () => {
    expect(sanitize('\x1b[31mred\x1b[0m')).toBe('␛[31mred␛[0m');
    expect(sanitize('\x1b]0;title\x07')).toBe('␛]0;title^G');
    expect(sanitize('\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\')).toBe('␛]8;;http://x␛\\link␛]8;;␛\\');
    expect(sanitize('\x1bP+q\x1b\\')).toBe('␛P+q␛\\');
    expect(sanitize('\x1b[?1049l\x1b[2J')).toBe('␛[?1049l␛[2J');
  });

  test('C0 controls and DEL use caret notation, C1 controls \\xNN', () => {
    expect(sanitize('a\x00b\x07c\x08d\x7f')).toBe('a^@b^Gc^Hd^?');
    expect(sanitize('\x9b31m \x90 \x9d \x85')).toBe('\\x9B31m \\x90 \\x9D \\x85');
  });

  test('bidi overrides and isolates, zero-width characters and BOM are shown as \\uXXXX', () => {
    expect(sanitize('a\u202Eb\u202Dc\u202Ad\u202Be\u202Cf')).toBe('a\\u202Eb\\u202Dc\\u202Ad\\u202Be\\u202Cf');
    expect(sanitize('\u2066x\u2067y\u2068z\u2069')).toBe('\\u2066x\\u2067y\\u2068z\\u2069');
    expect(sanitize('a\u200Bb\u200Cc\u200Dd\u2060e\uFEFFf')).toBe('a\\u200Bb\\u200Cc\\u200Dd\\u2060e\\uFEFFf');
  });

  test('tabs become spaces to the next stop, line breaks split lines', () => {
    expect(sanitizeLines('a\tb\r\nc\rd\ne\u2028f')).toEqual(['a   b', 'c', 'd', 'e', 'f']);
    expect(sanitizeLines('\tx')).toEqual(['    x']);
    expect(sanitizeInline('one\ntwo')).toBe('one␤two');
  });

  test('ordinary text, accents, CJK, emoji with ZWJ-free sequences and VS16 pass unchanged', () => {
    const text = 'héllo 漢字 👍🏽 ❤️ 🇫🇷 ça';
    expect(sanitize(text)).toBe(text);
  });

  test('the ZWJs and tags of an RGI emoji sequence are kept: the family is one emoji', () => {
    for (const emoji of ['👨‍👩‍👧', '👨‍👩‍👧‍👦', '👩🏽‍💻', '🏳️‍🌈', '🧔‍♂️', '🏴󠁧󠁢󠁳󠁣󠁴󠁿']) expect(sanitize(`a ${emoji} b`)).toBe(`a ${emoji} b`);
    // Anywhere else a ZWJ (or a tag character) is still shown: between letters, between emoji that make no sequence, dangling.
    expect(sanitize('a\u200Db 👍\u200D👍 👨\u200D x\u{E0041}')).toBe('a\\u200Db 👍\\u200D👍 👨\\u200D x\\u{E0041}');
    expect(sanitize('x\u200D👨‍👩‍👧\u200Dy')).toBe('x\\u200D👨‍👩‍👧\\u200Dy');
  });

  test('a character that takes no cell, with nothing before it to combine with, is shown', () => {
    expect(sanitize('\u0301abc')).toBe('\\u0301abc');
    expect(sanitize('one\n\u20E3two')).toBe('one\n\\u20E3two');
    expect(sanitize('a\u1161')).toBe('a\\u1161'); // a Hangul vowel after no syllable
    // Combined with what is before it, it stays.
    expect(sanitize('e\u0301 \u1112\u1161\u11AB')).toBe('e\u0301 \u1112\u1161\u11AB');
  });

  test('lone surrogates are shown, not passed on', () => {
    expect(sanitize('a\uD800b')).toBe('a\\uD800b');
  });

  test('nothing active survives any byte', () => {
    let all = '';
    for (let c = 0; c < 0x3000; c++) all += String.fromCharCode(c);
    expect(sanitizeLines(all).join('')).not.toMatch(ACTIVE);
  });

  test('every replacement is printable', () => {
    for (const ch of ['\x00', '\x1b', '\x7f', '\x9b', '\u202e', '\ufeff']) {
      expect(visibleControl(ch)).not.toMatch(ACTIVE);
      expect(stringWidth(visibleControl(ch))).toBeGreaterThan(0);
    }
  });
});

describe('text layout by display width', () => {
  test('wide characters count two cells', () => {
    expect(displayWidth('漢字')).toBe(4);
    expect(displayWidth('👍')).toBe(2);
    expect(displayWidth('abc')).toBe(3);
  });

  test('wrapping never exceeds the width and never splits a character', () => {
    const text = '漢字かな交じり文 👍🎉 mixed text with words and 日本語 ' + 'x'.repeat(30);
    for (const width of [5, 7, 10, 13, 20]) {
      const rows = wrapLine(text, width);
      for (const row of rows) expect(displayWidth(row)).toBeLessThanOrEqual(width);
      expect(rows.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    }
  });

  test('words move to the next row when they fit there', () => {
    expect(wrapLine('hello brave new world', 11)).toEqual(['hello brave', 'new world']);
  });

  test('truncation keeps the exact width even when a wide character does not fit', () => {
    expect(truncateWidth('漢字漢字', 6)).toBe('漢字 …');
    expect(displayWidth(truncateWidth('漢字漢字', 6))).toBe(6);
  });
});
