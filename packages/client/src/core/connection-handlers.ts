/**
 * What the connection (connection.ts) tells the client: the handlers ChatClient gives it, the
 * status line while it is down, and how it reads a server's refusal. Kept apart from the socket
 * handling, so the client options and the package's type exports need not load it.
 */
import type { ChatError, SessionInfo } from '@tui-chat/protocol';

/** One server to connect to. */
export interface ServerTarget {
  url: string;
  /** host:port, for status lines. */
  display: string;
}

/** Where a lost connection stands. */
export interface RetryInfo {
  /** A short line for the status bar: why, and where the next attempt goes. */
  detail: string;
  /** When the next attempt starts (ms since the epoch); null while one is under way. */
  at: number | null;
}

export interface ConnectionHandlers {
  /** The session is up: after the first login (first = true) or after a reconnect. */
  ready(info: SessionInfo, first: boolean): void;
  /** The first login failed: refused by the server (error), or the server could not be reached (error null). */
  loginFailed(error: ChatError | null, cause: string): void;
  /** A reconnect was refused for good (the token is no longer valid). */
  sessionExpired(error: ChatError): void;
  /** The connection is down: waiting for the next attempt, or making it. */
  retrying(info: RetryInfo): void;
  /** Several servers: the session is up on this one (told before ready()). */
  serverChanged?(server: ServerTarget): void;
}

/**
 * RetryInfo's detail: why the connection is down and, with several servers, where the next
 * attempt goes (`server`) and which round of the list it is in after `tries` attempts.
 */
export function retryDetail(reason: string, trying: boolean, server: ServerTarget, tries: number, servers: number): string {
  if (servers <= 1) return trying ? `${reason}; trying now` : reason;
  const round = tries >= servers ? `, round ${Math.floor(tries / servers) + 1}` : '';
  return `${reason}; ${trying ? 'trying' : 'next'} ${server.display}${round}`;
}

/** The server's refusal carried by a connect_error (its `data`), or null when it is not one. */
export function asChatError(data: unknown): ChatError | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Partial<ChatError>;
  return typeof d.code === 'string' && typeof d.message === 'string' ? (d as ChatError) : null;
}
