/** What a ChatClient is made with, and the server list it reads from it. */
import type { ManagerOptions, SocketOptions } from 'socket.io-client';
import type { ServerTarget } from './connection-handlers.js';
import type { Settings } from '../settings/settings.js';
import type { SettingsFile } from '../settings/settings-file.js';

export interface ChatClientOptions {
  /**
   * The server, e.g. 'http://127.0.0.1:4000'; or the nodes of a cluster separated by commas
   * ('http://h1:4000,http://h2:4000'), tried in turn: the client moves to the next when its server
   * is lost, logs in there with its session token and catches up as after any reconnect.
   */
  url: string;
  /** host:port as the user typed it: state.server, the status bar, login errors (one per URL, comma-separated, for a cluster). */
  display: string;
  /** The cluster's nodes, instead of a comma-separated `url`/`display`. */
  servers?: readonly ServerTarget[];
  /**
   * Passed to socket.io-client (timeout, ...), except its reconnection, which the client does
   * itself: `reconnectionDelay` and `reconnectionDelayMax` set the retry schedule's base and cap
   * (see backoff.ts; RECONNECT_BACKOFF by default).
   */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
  /** The clock for pending messages and response lines (default Date.now). */
  now?: () => number;
  /** How long a request waits for its acknowledgement (default 10 000 ms). */
  requestTimeoutMs?: number;
  /** The settings to start with (default: the defaults). */
  settings?: Settings;
  /** Where /set saves changed settings (default: nowhere). */
  settingsFile?: SettingsFile | null;
  /**
   * How often a message is tried while connected when it gets no answer in time, or when the server
   * says `rate_limited` (then after its `retryAfter`), before it is shown failed (default 5).
   */
  sendAttempts?: number;
  /**
   * Where unsent messages are kept between runs (`outbox/` under it; the UI passes
   * `$XDG_STATE_HOME/tui-chat`); null or absent: only in memory.
   */
  stateDir?: string | null;
}

/** The servers to use: `servers`, else `url` and `display` split at commas. */
export function serverList(options: Pick<ChatClientOptions, 'url' | 'display' | 'servers'>): ServerTarget[] {
  if (options.servers && options.servers.length > 0) return [...options.servers];
  const urls = options.url
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  if (urls.length <= 1) return [{ url: options.url, display: options.display }];
  const displays = options.display.split(',').map((d) => d.trim());
  return urls.map((url, i) => ({ url, display: displays.length === urls.length ? displays[i]! : url.replace(/^[a-z]+:\/\//i, '') }));
}

/** How a login failure names where it could not connect: "the server at h:p" or "any of the servers a, b". */
export function serversPhrase(options: Pick<ChatClientOptions, 'url' | 'display' | 'servers'>): string {
  const servers = serverList(options);
  return servers.length > 1 ? `any of the servers ${servers.map((x) => x.display).join(', ')}` : `the server at ${options.display}`;
}
