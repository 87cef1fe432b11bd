/**
 * No row wider than asked, whatever the text: emoji that terminals count differently, ZWJ
 * sequences, flags, CJK, other scripts and long web addresses, wrapped at many widths, as
 * message rows, and as the frames Ink writes. Rows are measured with the widths tmux 3.3 gives
 * (tmux-widths.ts), not with the client's own count.
 */
import React from 'react';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { render } from 'ink-testing-library';
import { installInkOutputCache } from '../../src/patches/ink-output-cache.js';
import { drawnText } from '../../src/ui/drawn-text.js';
import { findLinks, LINK_CLOSE, linkOpen, wrapLinked } from '../../src/ui/links.js';
import { messageRows } from '../../src/ui/message-rows.js';
import { MessagePane } from '../../src/ui/MessagePane.js';
import { responseRows } from '../../src/ui/ResponsesPane.js';
import { sanitize } from '../../src/ui/sanitize.js';
import { clipRow, type Row } from '../../src/ui/segments.js';
import { wrapLine } from '../../src/ui/text-layout.js';
import * as ed from '../../src/ui/input-editor.js';
import { inputRow } from '../../src/ui/InputLine.js';
import { msg } from './helpers.js';
import { tmuxCells } from './tmux-widths.js';

const URL_300 = 'https://example.com/' + Array.from({ length: 28 }, (_, i) => `seg${String(i).padStart(2, '0')}ment`).join('/') + 'z';

const SAMPLES: Record<string, string> = {
  'skin tone': 'thumbs 👍🏽 up 👍🏽👍🏽👍🏽 and ✌🏽',
  flag: 'from 🇫🇷 and 🇺🇸🇫🇷🇫🇷 with love',
  VS16: 'heart ❤️ ❤️❤️ warning ⚠️ ©️ 1️⃣',
  ZWJ: 'family 👨‍👩‍👧 👨‍👩‍👧‍👦👨‍👩‍👧 coder 👩🏽‍💻 pride 🏳️‍🌈 🧔‍♂️',
  CJK: '漢字漢字 漢字 漢字漢字漢字漢字漢字漢字 漢',
  scripts: 'हिन्दी क्षि กำ ห์ é',
  mixed: `a 👍🏽 b 🇫🇷 c ❤️ d 👨‍👩‍👧 e 漢字 f ${URL_300} g`,
};

/** A frame without its SGR codes and hyperlinks: what the terminal shows. */
const visible = (frame: string) => frame.replace(/\x1b\[[0-9;]*m/g, '').replace(/\x1b\]8;[^\x07]*\x07/g, '');

const rowText = (row: Row) => drawnText(row.map((s) => s.text).join(''));

beforeAll(async () => {
  // Ink places characters by the terminal's count (patches/ink-cell-width.ts), as the client does.
  expect(await installInkOutputCache()).toBe(true);
});

describe('wrapping', () => {
  // The widest thing drawn for one grapheme is 3 cells (🏳️‍🌈 as 🏳🌈); below that a pane cuts it (next test).
  test.each(Object.entries(SAMPLES))('%s: no row wider than asked at any width from 3 to 60, nothing lost', (_name, text) => {
    const line = sanitize(text);
    for (let width = 3; width <= 60; width++) {
      const rows = wrapLine(line, width);
      for (const row of rows) expect({ width, row, cells: tmuxCells(drawnText(row)) <= width }).toEqual({ width, row, cells: true });
      expect(rows.join('').replace(/ /g, '')).toBe(line.replace(/ /g, ''));
    }
  });

  test.each(Object.entries(SAMPLES))('%s: message rows fit the pane at any width', (_name, text) => {
    for (const width of [20, 31, 44, 58, 70, 92]) {
      const rows = messageRows(msg(1, { text, from: 'bob' }), { width, senderWidth: 5, self: 'alice' });
      for (const row of rows) expect({ width, row: rowText(row), fits: tmuxCells(rowText(row)) <= width }).toMatchObject({ fits: true });
      for (const row of responseRows({ id: 1, at: 0, kind: 'info', text }, width))
        expect(tmuxCells(rowText(row))).toBeLessThanOrEqual(width);
    }
  });

  test('a row cut to the pane (clipRow) never passes it either, even one cell wide', () => {
    const row: Row = [{ text: sanitize('👍🏽漢❤️👨‍👩‍👧') }];
    for (let width = 1; width <= 8; width++) expect(tmuxCells(rowText(clipRow(row, width)))).toBeLessThanOrEqual(width);
  });
});

