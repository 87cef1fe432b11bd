/**
 * Runs the full-screen client: creates the ChatClient, takes over the terminal (alternate
 * screen, hidden cursor, bracketed paste), renders <App>, and gives the terminal back on /quit,
 * Ctrl+C, SIGTERM/SIGHUP/SIGINT, a crash or process exit. Resolves with the exit code.
 */
import React from 'react';
import { ChatClient, COMMANDS } from '../core/index.js';
import { terminalModes } from './terminal.js';
import { frameWriter } from './frame-writer.js';
import { loadInk } from '../patches/load-ink.js';
import { CELL_WIDTH } from '../patches/ink-cell-width.js';
import { installInkOutputCache } from '../patches/ink-output-cache.js';
import { patchStatuses } from '@tui-chat/protocol/fence';
import { createAttention } from './attention.js';
import type { Settings } from '../settings/settings.js';
import type { SettingsFile } from '../settings/settings-file.js';
import { loadSocketIo } from '../core/socket-io.js';

export interface RunTuiOptions {
  /** The server URL, e.g. 'http://127.0.0.1:4000'. */
  url: string;
  /** host:port as the user typed it. */
  display: string;
  /** Prefills the login name; with `password` too, logs in at once. */
  user?: string;
  /** Creates the account (with `user` and `password`), or opens the login screen in that mode. */
  register?: boolean;
  /** "Remember this device" ticked on the login screen (and for a login with `password`). */
  remember?: boolean;
  password?: string;
  /** PEM certificate authority to trust for a wss:// server with a private certificate. */
  ca?: string;
  /** The settings to start with (the file's, with the flags over them). */
  settings?: Settings;
  /** Where /set saves changed settings. */
  settingsFile?: SettingsFile | null;
  /** Where unsent messages wait between runs (the CLI gives `$XDG_STATE_HOME/tui-chat`); absent: only in memory. */
  stateDir?: string | null;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

const SIGNALS: Record<string, number> = { SIGTERM: 143, SIGHUP: 129, SIGINT: 130 };

/** What a patch left out costs, said with it (the others only make the client faster). */
const WITHOUT: Record<string, string> = {
  [CELL_WIDTH]: 'rows with Devanagari conjuncts or Thai SARA AM may be drawn a cell too wide',
};

export async function runTui(options: RunTuiOptions): Promise<number> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const { ink, App } = await loadInk();
  // Before the first frame: the copied Output.get places characters by the terminal's cell count.
  await installInkOutputCache();
  const client = new ChatClient({
    url: options.url,
    display: options.display,
    socketOptions: options.ca ? { ca: options.ca } : undefined,
    settings: options.settings,
    settingsFile: options.settingsFile ?? null,
    stateDir: options.stateDir ?? null,
  });
  const terminal = terminalModes(stdout, stdin);
  // The bell, the title and notifications: written beside Ink's frames (none moves the cursor).
  const attention = createAttention(
    (data) => {
      try {
        if (terminal.active && !stdout.destroyed && stdout.writable) stdout.write(data);
      } catch {
        // The terminal went away; finish() follows from the stream's error.
      }
    },
    { inTmux: Boolean(process.env.TMUX) },
  );

  return new Promise<number>((resolve) => {
    let done = false;
    let instance: ReturnType<typeof ink.render> | null = null;

    const onSignal = (signal: NodeJS.Signals) => finish(SIGNALS[signal] ?? 1);
    const onCrash = (error: unknown) => finish(1, error);
    const onExit = () => terminal.restore();
    // The terminal went away (its window closed, the pty hung up): a write fails with EIO, reading
    // ends. The same as SIGHUP, which may come after it or never (a shell that ignores it).
    const onHangup = () => finish(SIGNALS.SIGHUP!);
    let stopAttention = (): void => undefined;

    function finish(code: number, error?: unknown): void {
      if (done) return;
      done = true;
      stopAttention();
      try {
        client.close();
      } catch {
        // Closing is best effort; the terminal comes first.
      }
      try {
        instance?.unmount();
      } catch {
        // Unmounting a broken tree can throw; restore the terminal regardless.
      }
      try {
        instance?.cleanup();
      } catch {
        // As above.
      }
      terminal.restore();
      for (const signal of Object.keys(SIGNALS)) process.off(signal, onSignal);
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
      process.off('exit', onExit);
      // The hangup listeners stay: Ink's unmount and the restore above may still fail to write to a
      // terminal that is gone, and an 'error' with no listener would crash the process on the way out.
      // A patch left out because its library moved is said, once the terminal is back (never silent).
      for (const p of patchStatuses()) {
        if (p.active || !p.reason) continue;
        try {
          stderr.write(
            `tui-chat: note: the ${p.name} patch was left out: ${p.reason}; ${WITHOUT[p.name] ?? 'the client is slower, not wrong'}.\n`,
          );
        } catch {
          // Nowhere to say it.
        }
      }
      if (error !== undefined) {
        const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
        try {
          stderr.write(`tui-chat: the client crashed: ${text}\n`);
        } catch {
          // Nowhere left to report it.
        }
      }
      // Let a pending unmount write settle before the caller exits.
      setImmediate(() => resolve(code));
    }

    for (const signal of Object.keys(SIGNALS)) process.on(signal, onSignal);
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    process.on('exit', onExit);
    stdout.on('error', onHangup);
    stdin.on('error', onHangup);
    if (stdin.isTTY) stdin.once('end', onHangup); // a terminal's input ends only when it hangs up

    try {
      terminal.enter();
      stopAttention = client.subscribe((state) => attention.update(state));
      attention.update(client.getState());
      instance = ink.render(
        <App
          client={client}
          commands={COMMANDS}
          onQuit={() => finish(0)}
          initialUser={options.user}
          initialRegister={options.register}
          initialRemember={options.remember}
        />,
        // Ink writes through frameWriter: only the rows that changed reach the terminal.
        { stdin, stdout: frameWriter(stdout).stream, stderr, exitOnCtrlC: false, patchConsole: true },
      );
      instance.waitUntilExit().then(
        () => finish(0),
        (error: unknown) => finish(1, error),
      );
    } catch (error) {
      finish(1, error);
      return;
    }

    // Drawn: now load the network code, so it is there by the time a password is typed.
    void loadSocketIo();
    if (options.user && options.password) {
      void client.login({
        user: options.user,
        password: options.password,
        register: options.register === true,
        remember: options.remember,
      });
    } else if (!options.register) {
      // A session remembered on this device (for --user, or the last one) logs in without the password.
      void client.resume(options.user);
    }
  });
}
