/**
 * What the client draws for each grapheme cluster: the cluster itself when terminals agree on its
 * width, else a rendering they all agree on. Applied to sanitised text, by the layout's width
 * count (text-layout.ts) and by RowText when it hands text to Ink, so both see the same thing.
 *
 * Terminals disagree on emoji built from several code points. tmux 3.3, xterm and VTE count code
 * points; kitty, WezTerm, iTerm2 and Ink (string-width) count the cluster as one emoji:
 * - 👍🏽 (a skin-tone modifier): 4 cells in tmux, 2 in the others. Drawn without the modifier: 👍.
 * - ❤️ ⚠️ ©️ (VS16 on a character that is text by default): 1 in tmux, 2 in the others. Drawn
 *   without the selector, as text: ❤. (VS15 on an emoji, 😀︎, is dropped the same way.)
 * - 1️⃣ (a keycap): 1 or 2. Drawn as its key: 1.
 * - a lone regional indicator (half a flag): 1 or 2. Drawn as its letter. A pair (🇫🇷) is 2
 *   everywhere and stays.
 * - ZWJ sequences (👨‍👩‍👧) are kept when they begin with a wide emoji: tmux 3.3 and every
 *   terminal that knows them draw 2 cells. One that begins with a text-default character
 *   (🏳️‍🌈, ❤️‍🔥: 1 cell in tmux, 2 elsewhere) is drawn as its parts, 🏳🌈.
 * Anything else left where string-width and the terminal count still differ is drawn as its
 * first code point. Scripts where they differ for other reasons (Devanagari conjuncts, Thai
 * SARA AM) are left whole: Ink places them by the terminal's count (patches/ink-cell-width.ts).
 */
import stringWidth from 'string-width';
import { cellWidth, codePointWidth } from './cell-width.js';

const ZWJ = '\u200D';
const SELECTORS = /[\uFE0E\uFE0F]/g;
const MODIFIERS = /[\u{1F3FB}-\u{1F3FF}]/gu;
const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\u{1F1E6}-\u{1F1FF}]|\u20E3/u;
const KEYCAP = /^([0-9#*])\uFE0F?\u20E3$/u;
const REGIONAL = /^[\u{1F1E6}-\u{1F1FF}]$/u;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Clusters drawn so far (bounded: emptied when it outgrows this). */
const CACHE_LIMIT = 4000;
const cache = new Map<string, string>();

const firstCodePoint = (text: string): string => String.fromCodePoint(text.codePointAt(0)!);

/** Whether Ink (string-width, per cluster) and the terminal (cell-width.ts) count the same. */
const agreed = (text: string): boolean => stringWidth(text) === cellWidth(text);

/** A regional indicator as the letter it stands for. */
const letter = (ri: string): string => String.fromCharCode(0x41 + ri.codePointAt(0)! - 0x1f1e6);

/** An emoji without ZWJ: its modifiers (after the base) and presentation selectors dropped. */
function plainEmoji(cluster: string): string {
  const base = firstCodePoint(cluster);
  const drawn = base + cluster.slice(base.length).replace(MODIFIERS, '').replace(SELECTORS, '');
  if (agreed(drawn) && !REGIONAL.test(drawn)) return drawn;
  // Half a flag, or two halves that make no flag (🇫🇫): letters. Anything else: its first character.
  if (REGIONAL.test(base)) return [...drawn].map((ri) => (REGIONAL.test(ri) ? letter(ri) : '')).join('');
  return base;
}

/** A ZWJ sequence: kept (modifiers dropped) when it starts with a wide emoji, else its parts side by side. */
function zwjSequence(cluster: string): string {
  const parts = cluster.replace(MODIFIERS, '').split(ZWJ);
  const head = parts[0]!.replace(SELECTORS, '');
  const joinable = parts.slice(1).every((p) => p !== '' && p.codePointAt(0)! >= 0x80);
  if (head.length > 0 && firstCodePoint(head) === head && codePointWidth(head.codePointAt(0)!) === 2 && joinable) {
    const kept = [head, ...parts.slice(1)].join(ZWJ);
    if (agreed(kept)) return kept;
  }
  return parts.map((p) => (p === '' ? '' : drawnCluster(p))).join('');
}

function draw(cluster: string): string {
  const keycap = KEYCAP.exec(cluster);
  if (keycap) return keycap[1]!;
  if (!EMOJI.test(cluster)) return cluster;
  return cluster.includes(ZWJ) ? zwjSequence(cluster) : plainEmoji(cluster);
}

/** How one grapheme cluster of sanitised text is drawn. */
export function drawnCluster(cluster: string): string {
  if (cluster.length === 1 && cluster < '\u00ff') return cluster;
  let drawn = cache.get(cluster);
  if (drawn === undefined) {
    drawn = draw(cluster);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(cluster, drawn);
  }
  return drawn;
}

/** How a sanitised text is drawn (the text itself when nothing in it needs changing). */
export function drawnText(text: string): string {
  if (PRINTABLE_ASCII.test(text) || !EMOJI.test(text)) return text;
  let out = '';
  for (const { segment } of segmenter.segment(text)) out += drawnCluster(segment);
  return out;
}
