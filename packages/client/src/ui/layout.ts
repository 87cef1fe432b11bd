/**
 * Pane sizes for a terminal, computed exactly so the frame is never taller than the terminal.
 *
 * Ink 6 clears the whole screen on every frame whose height reaches the terminal's row count
 * (it assumes the output scrolled), which flickers; so the UI uses rows - 1 lines and leaves the
 * last terminal row empty.
 */

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;

export interface ChatLayout {
  columns: number;
  /** Lines the whole frame uses (rows - 1). */
  height: number;
  /** Outer sizes (borders included). */
  listWidth: number;
  messagesWidth: number;
  topHeight: number;
  responsesHeight: number;
  inputHeight: number;
  statusHeight: number;
}

export function tooSmall(columns: number, rows: number): boolean {
  return columns < MIN_COLUMNS || rows < MIN_ROWS;
}

const clamp = (value: number, low: number, high: number) => Math.max(low, Math.min(high, value));

export function chatLayout(columns: number, rows: number): ChatLayout {
  const height = rows - 1;
  const statusHeight = 1;
  const inputHeight = 3;
  const rest = height - statusHeight - inputHeight;
  const responsesHeight = clamp(Math.round(rest * 0.25), 4, 10);
  const topHeight = rest - responsesHeight;
  const listWidth = clamp(Math.round(columns * 0.22), 18, 30);
  return {
    columns,
    height,
    listWidth,
    messagesWidth: columns - listWidth,
    topHeight,
    responsesHeight,
    inputHeight,
    statusHeight,
  };
}
