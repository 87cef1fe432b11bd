/** What every handler can reach: options, store, presence, lockout, limits, the socket.io server. */
import type { Server, Socket } from 'socket.io';
import type { Logger } from 'pino';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from '@tui-chat/protocol';
import type { Store } from './store/types.js';
import type { MessageWriter } from './message-writer.js';
import type { Presence } from './presence.js';
import type { PresenceFeed } from './presence-feed.js';
import type { Lockout } from './auth/lockout.js';
import type { ScryptCost } from './auth/passwords.js';
import type { Limits } from './limits.js';

export type ChatIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface ResolvedOptions {
  registration: 'open' | 'closed';
  idleTimeoutMs: number;
  lockoutAttempts: number;
  lockoutSeconds: number;
  scryptCost: ScryptCost;
  /** How often online users' last-seen time is written, so a crash leaves `wholast` close to right. */
  heartbeatMs: number;
}

export interface ServerContext {
  io: ChatIo;
  store: Store;
  writer: MessageWriter;
  presence: Presence;
  /** Batches presence changes to every client. */
  presenceFeed: PresenceFeed;
  lockout: Lockout;
  limits: Limits;
  options: ResolvedOptions;
  log: Logger;
  /** Runs background work (presence changes after a disconnect, ...): failures are logged, and close() waits for it. */
  track(work: Promise<unknown>, failure: string): void;
}

/** The room every session of a user joins. */
export const userRoom = (user: string): string => `user:${user}`;
/** The room of a pair conversation, joined by both users' sessions. */
export const pairRoom = (conversation: string): string => `dm:${conversation}`;
