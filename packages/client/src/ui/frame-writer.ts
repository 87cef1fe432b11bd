/**
 * Only the rows that changed reach the terminal.
 *
 * Ink (standard mode) writes every frame whole: each row of the last frame erased, bottom to top,
 * then every row drawn again. At 120x36 that is about 7 KB per keystroke, and a terminal that
 * draws what arrives as it arrives (tmux 3.3, the version Debian 12 ships, ignores the
 * synchronized-output mode Ink asks for) shows the frame half-drawn on every key. Ink's own
 * `incrementalRendering` is no answer here: it erases the rest of a row after drawing it, which on a
 * full-width row with automatic wrap off (terminal.ts) erases the border's last cell.
 *
 * So the stream Ink writes to is wrapped. A write that is Ink's next frame (the erasure of as many
 * rows as the frame on screen has, then a frame of as many rows) becomes, for each row that
 * differs: the cursor moved to it, the row erased, the row written; then the cursor back below the
 * frame, where Ink expects it. Every other write passes as it is. One that may have changed the
 * screen (a repaint, a clear, console output) or a resize makes the next frame go whole, and the
 * whole frame after it is what the next is compared with.
 */

const ERASE_LINE = '\x1b[2K';
const UP = '\x1b[1A';
const TO_COLUMN_1 = '\x1b[G';

/** Writes that leave the screen's text as it is: synchronized output on and off, the cursor hidden or shown. */
const LEAVES_TEXT = new Set(['\x1b[?2026h', '\x1b[?2026l', '\x1b[?25l', '\x1b[?25h', '']);

/** How many rows a write starts by erasing (Ink's eraseLines), and what follows. */
export function splitErasure(data: string): { erased: number; rest: string } {
  let i = 0;
  let erased = 0;
  while (data.startsWith(ERASE_LINE, i)) {
    erased++;
    i += ERASE_LINE.length;
    if (data.startsWith(UP, i)) {
      i += UP.length;
      continue;
    }
    if (data.startsWith(TO_COLUMN_1, i)) return { erased, rest: data.slice(i + TO_COLUMN_1.length) };
    return { erased: 0, rest: data };
  }
  return { erased: 0, rest: data };
}

/**
 * What to write instead of `rows`, given the rows on screen (`shown`, the same count, each ending
 * where a '\n' did: the last is the empty one after the frame's final newline, where the cursor is).
 */
export function changedRows(shown: readonly string[], rows: readonly string[]): string {
  const below = rows.length - 1;
  let at = below;
  let out = '';
  for (let i = 0; i < below; i++) {
    if (rows[i] === shown[i]) continue;
    out += (at > i ? `\x1b[${at - i}A` : at < i ? `\x1b[${i - at}B` : '') + '\r' + ERASE_LINE + rows[i];
    at = i;
  }
  if (at !== below) out += `\x1b[${below - at}B\r`;
  return out;
}

export interface FrameWriter {
  /** The stream to give Ink: the real one, but for `write`. */
  readonly stream: NodeJS.WriteStream;
  /** Bytes written and bytes Ink asked to write, since the start (for the bench and tests). */
  readonly counts: { written: number; asked: number };
}

export function frameWriter(stdout: NodeJS.WriteStream): FrameWriter {
  /** The rows on screen, as Ink last wrote them whole or in part; null when unknown. */
  let shown: string[] | null = null;
  const counts = { written: 0, asked: 0 };
  stdout.on('resize', () => {
    shown = null;
  });

  const transform = (data: string): string => {
    if (LEAVES_TEXT.has(data)) return data;
    const { erased, rest } = splitErasure(data);
    // A frame is rows ending in newlines (a full-height one would come with a clear, below).
    const frame = erased > 0 && rest.endsWith('\n') && !rest.includes('\x1b[2J') ? rest.split('\n') : null;
    if (frame && shown && erased === shown.length && frame.length === shown.length) {
      const out = changedRows(shown, frame);
      shown = frame;
      return out;
    }
    shown = frame;
    return data;
  };

  const write = (data: unknown, ...more: unknown[]): boolean => {
    let out = data;
    if (typeof data === 'string') {
      out = transform(data);
      counts.asked += Buffer.byteLength(data);
      counts.written += Buffer.byteLength(out as string);
    } else {
      shown = null;
    }
    return (stdout.write as (...args: unknown[]) => boolean)(out, ...more);
  };

  const stream = new Proxy(stdout, {
    get(target, prop) {
      if (prop === 'write') return write;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { stream, counts };
}
