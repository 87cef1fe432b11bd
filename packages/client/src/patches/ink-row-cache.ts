/**
 * Ink's `Output.get` with its rows remembered between frames.
 *
 * Each frame Ink fills a width x height grid with one object per cell and then turns every row
 * back into a string with @alcalzone/ansi-tokenize's `styledCharsToString`, which compares the
 * styles of each cell with the one before it: at 120x40 that was ~40% of a frame's time, for a
 * screen where a keystroke or an arrival changes a line or two.
 *
 * This is Ink 6's `get` (output.js) step for step, with two changes that keep every frame the
 * same string: blank cells, and the filler cells after a wide character, are one shared object
 * each instead of a new one per cell (cells are only read once placed); and each row's string is
 * remembered by the identities of its cells, which (with the shared caches of
 * ink-output-cache.ts) are the same objects from frame to frame while the row's text is the same.
 * A third change is not about speed: with `cellWidth` given (ink-cell-width.ts), a character
 * takes the cells the terminal gives it, not string-width's count.
 */

export interface StyledChar {
  type: 'char';
  value: string;
  fullWidth: boolean;
  styles: unknown[];
}

type Clip = { x1?: number; x2?: number; y1?: number; y2?: number };
type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: ((line: string, index: number) => string)[] }
  | { type: 'clip'; clip: Clip }
  | { type: 'unclip' };

export interface OutputLike {
  width: number;
  height: number;
  operations: Operation[];
  caches: {
    getStyledChars(line: string): StyledChar[];
    getStringWidth(text: string): number;
    getWidestLine(text: string): number;
  };
}

export interface RowCacheDeps {
  sliceAnsi(text: string, from: number, to: number): string;
  styledCharsToString(chars: StyledChar[]): string;
  /** Cells one character takes (at least 1); Ink's own count, string-width's, when absent. */
  cellWidth?(value: string): number;
}

/** Rows remembered (a 120x40 screen has 40; scrolling and typing make new ones). */
export const ROW_LIMITS = { rows: 2000 };

const BLANK: StyledChar = { type: 'char', value: ' ', fullWidth: false, styles: [] };

export function rowCachingGet(deps: RowCacheDeps): (this: OutputLike) => { output: string; height: number } {
  const fillers = new WeakMap<StyledChar, StyledChar>();
  const ids = new WeakMap<StyledChar, number>();
  let nextId = 1;
  const rows = new Map<string, string>();

  const fillerFor = (character: StyledChar): StyledChar => {
    let filler = fillers.get(character);
    if (!filler) {
      filler = { type: 'char', value: '', fullWidth: false, styles: character.styles };
      fillers.set(character, filler);
    }
    return filler;
  };

  const rowString = (row: (StyledChar | undefined)[]): string => {
    const cells: StyledChar[] = [];
    let key = '';
    for (const cell of row) {
      if (cell === undefined) continue;
      cells.push(cell);
      let id = ids.get(cell);
      if (id === undefined) {
        id = nextId++;
        ids.set(cell, id);
      }
      key += `${id},`;
    }
    let text = rows.get(key);
    if (text === undefined) {
      text = deps.styledCharsToString(cells).trimEnd();
      rows.set(key, text);
    }
    return text;
  };

  return function get(this: OutputLike) {
    const output: (StyledChar | undefined)[][] = [];
    for (let y = 0; y < this.height; y++) output.push(new Array<StyledChar>(this.width).fill(BLANK));
    const clips: Clip[] = [];
    for (const operation of this.operations) {
      if (operation.type === 'clip') clips.push(operation.clip);
      if (operation.type === 'unclip') clips.pop();
      if (operation.type !== 'write') continue;
      const { text, transformers } = operation;
      let { x, y } = operation;
      let lines = text.split('\n');
      const clip = clips.at(-1);
      if (clip) {
        const clipHorizontally = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
        const clipVertically = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
        if (clipHorizontally) {
          const width = this.caches.getWidestLine(text);
          if (x + width < clip.x1! || x > clip.x2!) continue;
        }
        if (clipVertically) {
          const height = lines.length;
          if (y + height < clip.y1! || y > clip.y2!) continue;
        }
        if (clipHorizontally) {
          lines = lines.map((line) => {
            const from = x < clip.x1! ? clip.x1! - x : 0;
            const width = this.caches.getStringWidth(line);
            const to = x + width > clip.x2! ? clip.x2! - x : width;
            return deps.sliceAnsi(line, from, to);
          });
          if (x < clip.x1!) x = clip.x1!;
        }
        if (clipVertically) {
          const from = y < clip.y1! ? clip.y1! - y : 0;
          const height = lines.length;
          const to = y + height > clip.y2! ? clip.y2! - y : height;
          lines = lines.slice(from, to);
          if (y < clip.y1!) y = clip.y1!;
        }
      }
      let offsetY = 0;
      // eslint-disable-next-line prefer-const -- as in Ink's Output.get, which this follows step for step
      for (let [index, line] of lines.entries()) {
        const currentLine = output[y + offsetY];
        if (!currentLine) continue;
        for (const transformer of transformers) line = transformer(line, index);
        const characters = this.caches.getStyledChars(line);
        let offsetX = x;
        for (const character of characters) {
          currentLine[offsetX] = character;
          const characterWidth = deps.cellWidth
            ? deps.cellWidth(character.value)
            : Math.max(1, this.caches.getStringWidth(character.value));
          if (characterWidth > 1) {
            const filler = fillerFor(character);
            for (let i = 1; i < characterWidth; i++) currentLine[offsetX + i] = filler;
          }
          offsetX += characterWidth;
        }
        offsetY++;
      }
    }
    const text = output.map(rowString).join('\n');
    if (rows.size > ROW_LIMITS.rows) {
      let drop = rows.size - Math.floor((ROW_LIMITS.rows * 3) / 4);
      for (const key of rows.keys()) {
        if (drop-- <= 0) break;
        rows.delete(key);
      }
    }
    return { output: text, height: output.length };
  };
}
