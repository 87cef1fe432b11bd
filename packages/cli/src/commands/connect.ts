/** `tui-chat connect ADDRESS`: opens the full-screen client from @tui-chat/client. */
import fs from 'node:fs';
import type { Command } from 'commander';
import type { RunTuiOptions } from '@tui-chat/client/tui';
import { parseAddressList } from '../address.js';
import { CliError } from '../errors.js';
import { checkedName, type Runner } from './user/common.js';

interface ConnectFlags {
  user?: string;
  register?: boolean;
  remember?: boolean;
  ca?: string;
  bell?: string;
  title?: string;
  notify?: string;
}

export function registerConnect(program: Command, run: Runner): void {
  program
    .command('connect')
    .argument('<address>', 'the server: host:port, host, [::1]:4000, ws://, wss://, http:// or https:// URL; or several, comma-separated')
    .description('open the full-screen chat client')
    .option('--user <name>', 'log in as this user (the login screen asks otherwise)')
    .option('--register', 'create the account first (when the server allows it)')
    .option('--remember', 'remember this device: keep the session token, so the next start logs in without the password')
    .option('--ca <file>', 'trust this PEM certificate authority for a wss:// server with a private certificate')
    .option('--bell <on|off>', 'ring the terminal bell for a private message where you are not looking (default on)')
    .option('--title <on|off>', 'show the unread count in the terminal title (default on)')
    .option('--notify <off|osc9|osc777>', 'desktop notifications through the terminal (default off)')
    .addHelpText(
      'after',
      `
Without a port, the address means port 4000 (or 80/443 for a ws://, wss://, http:// or https:// URL).
Several addresses separated by commas are the nodes of one cluster: the client logs in on the first
that answers and, when its server is lost, moves to the next and catches up there.
The password comes from TUI_CHAT_PASSWORD when set; otherwise the login screen asks for it.
Needs a terminal on both stdin and stdout.

Settings (bell, title, notify, typing) come from $XDG_CONFIG_HOME/tui-chat/config.toml (else
~/.config/tui-chat/config.toml) when it exists; --bell, --title and --notify override them for
this run; /set in the client changes one and saves it there.

Messages not yet taken by the server when the client ends are kept in
$XDG_STATE_HOME/tui-chat/outbox/ (else ~/.local/state/tui-chat/outbox/) and sent, once, the
next time the same user logs in to the same server.

With --remember (or Ctrl+T on the login screen) the session token is kept in
$XDG_STATE_HOME/tui-chat/sessions/ (file 0600, folder 0700) per server and user: the next start
logs in with it, without the password, until the server lets it expire; /logout removes it.

Examples:
  tui-chat connect localhost:4000
  tui-chat connect chat.example.com --user alice
  tui-chat connect wss://chat.example.com --user bob --register
  tui-chat connect wss://10.0.0.5:4000 --ca my-ca.pem
  tui-chat connect node1:4000,node2:4000,node3:4000 --user alice`,
    )
    .action((address: string, flags: ConnectFlags) => run(() => connect(address, flags)));
}

async function connect(address: string, flags: ConnectFlags): Promise<number> {
  let targets;
  try {
    targets = parseAddressList(address);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  // Several servers travel as comma-separated url and display; the client core splits them again.
  const target = {
    url: targets.map((t) => t.url).join(','),
    display: targets.map((t) => t.display).join(','),
    secure: targets.some((t) => t.secure),
  };
  const user = flags.user === undefined ? undefined : checkedName(flags.user);
  let ca: string | undefined;
  if (flags.ca !== undefined) {
    if (!target.secure) throw new CliError('--ca only applies to a wss:// or https:// address.');
    try {
      ca = fs.readFileSync(flags.ca, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read --ca ${flags.ca} (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new CliError(`--ca ${flags.ca} is not a PEM certificate.`);
  }
  const settings = await loadSettings(flags);
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new CliError('tui-chat connect needs a terminal (a TTY); run it in a terminal window, not through a pipe or redirect.');
  }
  // React's development build renders about twice as slowly (npm run bench, client scenario).
  process.env.NODE_ENV ??= 'production';
  // NO_COLOR (no-color.org) means no colours; Ink's chalk only listens to FORCE_COLOR, read when it
  // loads. The cursor and highlights stay visible in reverse video (see RowText).
  if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';
  // Loaded here so that `serve` and `user` never load Ink and React; the bundled client (a few
  // files instead of hundreds of modules: see packages/client/scripts/bundle.mjs).
  const { runTui, stateDir } = await import('@tui-chat/client/tui');
  const options: RunTuiOptions = {
    url: target.url,
    display: target.display,
    user,
    register: flags.register ?? false,
    remember: flags.remember ?? false,
    password: process.env.TUI_CHAT_PASSWORD,
    ca,
    settings: settings.settings,
    settingsFile: settings.file,
    stateDir: stateDir(),
  };
  const code = await runTui(options);
  if (code === HANGUP_EXIT) endByHangup();
  return code;
}

/** What a shell reports for a program ended by SIGHUP, and what the client resolves with on a hangup. */
const HANGUP_EXIT = 129;

/**
 * The terminal hung up (or SIGHUP came): the client is done and its outbox on disk; end as
 * SIGHUP's default action would, which shells report as 129. A normal exit would have Node put
 * back the terminal's modes on a terminal that is gone, and Node 20 answers that with a native
 * assertion (ResetStdio, exit 134). Should the signal be ignored after all, the exit code says it.
 */
function endByHangup(): void {
  process.removeAllListeners('SIGHUP');
  process.kill(process.pid, 'SIGHUP');
}

/** The settings file's settings with the flags over them; one clear line for a bad file or flag. */
async function loadSettings(flags: ConnectFlags) {
  // The settings module alone: the client's index loads React, which must wait for NODE_ENV (below).
  const { settingsFile, parseSetting, SettingsError } = await import('@tui-chat/client/settings');
  const file = settingsFile();
  let settings;
  try {
    settings = file.load();
  } catch (err) {
    if (err instanceof SettingsError) throw new CliError(`${err.message}; fix or remove the file.`);
    throw err;
  }
  for (const name of ['bell', 'title', 'notify'] as const) {
    const value = flags[name];
    if (value === undefined) continue;
    const parsed = parseSetting(name, value);
    if ('error' in parsed) throw new CliError(`--${name}: ${parsed.error}`);
    settings = { ...settings, [parsed.name]: parsed.value };
  }
  return { settings, file };
}
