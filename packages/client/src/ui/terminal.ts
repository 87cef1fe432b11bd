/**
 * Terminal modes the full-screen client sets and must always undo: the alternate screen, the
 * hidden cursor, bracketed paste, no automatic wrap, raw mode and the terminal's title. `restore`
 * is idempotent and never throws, so it can run from /quit, Ctrl+C, a signal, a crash and process
 * exit alike.
 *
 * Automatic wrap is off (DECAWM, `?7l`) so that a row the terminal draws wider than the client
 * laid it out (a character whose width this terminal counts differently) is cut at the right
 * edge instead of wrapping onto the next row and scrolling the whole frame up a line.
 */

/** Hidden cursor, bracketed paste, no automatic wrap: set on the way in, and again by a repaint. */
const MODES = '\x1b[?25l' + '\x1b[?2004h' + '\x1b[?7l';
const CLEAR = '\x1b[2J\x1b[H';

/** The terminal's title is saved on its title stack on the way in and given back on the way out (see attention.ts). */
export const ENTER = '\x1b[22;0t' + '\x1b[?1049h' + CLEAR + MODES;
export const LEAVE = '\x1b[?7h' + '\x1b[?2004l' + '\x1b[?25h' + '\x1b[?1049l' + '\x1b[23;0t';

/** Ctrl+L: the modes set again and the screen cleared, before the whole frame is written again (use-redraw.ts). */
export const REPAINT = MODES + CLEAR;

export interface TerminalModes {
  enter(): void;
  restore(): void;
  readonly active: boolean;
}

export function terminalModes(stdout: NodeJS.WriteStream, stdin: NodeJS.ReadStream): TerminalModes {
  let active = false;
  const write = (data: string) => {
    try {
      if (!stdout.destroyed && stdout.writable) stdout.write(data);
    } catch {
      // The terminal is gone (SIGHUP, closed pty): nothing left to restore on it.
    }
  };
  return {
    get active() {
      return active;
    },
    enter() {
      if (active) return;
      active = true;
      write(ENTER);
    },
    restore() {
      if (!active) return;
      active = false;
      try {
        if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
      } catch {
        // As above.
      }
      write(LEAVE);
    },
  };
}
