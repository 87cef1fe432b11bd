/**
 * Terminal modes the full-screen client sets and must always undo: the alternate screen, the
 * hidden cursor, bracketed paste, raw mode and the terminal's title. `restore` is idempotent and never throws, so it
 * can run from /quit, Ctrl+C, a signal, a crash and process exit alike.
 */

/** The terminal's title is saved on its title stack on the way in and given back on the way out (see attention.ts). */
export const ENTER = '\x1b[22;0t' + '\x1b[?1049h' + '\x1b[2J\x1b[H' + '\x1b[?25l' + '\x1b[?2004h';
export const LEAVE = '\x1b[?2004l' + '\x1b[?25h' + '\x1b[?1049l' + '\x1b[23;0t';

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
