/**
 * Widths as terminals count them (tmux-widths.ts: measured in tmux 3.3a), and what the client
 * draws so that Ink (string-width) and the terminal agree.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import stringWidth from 'string-width';
import { cellWidth } from '../../src/ui/cell-width.js';
import { drawnCluster, drawnText } from '../../src/ui/drawn-text.js';
import { sanitize } from '../../src/ui/sanitize.js';
import { displayWidth } from '../../src/ui/text-layout.js';
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

describe('what is drawn for each cluster', () => {
  test.each([
    ['👍🏽', '👍'], // the skin tone: 4 cells in tmux, 2 in kitty or WezTerm
    ['✌🏽', '✌'],
    ['❤️', '❤'], // VS16 on a text-default character: 1 cell in tmux, 2 elsewhere
    ['⚠️', '⚠'],
    ['©️', '©'],
    ['😀︎', '😀'],
    ['1️⃣', '1'],
    ['#️⃣', '#'],
    ['🇩', 'D'], // half a flag
    ['🇫🇷', '🇫🇷'],
    ['👨‍👩‍👧', '👨‍👩‍👧'],
    ['👩🏽‍💻', '👩‍💻'],
    ['🧔‍♂️', '🧔‍♂️'],
    ['🏳️‍🌈', '🏳🌈'], // begins with a text-default character: its parts
    ['❤️‍🔥', '❤🔥'],
    ['🏴󠁧󠁢󠁳󠁣󠁴󠁿', '🏴󠁧󠁢󠁳󠁣󠁴󠁿'],
    ['漢', '漢'],
    ['क्षि', 'क्षि'], // other scripts are left whole (Ink places them by cellWidth: patches/ink-cell-width.ts)
    ['é', 'é'],
  ])('%s is drawn as %s', (cluster, drawn) => {
    expect(drawnCluster(cluster)).toBe(drawn);
  });

  test('every emoji drawn is counted the same by Ink (string-width) and by tmux', () => {
    for (const text of Object.keys(TMUX_3_3)) {
      const drawn = drawnText(sanitize(text));
      for (const { segment } of new Intl.Segmenter().segment(drawn)) {
        if (!/\p{Extended_Pictographic}|[\u{1F1E6}-\u{1F1FF}]/u.test(segment)) continue;
        expect({ segment, ink: stringWidth(segment) }).toEqual({ segment, ink: cellWidth(segment) });
      }
    }
  });

  test('the text as drawn takes the cells tmux gives it', () => {
    for (const text of ['👍🏽', '❤️', '🇫🇷', '👨‍👩‍👧', '🏳️‍🌈', '❤️‍🔥', '👁️‍🗨️', '漢字', '1️⃣', '🇩']) {
      const drawn = drawnText(text);
      expect({ text, cells: displayWidth(text) }).toEqual({ text, cells: TMUX_3_3[drawn] ?? cellWidth(drawn) });
    }
    expect(displayWidth('👍🏽 ❤️ 🇫🇷 👨‍👩‍👧 漢字')).toBe(2 + 1 + 1 + 1 + 2 + 1 + 2 + 1 + 4);
  });
});

/** Clusters that have broken rows, and their parts, to build texts from. */
const PIECES = [
  ...Object.keys(TMUX_3_3),
  'a',
  ' ',
  'x',
  '\u200D',
  '\uFE0F',
  '\uFE0E',
  '\u{1F3FD}',
  '\u0301',
  '\u20E3',
  '\u1161',
  '\u094D',
  '\u{E0067}',
  '\u{E007F}',
  '\u{1F1E9}',
  'https://example.com/ü',
];

describe('any text, as sanitised and drawn', () => {
  const texts = fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((parts) => parts.join(''));

  test('is drawn the same the second time (what Ink sees is what was measured)', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const drawn = drawnText(sanitize(text));
        expect(drawnText(drawn)).toBe(drawn);
      }),
    );
  });

  test('has no cluster that takes no cell (Ink would give it one) and adds up cluster by cluster', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const drawn = drawnText(sanitize(text));
        let sum = 0;
        for (const { segment } of new Intl.Segmenter().segment(drawn)) {
          const cells = cellWidth(segment);
          expect({ segment, cells: cells > 0 }).toEqual({ segment, cells: true });
          sum += cells;
        }
        expect(sum).toBe(cellWidth(drawn));
        expect(displayWidth(sanitize(text))).toBe(sum);
      }),
    );
  });

  test('never has Ink count a cluster wider than the terminal does (Ink would cut the row short)', () => {
    fc.assert(
      fc.property(texts, (text) => {
        for (const { segment } of new Intl.Segmenter().segment(drawnText(sanitize(text)))) {
          expect({ segment, ink: stringWidth(segment) <= cellWidth(segment) }).toEqual({ segment, ink: true });
        }
      }),
    );
  });
});
