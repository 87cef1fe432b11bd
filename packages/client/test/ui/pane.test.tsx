/** Pane: rows drawn unpadded between the borders, cut to the width, one line each, kept between frames. */
import React from 'react';
import { render } from 'ink-testing-library';
import { Pane } from '../../src/ui/Pane.js';
import { clipRow, fitRow, rowWidth, type Row } from '../../src/ui/segments.js';
import { displayWidth } from '../../src/ui/text-layout.js';

const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('clipRow', () => {
  test('a row that fits is returned as it is, not padded', () => {
    const row: Row = [{ text: 'ab', color: 'red' }, { text: 'c' }];
    expect(clipRow(row, 10)).toBe(row);
    expect(clipRow(row, 3)).toBe(row);
  });

  test('a row that does not fit is cut as fitRow cuts it', () => {
    const row: Row = [{ text: 'hello ', bold: true }, { text: 'wide 漢字 world' }];
    for (const width of [1, 4, 7, 12, 13, 14]) {
      expect(clipRow(row, width)).toEqual(fitRow(row, width));
      expect(rowWidth(clipRow(row, width))).toBe(width);
    }
  });
});

describe('Pane', () => {
  test('every line is exactly the pane width, borders in place, blank rows kept', () => {
    const rows: Row[] = [
      [{ text: 'first' }],
      [],
      [{ text: '' }],
      [{ text: 'red', color: 'red' }, { text: ' 漢字' }],
      [{ text: 'x'.repeat(40) }],
    ];
    const r = render(<Pane title="Title" hint="F9" width={20} height={9} focused={false} rows={rows} footer="2 new" />);
    const lines = strip(r.lastFrame() ?? '').split('\n');
    expect(lines).toHaveLength(9);
    for (const line of lines) expect(displayWidth(line)).toBe(20);
    expect(lines[0]).toMatch(/^┌─ Title ─+ F9 ─┐$/);
    expect(lines[1]).toBe('│first             │');
    expect(lines[2]).toBe('│                  │');
    expect(lines[3]).toBe('│                  │');
    expect(lines[4]).toBe('│red 漢字          │');
    expect(lines[5]).toBe(`│${'x'.repeat(17)}…│`);
    expect(lines[6]).toBe('│                  │');
    expect(lines[7]).toBe('│                  │');
    expect(lines[8]).toMatch(/^└─+ 2 new ─┘$/);
    r.unmount();
  });

  test('the focused pane has a double border on all four sides', () => {
    const r = render(<Pane title="T" width={12} height={4} focused rows={[[{ text: 'a' }]]} />);
    const lines = strip(r.lastFrame() ?? '').split('\n');
    expect(lines[0]!.startsWith('╔')).toBe(true);
    expect(lines[1]).toBe('║a         ║');
    expect(lines[2]).toBe('║          ║');
    expect(lines[3]).toBe('╚══════════╝');
    r.unmount();
  });

  test('rows scrolling by keep their place and content', () => {
    const all: Row[] = Array.from({ length: 10 }, (_, i) => [{ text: `row ${i}` }]);
    const r = render(<Pane title="T" width={12} height={5} focused={false} rows={all.slice(0, 3)} />);
    r.rerender(<Pane title="T" width={12} height={5} focused={false} rows={all.slice(1, 4)} />);
    let lines = strip(r.lastFrame() ?? '').split('\n');
    expect(lines.slice(1, 4)).toEqual(['│row 1     │', '│row 2     │', '│row 3     │']);
    // The same row object twice still draws twice.
    r.rerender(<Pane title="T" width={12} height={5} focused={false} rows={[all[5]!, all[5]!, all[6]!]} />);
    lines = strip(r.lastFrame() ?? '').split('\n');
    expect(lines.slice(1, 4)).toEqual(['│row 5     │', '│row 5     │', '│row 6     │']);
    r.unmount();
  });
});
