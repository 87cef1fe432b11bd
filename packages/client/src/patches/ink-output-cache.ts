/**
 * Keeps Ink's output caches from one frame to the next.
 *
 * Ink 6 builds every frame from scratch: each line written goes through
 * @alcalzone/ansi-tokenize (a grapheme segmenter, one object per character) and string-width.
 * Ink caches those results per line, but in a cache that belongs to one frame's `Output` and is
 * thrown away with it. A chat screen changes a line or two per frame (a keystroke, an arrival),
 * so nearly all of that work is repeated on identical lines: at 120x40 it was about two thirds of
 * Ink's output pass.
 *
 * This hands every `Output` the same caches (bounded: the oldest entries go first). They map
 * a string to what Ink computes from that string alone, and the cached character objects are only
 * read afterwards, so the frames are exactly the ones Ink would write without it.
 *
 * `Output` is internal to Ink (not in its exports), so it is reached by file (ink-internals.ts). Fenced (see fence.ts): installed only on the Ink it was written for (PATCHED_VERSIONS),
 * anything else leaves Ink as it is and is recorded, never silently. The caches only ever change
 * speed; the copied get also places characters by the terminal's cell count (ink-cell-width.ts).
 */
import { CELL_WIDTH, inkCellWidth } from './ink-cell-width.js';
import { rowCachingGet, type RowCacheDeps } from './ink-row-cache.js';
import { importInkInternals, type InkInternals } from './ink-internals.js';
import { notInstalled, versionMatches } from '@tui-chat/protocol/fence';
import { PATCHED_VERSIONS } from './versions.js';

export const OUTPUT_CACHE = 'ink-output-cache';
export const ROW_CACHE = 'ink-row-cache';

/** The shape of Ink's OutputCaches that this relies on. */
interface OutputCaches {
  widths: Map<string, number>;
  blockWidths: Map<string, number>;
  styledChars: Map<string, unknown[]>;
  getStyledChars(line: string): unknown[];
}

interface OutputInstance {
  caches: OutputCaches;
}

interface OutputClass {
  new (options: { width: number; height: number }): OutputInstance;
  prototype: { get(this: OutputInstance): unknown; __tuiChatSharedCaches?: true };
}

/** Lines kept (a 120x40 frame writes about 60 distinct ones); widths are small and kept longer. */
export const LIMITS = { lines: 400, widths: 4000 };

let state: 'pending' | 'installed' | 'unavailable' = 'pending';
let installing: Promise<boolean> | null = null;

function looksLikeInkOutput(Output: unknown): Output is OutputClass {
  if (typeof Output !== 'function') return false;
  const proto = (Output as OutputClass).prototype;
  if (typeof proto?.get !== 'function') return false;
  try {
    const probe = new (Output as OutputClass)({ width: 1, height: 1 });
    const c = probe.caches;
    return (
      c !== null &&
      typeof c === 'object' &&
      c.widths instanceof Map &&
      c.blockWidths instanceof Map &&
      c.styledChars instanceof Map &&
      typeof c.getStyledChars === 'function'
    );
  } catch {
    return false;
  }
}

/** Drops the oldest quarter of a map that outgrew `limit` (Maps keep insertion order). */
function trim(map: Map<string, unknown>, limit: number): void {
  if (map.size <= limit) return;
  let drop = map.size - Math.floor((limit * 3) / 4);
  for (const key of map.keys()) {
    if (drop-- <= 0) break;
    map.delete(key);
  }
}

/** Ink's own `get`, kept for tests that compare frames (null until installed). */
export let inkOriginalGet: OutputClass['prototype']['get'] | null = null;

function patch(Output: OutputClass, rowDeps: RowCacheDeps | null): void {
  const proto = Output.prototype;
  if (proto.__tuiChatSharedCaches) return;
  inkOriginalGet = proto.get;
  // Ink 6's get, rows remembered (ink-row-cache.ts), when its source is the one that copies.
  const rows = rowDeps !== null && isInk6Get(proto.get);
  if (!rows) {
    const reason = rowDeps ? "Ink's Output.get is not the one it copies" : "Ink's slice-ansi or ansi-tokenize was not found";
    for (const name of [ROW_CACHE, CELL_WIDTH]) notInstalled(name, reason);
  }
  const originalGet = rows
    ? (rowCachingGet({ ...rowDeps, cellWidth: inkCellWidth }) as unknown as OutputClass['prototype']['get'])
    : proto.get;
  let shared: OutputCaches | null = null;
  proto.get = function get(this: OutputInstance) {
    if (shared === null) {
      shared = this.caches;
    } else {
      // Lines still in use that were dropped are simply computed again, as Ink always did.
      trim(shared.styledChars, LIMITS.lines);
      trim(shared.widths, LIMITS.widths);
      trim(shared.blockWidths, LIMITS.widths);
      this.caches = shared;
    }
    return originalGet.call(this);
  };
  proto.__tuiChatSharedCaches = true;
}

/** The markers of Ink 6's `Output.get`, which ink-row-cache.ts follows step for step. */
function isInk6Get(get: (...args: never[]) => unknown): boolean {
  const source = Function.prototype.toString.call(get);
  return ['lineWithoutEmptyItems', 'styledCharsToString', 'getStyledChars', 'getWidestLine', 'sliceAnsi', 'characterWidth > 1'].every((m) =>
    source.includes(m),
  );
}

/** slice-ansi and styledCharsToString as Ink's output.js imports them; null when not found. */
function rowDepsOf({ sliceAnsi, tokenize }: InkInternals): RowCacheDeps | null {
  if (typeof sliceAnsi?.default !== 'function' || typeof tokenize?.styledCharsToString !== 'function') return null;
  return {
    sliceAnsi: sliceAnsi.default as RowCacheDeps['sliceAnsi'],
    styledCharsToString: tokenize.styledCharsToString as RowCacheDeps['styledCharsToString'],
  };
}

/**
 * Installs the shared caches once; resolves with whether they are in place. Safe to call any
 * number of times, and before or after Ink renders (it only changes how fast frames are built).
 */
export function installInkOutputCache(): Promise<boolean> {
  if (state !== 'pending') return Promise.resolve(state === 'installed');
  installing ??= (async () => {
    const fits = [OUTPUT_CACHE, ROW_CACHE, CELL_WIDTH].map((name) => versionMatches(name, 'ink', PATCHED_VERSIONS.ink, import.meta.url));
    if (!fits.every(Boolean)) {
      state = 'unavailable';
      return false;
    }
    try {
      const internals = await importInkInternals();
      const Output = internals.output.default;
      if (!looksLikeInkOutput(Output)) {
        for (const name of [OUTPUT_CACHE, ROW_CACHE, CELL_WIDTH]) notInstalled(name, "Ink's Output is not the shape it was written for");
        state = 'unavailable';
        return false;
      }
      patch(Output, rowDepsOf(internals));
      state = 'installed';
      return true;
    } catch (err) {
      for (const name of [OUTPUT_CACHE, ROW_CACHE, CELL_WIDTH])
        notInstalled(name, `Ink's Output could not be loaded (${(err as Error).message})`);
      state = 'unavailable';
      return false;
    }
  })();
  return installing;
}
