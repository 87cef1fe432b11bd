/**
 * Builds the ClientContext (context.ts) from the client's parts, so that what commands and event
 * handlers may reach is written down in one place, apart from ChatClient's own lifecycle.
 */
import type { ClientContext } from './context.js';
import type { Connection } from './connection.js';
import { addResponse } from './conversations.js';
import { emitRequest } from './request.js';
import type { Session } from './session.js';
import { refreshConversations } from './sync.js';

/** What ChatClient hands over; the session is a getter, as a login replaces it as a whole. */
export interface ContextParts extends Pick<ClientContext, 'store' | 'settingsFile' | 'open' | 'logout' | 'quit' | 'endSession'> {
  connection: Connection;
  session: () => Session;
  now: () => number;
  /** How long a request waits for its acknowledgement. */
  timeoutMs: number;
}

export function clientContext(parts: ContextParts): ClientContext {
  const { store, connection, session, now } = parts;
  const ctx: ClientContext = {
    store,
    get session() {
      return session();
    },
    get outbox() {
      return session().outbox;
    },
    get reads() {
      return session().reads;
    },
    settingsFile: parts.settingsFile,
    now: () => now(),
    // Known from login() on: events may arrive between the handshake and 'session:ready'.
    me: () => store.get().user ?? connection.userName,
    connected: () => connection.isReady,
    update: (change) => store.update(change),
    request: (event, payload) => emitRequest(connection.current, event, payload, parts.timeoutMs),
    respond: (kind, text) => store.update((s) => addResponse(s, kind, text, now())),
    open: parts.open,
    logout: parts.logout,
    quit: parts.quit,
    endSession: parts.endSession,
    refreshConversations: () => refreshConversations(ctx),
  };
  return ctx;
}