describe('the frames Ink writes', () => {
  test.each([
    [120, 36],
    [80, 24],
    [61, 16],
  ])('at %ix%i every row of the messages pane is exactly its width, the right border in the last column', (columns, height) => {
    const width = columns - Math.max(18, Math.min(30, Math.round(columns * 0.22)));
    const messages = Object.values(SAMPLES).map((text, i) => msg(i, { text, from: i % 2 ? 'alice' : 'bob' }));
    const r = render(
      <MessagePane conversation="bob" messages={messages} self="alice" width={width} height={height} focused={false} scroll={null} />,
    );
    const lines = visible(r.lastFrame() ?? '').split('\n');
    expect(lines).toHaveLength(height);
    expect(lines[0]).toMatch(/^┌─ bob /);
    for (const line of lines) {
      expect({ line, cells: tmuxCells(line) }).toEqual({ line, cells: width });
      expect(line.at(-1)).toMatch(/[│┐┘]/);
    }
    r.unmount();
  });
});

describe('web addresses', () => {
  test('found in prose: http and https only, trailing punctuation and unbalanced brackets left out', () => {
    const text = 'see https://a.example/x_(y), (https://b.example/p?q=1). ftp://c.example javascript:alert(1) http://d.example/ü!';
    expect(findLinks(text).map((l) => [text.slice(l.start, l.end), l.href])).toEqual([
      ['https://a.example/x_(y)', 'https://a.example/x_(y)'],
      ['https://b.example/p?q=1', 'https://b.example/p?q=1'],
      ['http://d.example/ü', 'http://d.example/%C3%BC'],
    ]);
    // What the sanitiser made visible is not part of one, and nothing in an href can end its escape sequence.
    expect(findLinks(sanitize('https://e.example/a\u200Bb\x1b]8;;x\x07')).map((l) => l.href)).toEqual(['https://e.example/a']);
    for (const l of findLinks(sanitize(`${URL_300} https://x.example/␛^G ${'https://y.example/' + 'z'.repeat(3000)}`)))
      expect(l.href).toMatch(/^[\x21-\x7e]+$/);
  });

  test('a 300-character address gets rows of its own: whole rows of it, nothing else on them, and one link on each', () => {
    expect(URL_300.length).toBe(300);
    for (const width of [13, 40, 58, 92]) {
      const rows = wrapLinked(`look: ${URL_300} done`, width);
      const urlRows = rows.filter((r) => r.links.length > 0);
      expect(urlRows.map((r) => r.text).join('')).toBe(URL_300);
      expect(rows[0]!.text).toBe('look:'); // wrapped before it, not cut by the end of the first row
      for (const r of urlRows) expect(r.links).toEqual([{ start: 0, end: r.text.length, href: URL_300 }]);
      expect(rows.at(-1)!.text).toBe('done');
    }
  });

  test('each row of an address is an OSC 8 hyperlink to the whole address, and the row is as wide as before', () => {
    const message = msg(1, { text: `look: ${URL_300} done`, from: 'bob' });
    const r = render(
      <MessagePane conversation="bob" messages={[message]} self="alice" width={60} height={12} focused={false} scroll={null} />,
    );
    const frame = r.lastFrame() ?? '';
    const linked = frame.split('\n').filter((l) => l.includes('\x1b]8;'));
    expect(linked.length).toBeGreaterThanOrEqual(6);
    for (const line of linked) {
      // Opened with the whole address, closed before the border.
      expect(line).toContain(linkOpen(URL_300));
      expect(line.lastIndexOf(LINK_CLOSE)).toBeGreaterThan(line.indexOf(linkOpen(URL_300)));
      expect(visible(line).at(-1)).toBe('│');
      expect(tmuxCells(visible(line))).toBe(60);
    }
    r.unmount();
  });
});

describe('the input line', () => {
  const typed = ed.insert(ed.emptyEditor(), 'x👍🏽👨‍👩‍👧🇫🇷❤️漢y');

  test('Left, Backspace and Delete go by whole characters (a skin tone, a ZWJ family, a flag are one each)', () => {
    let e = ed.moveLeft(typed); // before y
    e = ed.backspace(e);
    expect(e.value).toBe('x👍🏽👨‍👩‍👧🇫🇷❤️y');
    e = ed.backspace(ed.backspace(e));
    expect(e.value).toBe('x👍🏽👨‍👩‍👧y');
    e = ed.deleteForward(ed.moveLeft(e));
    expect(e.value).toBe('x👍🏽y');
    e = ed.backspace(e);
    expect(e).toMatchObject({ value: 'xy', cursor: 1 });
  });

  test('the visible part never passes its room, wherever the cursor is', () => {
    const value = typed.value.repeat(6);
    for (const room of [4, 9, 17, 40]) {
      for (let cursor = 0; cursor <= value.length; cursor = ed.moveRight({ ...typed, value, cursor }).cursor) {
        const row = inputRow(value, cursor, room, true);
        expect({ room, cursor, fits: tmuxCells(rowText(row)) <= room }).toEqual({ room, cursor, fits: true });
        if (cursor === value.length) break;
      }
    }
  });
});
