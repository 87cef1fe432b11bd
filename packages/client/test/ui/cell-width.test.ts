/** Widths as terminals count them (tmux-widths.ts: measured in tmux 3.3a). */
import { describe, expect, test } from '@jest/globals';
import stringWidth from 'string-width';
import { cellWidth } from '../../src/ui/cell-width.js';
import { TMUX_3_3 } from './tmux-widths.js';

describe('cellWidth counts what tmux 3.3 draws', () => {
  test.each(Object.entries(TMUX_3_3))('%s: %i cells', (text, cells) => {
    expect(cellWidth(text)).toBe(cells);
  });

  test('where string-width (Ink) counts differently: the clusters of the bug report among them', () => {
    const differ = Object.keys(TMUX_3_3).filter((t) => stringWidth(t) !== TMUX_3_3[t]);
    expect(differ).toEqual(expect.arrayContaining(['👍🏽', '❤️', 'क्षि', 'กำ', '🏳️‍🌈', '1️⃣']));
  });
});
