/**
 * Terminal modes the full-screen client sets and must always undo: the alternate screen, the
 * hidden cursor, bracketed paste and raw mode. `restore` is idempotent and never throws, so it
 * can run from /quit, Ctrl+C, a signal, a crash and process exit alike.
 */

export const ENTER = '\x1b[?1049h' + '\x1b[2J\x1b[H' + '\x1b[?25l' + '\x1b[?2004h';
export const LEAVE = '\x1b[?2004l' + '\x1b[?25h' + '\x1b[?1049l';

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
