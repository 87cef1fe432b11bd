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
 * `Output` is internal to Ink (not in its exports), so it is reached by file next to Ink's entry
 * point. Anything unexpected (another Ink version, a different shape) leaves Ink as it is: this
 * only ever changes speed.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

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

function patch(Output: OutputClass): void {
  const proto = Output.prototype;
  if (proto.__tuiChatSharedCaches) return;
  const originalGet = proto.get;
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

/**
 * Installs the shared caches once; resolves with whether they are in place. Safe to call any
 * number of times, and before or after Ink renders (it only changes how fast frames are built).
 */
export function installInkOutputCache(): Promise<boolean> {
  if (state !== 'pending') return Promise.resolve(state === 'installed');
  installing ??= (async () => {
    try {
      const entry = createRequire(import.meta.url).resolve('ink');
      const mod = (await import(pathToFileURL(path.join(path.dirname(entry), 'output.js')).href)) as { default?: unknown };
      if (!looksLikeInkOutput(mod.default)) {
        state = 'unavailable';
        return false;
      }
      patch(mod.default);
      state = 'installed';
      return true;
    } catch {
      state = 'unavailable';
      return false;
    }
  })();
  return installing;
}
