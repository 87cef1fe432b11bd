/** What every handler can reach: options, store, presence, lockout, limits, the socket.io server. */
import type { Server, Socket } from 'socket.io';
import type { Logger } from 'pino';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from '@tui-chat/protocol';
import type { Store } from './store/types.js';
import type { MessageWriter } from './message-writer.js';
import type { Presence } from './presence.js';
import type { AwayBook } from './away.js';
import type { PresenceFeed } from './presence-feed.js';
import type { Lockout } from './auth/lockout.js';
import type { ScryptCost } from './auth/passwords.js';
import type { Limits } from './limits.js';
import type { KnownUsers } from './known-users.js';
import type { BlockCache } from './block-cache.js';
import type { ConnectionGuard } from './guard/connections.js';

/** What the nodes of a cluster tell each other over the socket.io adapter. */
export interface InterServerEvents {
  /** A user's block list changed: drop it from the cache. */
  'blocks:changed': (user: string) => void;
}

export type ChatIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface ResolvedOptions {
  registration: 'open' | 'closed';
  idleTimeoutMs: number;
  lockoutAttempts: number;
  lockoutSeconds: number;
  scryptCost: ScryptCost;
  /** How often online users' last-seen time is written, so a crash leaves `wholast` close to right. */
  heartbeatMs: number;
  /** A session token stops working this long after it was issued, however much it is used. */
  tokenLifetimeMs: number;
  /** Session tokens kept per user; a new login drops the least recently used beyond this. */
  sessionsPerUser: number;
}

export interface ServerContext {
  io: ChatIo;
  store: Store;
  /** Names known to have accounts (a short-lived cache in front of the store). */
  users: KnownUsers;
  /** Who blocks whom (a cache in front of the store, dropped on every change on any node). */
  blocks: BlockCache;
  writer: MessageWriter;
  presence: Presence;
  /** Who is away, with their text (memory, or Redis in a cluster). */
  away: AwayBook;
  /** Batches presence changes to every client. */
  presenceFeed: PresenceFeed;
  lockout: Lockout;
  limits: Limits;
  /** Every TCP connection, counted per address and timed until it logs in. */
  connections: ConnectionGuard;
  options: ResolvedOptions;
  log: Logger;
  /** Runs background work (presence changes after a disconnect, ...): failures are logged, and close() waits for it. */
  track(work: Promise<unknown>, failure: string): void;
}

/** The room every session of a user joins. */
export const userRoom = (user: string): string => `user:${user}`;
/** The room of the connections that use one session token (a logout ends them all). */
export const tokenRoom = (tokenHash: string): string => `token:${tokenHash}`;
/** The room of a conversation, joined by both users' sessions (a pair) or every member's (a group, `#name`). */
export const pairRoom = (conversation: string): string =>
  conversation.startsWith('#') ? `group:${conversation.slice(1)}` : `dm:${conversation}`;
