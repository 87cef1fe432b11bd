/**
 * Ctrl+L: the whole screen drawn again, whatever is on it now (another program's output, a row
 * some terminal drew wider than it should have, a half-drawn frame).
 *
 * Ink's stdout `write` is the way: it erases Ink's last frame, writes what it is given, and then
 * writes the whole last frame again from scratch (its log forgets what it wrote before, so nothing
 * is skipped as unchanged). Given REPAINT (the terminal's modes set again, the screen cleared, the
 * cursor home), the frame is drawn from the top-left corner on an empty screen. Ink's row cache
 * (patches/ink-row-cache.ts) only builds the frame's text; the text is written whole, so it
 * needs no invalidation.
 */
import { useCallback } from 'react';
import { useStdout } from 'ink';
import { REPAINT } from './terminal.js';

export function useRedraw(): () => void {
  const { write } = useStdout();
  return useCallback(() => write(REPAINT), [write]);
}
