/**
 * What the command modules, the socket event handlers and the send/sync helpers may use of the
 * client. ChatClient builds one; nothing outside core/ sees it.
 */
import type { ReplyOf, RequestEvent, RequestPayload } from '@tui-chat/protocol';
import type { OpenOptions } from './open-conversation.js';
import type { Outbox } from './outbox.js';
import type { Session } from './session.js';
import type { SettingsFile } from '../settings/settings-file.js';
import type { ReadMarkers } from './read-markers.js';
import type { StateStore } from './state-store.js';
import type { ClientState, ResponseLine } from './types.js';

export interface ClientContext {
  readonly store: StateStore;
  /** The current login's own state (see session.ts); a new object after each login. */
  readonly session: Session;
  /** The session's outbox and read markers (short for session.outbox, session.reads). */
  readonly outbox: Outbox;
  readonly reads: ReadMarkers;
  /** Where /set saves the settings; null when they are not saved (tests, embedding). */
  readonly settingsFile: SettingsFile | null;
  now(): number;
  /** The logged-in user (normalised), '' before login. */
  me(): string;
  /** True while a session is up (after 'session:ready', until the connection drops). */
  connected(): boolean;
  update(change: (state: ClientState) => ClientState): void;
  /** Rejects with RequestFailure when not connected or unanswered in time. */
  request<E extends RequestEvent>(event: E, payload: RequestPayload<E>): Promise<ReplyOf<E>>;
  respond(kind: ResponseLine['kind'], text: string): void;
  open(conversation: string, options?: OpenOptions): Promise<void>;
  logout(): Promise<void>;
  quit(): Promise<void>;
  /** The session ended on the server's side (idle timeout, logged out elsewhere, expired token). */
  endSession(message: string): void;
  /** Reloads the conversation list (unread counts) from the server, at most one at a time. */
  refreshConversations(): void;
}
